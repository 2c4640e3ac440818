/**
 * Leaderboard rows kept on disk, so reopening a leaderboard is instant: one small JSON file per row in
 * $XDG_CACHE_HOME/factorlens/leaderboard/, named by the sha256 of everything the row depends on — the
 * dataset's hash, the protocol and its split options (the split files' contents, for --split-files),
 * the model's resolved options, the metrics' settings and factorlens's version. Change any of them and
 * the name changes: a stale row is never read, only left for `rm -r` (each is a few hundred bytes).
 * Writes go to a temporary file, are fsynced and renamed into place: a crash leaves the old row or the
 * new one, never half of one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { cacheRoot } from '../../data/index.js';
import { factorlensVersion } from '../snapshot/manifest.js';
import type { TrainOptions } from '../types.js';

const FORMAT = 'factorlens-leaderboard-row';

export function leaderboardCacheDir(): string {
  return path.join(cacheRoot(), 'leaderboard');
}

/** What a row's numbers depend on. */
export interface RowKeyParts {
  datasetHash: string;
  protocol: string;
  validPct: number;
  seed: number;
  /** The 'files' split's files: their paths and contents. */
  splitFiles?: { train: string; test: string };
  /** The model's options, resolved (defaults filled), without the split fields above. */
  options: TrainOptions;
  /** The metrics' own settings (cut-offs, relevance, the cold users' reveal). */
  metrics: unknown;
}

/** The row's key: sha256 over its parts and factorlens's version, the files' contents included. */
export function rowKey(p: RowKeyParts, version = factorlensVersion()): string {
  const files = p.splitFiles ? { train: fileDigest(p.splitFiles.train), test: fileDigest(p.splitFiles.test) } : null;
  const { splitFiles: _omit, ...rest } = p;
  return sha256(stableJson({ version, ...rest, files }));
}

function fileDigest(file: string): string {
  try {
    return sha256(readFileSync(file));
  } catch {
    return `unreadable ${path.resolve(file)}`;
  }
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with object keys sorted, so the same parts always give the same text. */
function stableJson(x: unknown): string {
  return JSON.stringify(x, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));
}

/** The cached row under `key`, or null (absent, unreadable or not ours: all mean "compute it"). */
export async function readRow<T>(key: string, dir = leaderboardCacheDir()): Promise<T | null> {
  try {
    const parsed = JSON.parse(await fsp.readFile(path.join(dir, `${key}.json`), 'utf8')) as { format?: string; key?: string; row?: T };
    return parsed.format === FORMAT && parsed.key === key && parsed.row !== undefined ? parsed.row : null;
  } catch {
    return null;
  }
}

/** Writes the row atomically (temporary file, fsync, rename). A cache that cannot be written is not an error: it returns false. */
export async function writeRow(key: string, row: unknown, dir = leaderboardCacheDir()): Promise<boolean> {
  const target = path.join(dir, `${key}.json`);
  const tmp = path.join(dir, `.${key}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fsp.mkdir(dir, { recursive: true });
    const fh = await fsp.open(tmp, 'wx', 0o644);
    try {
      // JSON has no NaN: a number that is not finite is written as null, like a metric the model has none of
      await fh.writeFile(JSON.stringify({ format: FORMAT, key, row }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, target);
    return true;
  } catch {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    return false;
  }
}
