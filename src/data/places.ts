/**
 * Where factorlens keeps things on disk, by the XDG base-directory rules:
 *   datasets  $XDG_CACHE_HOME/factorlens   (~/.cache/factorlens)       re-downloadable, see cache.ts
 *   snapshots $XDG_DATA_HOME/factorlens    (~/.local/share/factorlens) your trained models
 *   profiles  $XDG_STATE_HOME/factorlens   (~/.local/state/factorlens) your ratings, the last model
 * A source checkout (the package folder holds `.git` or `src/`, which the published package never
 * ships) keeps its snapshots in its own `snapshots/` folder instead, so `npm start` there finds them.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** $VAR if it is an absolute path (the spec says to ignore relative ones), else ~/fallback. */
function xdg(variable: string, fallback: string): string {
  const v = process.env[variable];
  return v && path.isAbsolute(v) ? v : path.join(os.homedir(), fallback);
}

/** $XDG_STATE_HOME/factorlens, or ~/.local/state/factorlens. */
export function stateRoot(): string {
  return path.join(xdg('XDG_STATE_HOME', path.join('.local', 'state')), 'factorlens');
}

/** $XDG_DATA_HOME/factorlens, or ~/.local/share/factorlens. */
export function dataRoot(): string {
  return path.join(xdg('XDG_DATA_HOME', path.join('.local', 'share')), 'factorlens');
}

let root: string | null | undefined;

/** The folder of factorlens's own package.json (found upwards from this module), null if none is found. */
export function packageRoot(): string | null {
  if (root !== undefined) return root;
  root = null;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).name === 'factorlens') return (root = dir);
      } catch {
        // not ours: keep looking upwards
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return root;
    dir = up;
  }
}

/** True when factorlens runs from a source checkout rather than an installed package. */
export function runsFromCheckout(pkgRoot: string | null = packageRoot()): boolean {
  return pkgRoot !== null && (existsSync(path.join(pkgRoot, '.git')) || existsSync(path.join(pkgRoot, 'src')));
}

/** The snapshots folder when neither --snapshots nor $FACTORLENS_SNAPSHOTS names one. */
export function defaultSnapshotsDir(pkgRoot: string | null = packageRoot()): string {
  return pkgRoot !== null && runsFromCheckout(pkgRoot) ? path.join(pkgRoot, 'snapshots') : path.join(dataRoot(), 'snapshots');
}
