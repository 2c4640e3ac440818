/** Saving: write everything into a hidden temporary folder beside the target, fsync, then rename into place. */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { ADDED_MOVIES_FILE } from './addedMovies.js';
import { SnapshotError } from './errors.js';
import { errCode, exists, fsStep, fsyncDir, writeFileSynced } from './fsSafe.js';
import { notOurs, ownershipOf, removeIfOurs } from './ownership.js';
import { inspectDir } from './inspect.js';
import { MANIFEST_FILE, WEIGHTS_FILE, WEIGHTS_MANIFEST_FILE, buildManifest, serializeManifest, sha256 } from './manifest.js';
import { snapshotsDir, validateSnapshotName, workEntryName } from './names.js';
import { cleanupStale } from './recovery.js';
import { emptySummary, summarize, type SnapshotSummary } from './summary.js';
import { encodeModelWeights, type EncodedWeights } from './weightsFile.js';
import type { TrainResult } from '../types.js';

const taken = (name: string, dir: string, also = '') =>
  new SnapshotError(`a snapshot named "${name}" already exists in ${dir}${also}: use --force to replace it, or choose another name`);

export async function saveSnapshot(
  name: string,
  result: TrainResult,
  opts: { dir?: string; force?: boolean } = {},
): Promise<SnapshotSummary> {
  validateSnapshotName(name);
  const dir = opts.dir ?? snapshotsDir();
  const target = path.join(dir, name);
  const fail = `cannot save snapshot "${name}":`;
  // Encode first: a model that cannot be written whole never touches the disk.
  let encoded: EncodedWeights;
  try {
    encoded = await encodeModelWeights(result.weights, result.pick);
  } catch (err) {
    throw new SnapshotError(`${fail} ${err instanceof Error ? err.message : String(err)}`);
  }
  await fsStep(`${fail} creating the snapshots folder`, dir, () => fsp.mkdir(dir, { recursive: true }));
  await cleanupStale(dir).catch(() => undefined);
  await checkReplaceable(name, dir, opts.force === true, fail);

  const tmp = path.join(dir, workEntryName(name, 'tmp'));
  const files = {
    [WEIGHTS_MANIFEST_FILE]: { bytes: Buffer.byteLength(encoded.modelJson), sha256: sha256(encoded.modelJson) },
    [WEIGHTS_FILE]: { bytes: encoded.bin.byteLength, sha256: sha256(encoded.bin) },
  };
  const manifestText = serializeManifest(buildManifest(result, files));
  try {
    await fsStep(`${fail} creating`, tmp, () => fsp.mkdir(tmp));
    for (const [file, data] of [
      [WEIGHTS_MANIFEST_FILE, encoded.modelJson],
      [WEIGHTS_FILE, encoded.bin],
      [MANIFEST_FILE, manifestText],
    ] as const) {
      const where = path.join(tmp, file);
      await fsStep(`${fail} writing`, where, () => writeFileSynced(where, data));
    }
    // movies a person added to this name's catalogue are theirs, not the model's: a replaced model keeps them
    const added = path.join(target, ADDED_MOVIES_FILE);
    if (await exists(added).catch(() => false)) {
      await fsStep(`${fail} keeping the added movies of`, added, () => fsp.copyFile(added, path.join(tmp, ADDED_MOVIES_FILE)));
    }
    await fsyncDir(tmp);
    await publish(dir, name, tmp, opts.force === true, fail);
  } catch (err) {
    const cleaned = await removeIfOurs(tmp, { manifest: false });
    const e = err instanceof SnapshotError ? err : new SnapshotError(`${fail} ${String(err)}`);
    e.message += cleaned ? '; nothing was saved' : `; the unfinished ${tmp} could not be removed (the next save removes it)`;
    throw e;
  }
  const ins = await inspectDir(target).catch(() => null);
  return ins ? summarize(name, target, ins) : { ...emptySummary(name, target), error: 'replaced by another process just now' };
}

/**
 * Whether NAME may be written: free, or (with force) a factorlens snapshot that may be replaced. A
 * folder of that name that is not provably a snapshot is never replaced (ownership.ts). Also called
 * before a training starts, so a run is never trained only to be refused at the end.
 */
export async function checkReplaceable(name: string, dir: string, force: boolean, fail = `cannot save snapshot "${name}":`): Promise<void> {
  const target = path.join(dir, name);
  if (!(await exists(target).catch(() => false))) return;
  const owner = await ownershipOf(target);
  if (!owner.ours) throw notOurs(fail.replace(/:$/, ''), name, dir, `${owner.why}; choose another name`);
  if (!force) throw taken(name, dir);
}

/** Renames the finished temporary folder into place; see recovery.ts for how each step survives a kill. */
async function publish(dir: string, name: string, tmp: string, force: boolean, fail: string): Promise<void> {
  const target = path.join(dir, name);
  const occupied = (err: unknown) => errCode(err) === 'ENOTEMPTY' || errCode(err) === 'EEXIST';
  if (!force) {
    try {
      await fsp.rename(tmp, target);
    } catch (err) {
      if (occupied(err)) throw taken(name, dir, ' (another process saved it just now)');
      await fsStep(`${fail} moving the new snapshot to`, target, () => Promise.reject(err));
    }
    await fsyncDir(dir);
    return;
  }
  const olds: string[] = [];
  // A concurrent forced save can slip its own version in between our two renames: then go round
  // again (move theirs aside too) so the last writer wins and every version in place is complete.
  for (let attempt = 0; attempt < 5; attempt++) {
    const old = path.join(dir, workEntryName(name, 'old'));
    let moved = false;
    try {
      // what is moved aside (and removed once the new one is in place) must be a snapshot
      const why = await foreignReason(target);
      if (why !== null) throw notOurs(fail.replace(/:$/, ''), name, dir, `${why}; choose another name`);
      await fsp.rename(target, old);
      moved = true;
      olds.push(old);
    } catch (err) {
      if (err instanceof SnapshotError) throw err;
      if (errCode(err) !== 'ENOENT') await fsStep(`${fail} moving the previous version aside from`, target, () => Promise.reject(err));
    }
    try {
      await fsp.rename(tmp, target);
      await fsyncDir(dir);
      for (const o of olds) await removeIfOurs(o, { manifest: false });
      return;
    } catch (err) {
      if (occupied(err)) continue;
      if (moved) await fsp.rename(old, target).catch(() => undefined);
      await fsStep(`${fail} moving the new snapshot to`, target, () => Promise.reject(err));
    }
  }
  throw new SnapshotError(`${fail} other processes kept replacing it at the same time; try again`);
}


/**
 * Why `target` is in the way and not ours, or null (ours, or nothing there). Another forced save may be
 * swapping its version in while we look (the folder vanishes between two steps of the check), so a
 * refusal needs the same verdict three times, a moment apart: a folder that is really someone else's
 * stays so.
 */
async function foreignReason(target: string): Promise<string | null> {
  let last: string | null = null;
  let same = 0;
  for (let look = 0; look < 8; look++) {
    if (look > 0) await new Promise((resolve) => setTimeout(resolve, 10 * Math.min(look, 3)));
    const owner = await ownershipOf(target);
    if (owner.ours || !(await exists(target))) return null;
    same = owner.why === last ? same + 1 : 1;
    last = owner.why;
    if (same === 3) return last;
  }
  return last;
}
