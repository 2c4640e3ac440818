/** Reading the snapshot store: load, show, list and remove named snapshots. */
import fsp from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import { SnapshotError } from './errors.js';
import { describeFsError, errCode, exists, fsStep, fsyncDir } from './fsSafe.js';
import { notOurs, ownershipOf, removeOwnedFolder } from './ownership.js';
import { describeProblem, inspectDir, problemOf, type Inspected } from './inspect.js';
import { WEIGHTS_FILE } from './manifest.js';
import { snapshotsDir, validateSnapshotName, workEntryName } from './names.js';
import { cleanupStale, locateSnapshot } from './recovery.js';
import { emptySummary, summarize, type LoadedSnapshot, type SnapshotDetails, type SnapshotSummary } from './summary.js';
import { decodeModelWeights, decodePick } from './weightsFile.js';
import type { PickModel } from '../interpret/pickAndLike.js';
import type { ModelWeights } from '../types.js';

const notFound = (name: string, dir: string) =>
  new SnapshotError(`no snapshot named "${name}" in ${dir} (\`factorlens snapshots list\` shows what is there)`);

/**
 * Locates and verifies NAME. A save replacing it at the same moment may move the folder while we
 * read it; that shows as the folder's inode changing, and we read again instead of calling it damaged.
 */
async function readVerified(name: string, dir: string): Promise<{ ins: Inspected; target: string }> {
  validateSnapshotName(name);
  const target = path.join(dir, name);
  for (let attempt = 0; ; attempt++) {
    let where: string | null = null;
    let ino: number | undefined;
    try {
      where = await locateSnapshot(dir, name);
      if (!where) throw notFound(name, dir);
      ino = (await fsp.stat(where)).ino;
      return { ins: await inspectDir(where), target };
    } catch (err) {
      if (where === null && err instanceof SnapshotError) throw err;
      const now = where ? await fsp.stat(where).catch(() => null) : null;
      const moved = ino === undefined || !now || now.ino !== ino;
      if (moved && attempt < 3) continue;
      const ours = where !== null && (await ownershipOf(where)).ours;
      throw describeProblem(name, where ?? target, err, ours);
    }
  }
}

export async function loadSnapshot(name: string, opts: { dir?: string; datasetHash?: string } = {}): Promise<LoadedSnapshot> {
  const dir = opts.dir ?? snapshotsDir();
  const { ins, target } = await readVerified(name, dir);
  const m = ins.manifest;
  let weights: ModelWeights;
  let pick: PickModel | undefined;
  try {
    weights = decodeModelWeights(ins.bin, ins.specs, m.model);
    pick = decodePick(ins.bin, ins.specs, m.model, m.pick);
  } catch (err) {
    if (err instanceof SnapshotError) throw describeProblem(name, target, err);
    throw describeProblem(name, target, new SnapshotError(`is damaged: tfjs could not decode ${WEIGHTS_FILE} (${String(err)})`));
  }
  const warnings: string[] = [];
  if (opts.datasetHash !== undefined && opts.datasetHash !== m.dataset.hash) {
    warnings.push(
      `snapshot "${name}" was trained on a different dataset (${m.dataset.name}, ${m.dataset.nRatings} ratings, ` +
        `hash ${m.dataset.hash.slice(0, 12)}) than the one loaded now (hash ${opts.datasetHash.slice(0, 12)}): ` +
        `the snapshot's own vocabulary is used, so ids and titles follow the snapshot`,
    );
  }
  return { name, manifest: m, weights, vocab: m.vocab, options: m.options, epochs: m.training.epochs, batchLosses: m.training.batchLosses, warnings, ...(pick ? { pick } : {}) };
}

export async function showSnapshot(name: string, dir: string = snapshotsDir()): Promise<SnapshotDetails> {
  const { ins, target } = await readVerified(name, dir);
  return { summary: summarize(name, target, ins), manifest: ins.manifest };
}

export interface SnapshotScan {
  /** factorlens's snapshots, sorted by name; a damaged one carries `error` (it may be removed). */
  snapshots: SnapshotSummary[];
  /** Entries that are not factorlens snapshots (ownership.ts): listed only by name, never touched. */
  others: string[];
}

/** Every snapshot in the folder, sorted by name; a broken one is listed with `error` so it can be seen and removed. */
export async function listSnapshots(dir: string = snapshotsDir()): Promise<SnapshotSummary[]> {
  return (await scanSnapshots(dir)).snapshots;
}

/**
 * The folder's snapshots and, apart, whatever else is there. "Broken" means factorlens's own snapshot,
 * damaged: a folder with none of its files (`--snapshots /etc`) is not a broken snapshot but someone
 * else's folder, and is only counted.
 */
export async function scanSnapshots(dir: string = snapshotsDir()): Promise<SnapshotScan> {
  let entries: Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (errCode(err) === 'ENOENT') return { snapshots: [], others: [] };
    throw new SnapshotError(`cannot list snapshots: reading ${dir} failed: ${describeFsError(err)}`);
  }
  await cleanupStale(dir).catch(() => undefined);
  entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => entries);
  const snapshots: SnapshotSummary[] = [];
  const others: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const target = path.join(dir, e.name);
    if (!e.isDirectory() || !(await ownershipOf(target)).ours) {
      others.push(e.name);
      continue;
    }
    try {
      validateSnapshotName(e.name);
      snapshots.push(summarize(e.name, target, await inspectDir(target)));
    } catch (err) {
      const size = await folderSize(target);
      snapshots.push({ ...emptySummary(e.name, target), sizeBytes: size, error: describeProblem(e.name, target, err).message, problem: problemOf(err).replace(/^is /, '') });
    }
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return { snapshots: snapshots.sort((a, b) => byName(a.name, b.name)), others: others.sort(byName) };
}

/** What the snapshot's own files take on disk (lstat: a symlink counts as the link, not what it points to). */
async function folderSize(dir: string): Promise<number> {
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  let total = 0;
  for (const n of names) total += (await fsp.lstat(path.join(dir, n)).catch(() => null))?.size ?? 0;
  return total;
}

/**
 * Removes NAME when it is provably a factorlens snapshot (ownership.ts), damaged or not; anything else
 * is refused and left as it was. Renames it to a hidden `.rm` entry first, so a kill mid-removal never
 * leaves a half-deleted snapshot visible, then unlinks its files and removes the empty folder.
 */
export async function removeSnapshot(name: string, dir: string = snapshotsDir()): Promise<void> {
  validateSnapshotName(name);
  const target = path.join(dir, name);
  const fail = `cannot remove snapshot "${name}"`;
  await cleanupStale(dir, name).catch(() => undefined);
  if (!(await exists(target).catch(() => false))) throw notFound(name, dir);
  const owner = await ownershipOf(target);
  if (!owner.ours) throw notOurs(fail, name, dir, owner.why);
  const trash = path.join(dir, workEntryName(name, 'rm'));
  await fsStep(`${fail}: renaming`, target, () => fsp.rename(target, trash));
  await fsyncDir(dir);
  try {
    await removeOwnedFolder(trash);
  } catch (err) {
    // something that is not a snapshot file appeared in it meanwhile: put it back as it was
    const back = await fsp.rename(trash, target).then(() => true, () => false);
    throw new SnapshotError(
      `${fail}: deleting its files failed: ${describeFsError(err)}; ${back ? `it is back at ${target}` : `what is left is at ${trash}`}`,
    );
  }
}
