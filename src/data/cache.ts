/** Where datasets live: --data DIR, else $FACTORLENS_DATA, else the download cache. */
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataError } from './types.js';
import { describeFsError, errCode } from './fsErrors.js';

export const DEFAULT_DATASET = 'ml-100k';

/** $XDG_CACHE_HOME/factorlens, or ~/.cache/factorlens. */
export function cacheRoot(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'factorlens');
}

export function cacheDir(dataset: string = DEFAULT_DATASET): string {
  return path.join(cacheRoot(), dataset);
}

/**
 * The dataset folder to use. An explicit --data or $FACTORLENS_DATA must exist (a typo should not
 * fall back to some other data silently); the cache is used only when neither is given.
 */
export function resolveDataDir(flag?: string): string {
  if (flag !== undefined && flag !== '') return mustExist(flag, '--data');
  const env = process.env.FACTORLENS_DATA;
  if (env) return mustExist(env, 'FACTORLENS_DATA');
  const cached = cacheDir(DEFAULT_DATASET);
  if (existsSync(path.join(cached, 'u.data'))) return cached;
  throw new DataError(
    `no MovieLens data found (looked in ${cached}): run \`factorlens data download\` to fetch MovieLens 100K, ` +
      `or pass --data DIR (or set FACTORLENS_DATA) to use a folder you already have`,
  );
}

function mustExist(p: string, from: string): string {
  let st;
  try {
    st = statSync(p);
  } catch (err) {
    if (errCode(err) === 'ENOENT') {
      throw new DataError(`${from} ${p}: no such file or directory (run \`factorlens data download\` to fetch MovieLens 100K)`);
    }
    // a symlink loop, a file in the path, a folder we may not enter: said as what it is
    throw new DataError(describeFsError(err, `${from} ${p} cannot be read`));
  }
  if (!st.isDirectory() && !st.isFile()) throw new DataError(`${from} ${p} is neither a folder nor a file`);
  return p;
}
