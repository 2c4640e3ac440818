/** How a worker thread's script is found, built or under tsx (shared by the training and tuning workers). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Under tsx (tests, development) the worker is the .ts source. Node 20 ignores `--import tsx` in a
 * worker's execArgv ("Unknown file extension .ts"), so a tiny bootstrap registers tsx's hooks inside
 * the worker and then imports the source.
 */
export function workerScript(from: string, name: string): { script: URL | string; eval: boolean } {
  if (!from.endsWith('.ts')) return { script: new URL(`./${name}.js`, from), eval: false };
  const tsx = JSON.stringify(tsxEsmApi());
  const source = JSON.stringify(new URL(`./${name}.ts`, from).href);
  return { script: `import(${tsx}).then((m) => { m.register(); return import(${source}); });`, eval: true };
}

/**
 * The ESM build of tsx's API (its CommonJS build cannot register from a worker). Resolved by hand from
 * tsx's exports map: vitest's module runner has no import.meta.resolve, and require.resolve picks the CJS file.
 */
function tsxEsmApi(): string {
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(path.join(path.dirname(pkgFile), pkg.exports['./esm/api'].import.default)).href;
}

