/** Reading the snapshot store: load, show, list and remove named snapshots. */
import fsp from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import { SnapshotError } from './errors.js';
import { errCode, exists, fsStep, fsyncDir } from './fsSafe.js';
import { describeProblem, inspectDir, problemOf, type Inspected } from './inspect.js';
import { WEIGHTS_FILE } from './manifest.js';
import { snapshotsDir, validateSnapshotName, workEntryName } from './names.js';
import { cleanupStale, locateSnapshot } from './recovery.js';
import { emptySummary, summarize, type LoadedSnapshot, type SnapshotDetails, type SnapshotSummary } from './summary.js';
import { decodeModelWeights } from './weightsFile.js';
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
      throw describeProblem(name, where ?? target, err);
    }
  }
}

export async function loadSnapshot(name: string, opts: { dir?: string; datasetHash?: string } = {}): Promise<LoadedSnapshot> {
  const dir = opts.dir ?? snapshotsDir();
  const { ins, target } = await readVerified(name, dir);
  const m = ins.manifest;
  let weights: ModelWeights;
  try {
    weights = decodeModelWeights(ins.bin, ins.specs, m.model);
  } catch (err) {
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
  return { name, manifest: m, weights, vocab: m.vocab, options: m.options, epochs: m.training.epochs, batchLosses: m.training.batchLosses, warnings };
}

export async function showSnapshot(name: string, dir: string = snapshotsDir()): Promise<SnapshotDetails> {
  const { ins, target } = await readVerified(name, dir);
  return { summary: summarize(name, target, ins), manifest: ins.manifest };
}

/** Every snapshot folder, sorted by name; a broken one is listed with `error` so it can be seen and removed. */
export async function listSnapshots(dir: string = snapshotsDir()): Promise<SnapshotSummary[]> {
  let entries: Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (errCode(err) === 'ENOENT') return [];
    throw new SnapshotError(`cannot list snapshots: reading ${dir} failed: ${(err as Error).message}`);
  }
  await cleanupStale(dir).catch(() => undefined);
  entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => entries);
  const out: SnapshotSummary[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || !e.isDirectory()) continue;
    const target = path.join(dir, e.name);
    try {
      validateSnapshotName(e.name);
      out.push(summarize(e.name, target, await inspectDir(target)));
    } catch (err) {
      const size = await folderSize(target);
      out.push({ ...emptySummary(e.name, target), sizeBytes: size, error: describeProblem(e.name, target, err).message, problem: problemOf(err).replace(/^is /, '') });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function folderSize(dir: string): Promise<number> {
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  let total = 0;
  for (const n of names) total += (await fsp.stat(path.join(dir, n)).catch(() => null))?.size ?? 0;
  return total;
}

/** Renames NAME to a hidden `.rm` entry first, so a kill mid-removal never leaves a half-deleted snapshot visible. */
export async function removeSnapshot(name: string, dir: string = snapshotsDir()): Promise<void> {
  validateSnapshotName(name);
  const target = path.join(dir, name);
  await cleanupStale(dir, name).catch(() => undefined);
  if (!(await exists(target).catch(() => false))) throw notFound(name, dir);
  const trash = path.join(dir, workEntryName(name, 'rm'));
  await fsStep(`cannot remove snapshot "${name}": renaming`, target, () => fsp.rename(target, trash));
  await fsyncDir(dir);
  await fsStep(`snapshot "${name}" was removed from view, but deleting`, trash, () => fsp.rm(trash, { recursive: true, force: true }));
}
