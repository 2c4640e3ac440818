/**
 * ML-25M-sized load benchmark: writes the planted synthetic MovieLens-latest CSV dataset (planted.ts:
 * 25M half-star ratings from known low-rank factors plus noise, 162k users, 59k rated movies of 62k,
 * skewed popularity, quoted titles) once into a temp folder, then times loadDataset and reports peak
 * RSS. Run: npx tsx bench/load25m.ts [--regenerate] [--32m]
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadDataset } from '../src/data/index.js';
import type { Dataset } from '../src/data/types.js';
import { PLANTED_25M, PLANTED_32M, writePlantedCsv, type PlantedSpec } from './planted.js';

export interface LoadBenchOptions {
  /** The planted data's shape (default: ML-25M's). */
  spec?: PlantedSpec;
  /** Where the synthetic dataset lives (reused when complete); default: the temp dir, by size. */
  dir?: string;
  regenerate?: boolean;
  log?: (line: string) => void;
}

export interface LoadBenchResult {
  dir: string;
  ratingsFileMB: number;
  generated: boolean;
  generateSeconds: number | null;
  loadSeconds: number;
  /** User + system CPU seconds spent loading: wall time alone misleads on a busy machine. */
  loadCpuSeconds: number;
  /** process.resourceUsage().maxRSS, in MB, before and after loading. */
  rssBeforeLoadMB: number;
  peakRssMB: number;
  ratings: number;
  users: number;
  items: number;
}

/** Where the planted folder of a spec lives unless told otherwise. */
export function plantedDir(spec: PlantedSpec): string {
  return path.join(os.tmpdir(), 'factorlens-bench', `planted-${Math.round(spec.ratings / 1e6)}m`);
}

/** Writes the planted folder unless it is there, complete, for this very spec; returns the seconds spent (null: reused). */
export function ensurePlantedFolder(spec: PlantedSpec, dir: string, regenerate = false, log: (line: string) => void = () => undefined): number | null {
  const marker = path.join(dir, '.complete');
  const wanted = JSON.stringify(spec);
  const have = existsSync(marker) ? readFileSync(marker, 'utf8') : '';
  if (!regenerate && have === wanted) return null;
  log(`generating ${spec.ratings.toLocaleString('en-US')} planted ratings into ${dir} …`);
  const t0 = performance.now();
  writePlantedCsv(dir, spec);
  writeFileSync(marker, wanted);
  return (performance.now() - t0) / 1000;
}

export async function runLoadBench(opts: LoadBenchOptions = {}): Promise<LoadBenchResult & { ds: Dataset }> {
  const spec = opts.spec ?? PLANTED_25M;
  const dir = opts.dir ?? plantedDir(spec);
  const log = opts.log ?? (() => undefined);
  const generateSeconds = ensurePlantedFolder(spec, dir, opts.regenerate, log);
  const rssBeforeLoadMB = process.resourceUsage().maxRSS / 1024;
  log(`loading ${dir} …`);
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const ds = await loadDataset(dir);
  const cpu = process.cpuUsage(cpu0);
  const loadSeconds = (performance.now() - t1) / 1000;
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  return {
    dir,
    ratingsFileMB: Math.round(statSync(path.join(dir, 'ratings.csv')).size / 2 ** 20),
    generated: generateSeconds !== null,
    generateSeconds: generateSeconds === null ? null : round(generateSeconds),
    loadSeconds: round(loadSeconds),
    loadCpuSeconds: round((cpu.user + cpu.system) / 1e6),
    rssBeforeLoadMB: Math.round(rssBeforeLoadMB),
    peakRssMB: Math.round(peakRssMB),
    ratings: ds.nRatings,
    users: ds.nUsers,
    items: ds.nItems,
    ds,
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { ds: _, ...result } = await runLoadBench({
    spec: process.argv.includes('--32m') ? PLANTED_32M : PLANTED_25M,
    regenerate: process.argv.includes('--regenerate'),
    log: (line) => process.stderr.write(line + '\n'),
  });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
