/** File-system steps of the atomic save: synced writes, directory fsync, and readable IO errors. */
import fsp from 'node:fs/promises';
import { SnapshotError } from './errors.js';
import { errCode, fsReason } from '../../data/fsErrors.js';

export { errCode } from '../../data/fsErrors.js';

/** "permission denied (EACCES)" for known codes, the raw message otherwise (the data layer's table). */
export const describeFsError = fsReason;

/** Wraps any non-SnapshotError thrown by `step` into one that says what failed and where. */
export async function fsStep<T>(what: string, where: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof SnapshotError) throw err;
    throw new SnapshotError(`${what} ${where} failed: ${describeFsError(err)}`);
  }
}

/** Creates the file exclusively, writes it and fsyncs it before close, so a later rename publishes durable bytes. */
export async function writeFileSynced(file: string, data: Uint8Array | string): Promise<void> {
  const fh = await fsp.open(file, 'wx', 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Makes a directory's entries (a new file, a rename) durable. Some platforms (Windows) cannot open a
 * folder for fsync; there the rename is still atomic, only not yet flushed, so the error is ignored.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(dir, 'r');
    await fh.sync();
  } catch {
    // best effort, see above
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fsp.lstat(p);
    return true;
  } catch (err) {
    if (errCode(err) === 'ENOENT') return false;
    throw err;
  }
}

/** Whether the process that named a working entry may still be writing it. Same-host pids only. */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errCode(err) === 'EPERM';
  }
}
