/**
 * The one way the store reads a file of a snapshot. A snapshot folder is data anyone could have put
 * there: weights.bin may be a symlink to /dev/zero (an endless read), manifest.json a FIFO (a read
 * that never returns), a link to a file outside the folder, or a file far larger than its manifest
 * says. So a snapshot file is read only when it is
 *
 * - a regular file in the folder itself (lstat: no symlink, FIFO, socket or device; opened with
 *   O_NOFOLLOW | O_NONBLOCK, and the opened file must be the one that was checked),
 * - no larger than the bound the caller gives (the size manifest.json declares for model.json and
 *   weights.bin; MAX_MANIFEST_BYTES for the manifest itself),
 *
 * and reading stops at that bound even if the file grows meanwhile.
 */
import { constants } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { SnapshotError } from './errors.js';
import { describeFsError, errCode } from './fsSafe.js';

/**
 * A manifest holds the vocabulary (titles, ids) and every batch loss: about 40 MB for ML-25M trained
 * at batch size 64. Four times that is still a manifest; anything bigger is not one of ours.
 */
export const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** What a directory entry is, in words, for a message ("a symbolic link", "a FIFO (named pipe)"). */
export function kindOf(st: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean; isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean; isCharacterDevice(): boolean }): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a folder';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isBlockDevice() || st.isCharacterDevice()) return 'a device';
  return 'not a regular file';
}

export interface ReadLimit {
  /** At most this many bytes; a larger file is refused before it is read. */
  maxBytes: number;
  /** The size manifest.json declares: a file of another size is refused without reading it. */
  exactBytes?: number;
}

/**
 * The bytes of `folder/file`, or a SnapshotError whose message continues `snapshot "NAME" at DIR …`
 * ("is incomplete: weights.bin is missing", "is damaged: weights.bin is a symbolic link …").
 */
export async function readSnapshotFile(folder: string, file: string, limit: ReadLimit): Promise<Buffer> {
  const where = path.join(folder, file);
  let st;
  try {
    st = await fsp.lstat(where);
  } catch (err) {
    if (errCode(err) === 'ENOENT') throw new SnapshotError(`is incomplete: ${file} is missing`);
    throw new SnapshotError(`cannot be read: reading ${file} failed: ${describeFsError(err)}`);
  }
  if (!st.isFile()) {
    const target = st.isSymbolicLink() ? await fsp.readlink(where).catch(() => '?') : '';
    throw new SnapshotError(
      `is damaged: ${file} is ${kindOf(st)}${target ? ` (to ${target})` : ''}, not a regular file in the snapshot folder; factorlens reads only its own files there`,
    );
  }
  checkSize(file, st.size, limit);
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(where, OPEN_FLAGS);
    const now = await fh.stat();
    // the entry was swapped between the check and the open (a race with someone else): refuse it
    if (!now.isFile() || now.ino !== st.ino || now.dev !== st.dev) {
      throw new SnapshotError(`is damaged: ${file} changed while it was being read; try again`);
    }
    checkSize(file, now.size, limit);
    return await readBounded(fh, file, now.size, limit.maxBytes);
  } catch (err) {
    if (err instanceof SnapshotError) throw err;
    throw new SnapshotError(`cannot be read: reading ${file} failed: ${describeFsError(err)}`);
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

function checkSize(file: string, size: number, limit: ReadLimit): void {
  if (limit.exactBytes !== undefined && size !== limit.exactBytes) {
    throw new SnapshotError(`is damaged: ${file} has ${size} bytes where manifest.json says ${limit.exactBytes} (truncated or replaced?)`);
  }
  if (size > limit.maxBytes) {
    throw new SnapshotError(`is damaged: ${file} has ${size} bytes, more than a snapshot's ${file} can have (${limit.maxBytes})`);
  }
}

/** Reads up to `expected` bytes, and notices a file that grew past the bound while being read. */
async function readBounded(fh: fsp.FileHandle, file: string, expected: number, maxBytes: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(expected);
  let got = 0;
  while (got < expected) {
    const { bytesRead } = await fh.read(buf, got, expected - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  if (got < expected) throw new SnapshotError(`is damaged: ${file} shrank while it was being read; try again`);
  const probe = Buffer.allocUnsafe(1);
  const { bytesRead } = await fh.read(probe, 0, 1, got);
  if (bytesRead > 0) {
    throw new SnapshotError(`is damaged: ${file} grew while it was being read${got + 1 > maxBytes ? `, past ${maxBytes} bytes` : ''}; try again`);
  }
  return buf;
}

/** The first `n` bytes of a regular file in the folder (or null when it is missing or not one): no blocking, no following. */
export async function peekSnapshotFile(folder: string, file: string, n: number): Promise<Buffer | null> {
  const where = path.join(folder, file);
  const st = await fsp.lstat(where).catch(() => null);
  if (!st?.isFile()) return null;
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(where, OPEN_FLAGS);
    const now = await fh.stat();
    if (!now.isFile()) return null;
    const buf = Buffer.alloc(Math.min(n, now.size));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } catch {
    return null;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}
