/**
 * ML-25M-sized load benchmark: writes a synthetic MovieLens-latest CSV dataset (25M half-star
 * ratings, 162k users, 59k rated movies of 62k, skewed popularity, quoted titles) once into a temp
 * folder, then times loadDataset and reports peak RSS. Run: npx tsx bench/load25m.ts [--regenerate]
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { open, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadDataset } from '../src/data/index.js';
import { mulberry32 } from '../src/data/split.js';

export interface LoadBenchOptions {
  /** Where the synthetic dataset lives (reused when complete). */
  dir?: string;
  ratings?: number;
  users?: number;
  movies?: number;
  seed?: number;
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

/** ML-25M's shape. */
export const LOAD_BENCH_DEFAULTS = {
  ratings: 25_000_095,
  users: 162_541,
  movies: 62_423,
  seed: 25,
  dir: path.join(os.tmpdir(), 'factorlens-bench', 'ml-25m-synthetic'),
} as const;

export async function runLoadBench(opts: LoadBenchOptions = {}): Promise<LoadBenchResult> {
  const o = { ...LOAD_BENCH_DEFAULTS, ...opts };
  const log = opts.log ?? (() => undefined);
  const marker = path.join(o.dir, '.complete');
  let generated = false;
  let generateSeconds: number | null = null;
  const wanted = `${o.ratings} ${o.users} ${o.movies} ${o.seed}`;
  const have = existsSync(marker) ? (await import('node:fs')).readFileSync(marker, 'utf8') : '';
  if (opts.regenerate || have !== wanted) {
    log(`generating ${o.ratings.toLocaleString('en-US')} ratings into ${o.dir} …`);
    const t0 = performance.now();
    await generate(o.dir, o.ratings, o.users, o.movies, o.seed);
    await writeFile(marker, wanted);
    generateSeconds = (performance.now() - t0) / 1000;
    generated = true;
  }
  const rssBeforeLoadMB = process.resourceUsage().maxRSS / 1024;
  log('loading …');
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const ds = await loadDataset(o.dir);
  const cpu = process.cpuUsage(cpu0);
  const loadSeconds = (performance.now() - t1) / 1000;
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  return {
    dir: o.dir,
    ratingsFileMB: Math.round(statSync(path.join(o.dir, 'ratings.csv')).size / 2 ** 20),
    generated,
    generateSeconds: generateSeconds === null ? null : round(generateSeconds),
    loadSeconds: round(loadSeconds),
    loadCpuSeconds: round((cpu.user + cpu.system) / 1e6),
    rssBeforeLoadMB: Math.round(rssBeforeLoadMB),
    peakRssMB: Math.round(peakRssMB),
    ratings: ds.nRatings,
    users: ds.nUsers,
    items: ds.nItems,
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

const GENRES = ['Action', 'Adventure', 'Animation', 'Children', 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy', 'Film-Noir', 'Horror', 'IMAX', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western'];
const WORDS = ['Night', 'Love', 'Star', 'Dark', 'Last', 'City', 'Man', 'Woman', 'Story', 'Dead', 'Life', 'House', 'King', 'Girl', 'World', 'Time', 'Blood', 'Secret', 'Summer', 'War', 'Lost', 'Return', 'River', 'Dream', 'Fire', 'Ghost', 'Heart', 'Road', 'Moon', 'Island', 'Lambs', 'Silence', 'Empire', 'Shadow', 'Little', 'Great', 'Wild', 'Murder', 'Paris', 'Café', 'Misérables'];

/** Writes ratings.csv (grouped by user, like GroupLens') and movies.csv via temp names, then renames. */
async function generate(dir: string, nRatings: number, nUsers: number, nMovies: number, seed: number): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rand = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

  // skewed activity: log-normal counts, at least 20 per user (as in ML-25M), scaled to nRatings
  const counts = new Float64Array(nUsers);
  let sum = 0;
  for (let u = 0; u < nUsers; u++) sum += counts[u] = Math.exp(4.2 + 1.1 * normal());
  const perUser = new Int32Array(nUsers);
  let assigned = 0;
  for (let u = 0; u < nUsers; u++) {
    perUser[u] = Math.max(20, Math.min(Math.floor((counts[u] / sum) * (nRatings - 20 * nUsers)) + 20, 5000));
    assigned += perUser[u];
  }
  for (let u = 0; assigned !== nRatings; u = (u + 1) % nUsers) {
    const d = assigned < nRatings ? 1 : -1;
    if (perUser[u] + d >= 20 && perUser[u] + d <= 5000) {
      perUser[u] += d;
      assigned += d;
    }
  }
  // skewed popularity over the ~95% of movies that get rated; movie quality shifts its ratings
  const rated = Math.floor(nMovies * 0.946);
  const quality = new Float32Array(nMovies + 1);
  for (let m = 1; m <= nMovies; m++) quality[m] = 0.6 * normal();
  const stamp = new Int32Array(nMovies + 1).fill(-1);

  const tmp = path.join(dir, 'ratings.csv.tmp');
  const fh = await open(tmp, 'w');
  const buf = Buffer.allocUnsafe(8 << 20);
  let pos = 0;
  const putInt = (v: number) => {
    if (v >= 10) putInt(Math.floor(v / 10));
    buf[pos++] = 48 + (v % 10);
  };
  const putStr = (s: string) => {
    pos += buf.write(s, pos, 'latin1');
  };
  putStr('userId,movieId,rating,timestamp\n');
  let ts = 789_652_009;
  for (let u = 0; u < nUsers; u++) {
    const userBias = 0.4 * normal();
    const items: number[] = [];
    while (items.length < perUser[u]) {
      const m = 1 + Math.floor(rated * Math.pow(rand(), 2.6)); // power law: low ids are blockbusters
      if (stamp[m] === u) continue;
      stamp[m] = u;
      items.push(m);
    }
    items.sort((a, b) => a - b);
    for (const m of items) {
      const r = Math.min(5, Math.max(0.5, Math.round((3.55 + userBias + quality[m] + 0.9 * normal()) * 2) / 2));
      ts += Math.floor(rand() * 60);
      putInt(u + 1);
      buf[pos++] = 44;
      putInt(m);
      buf[pos++] = 44;
      putInt(Math.floor(r));
      buf[pos++] = 46;
      buf[pos++] = r % 1 ? 53 : 48;
      buf[pos++] = 44;
      putInt(ts);
      buf[pos++] = 10;
      if (pos > buf.length - 256) {
        await fh.write(buf, 0, pos);
        pos = 0;
      }
    }
  }
  await fh.write(buf, 0, pos);
  await fh.close();

  const lines = ['movieId,title,genres'];
  for (let m = 1; m <= nMovies; m++) {
    const k = 1 + Math.floor(rand() * 3);
    let title = Array.from({ length: k }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
    const v = rand();
    if (v < 0.08) title += ', The';
    else if (v < 0.1) title = `"${title}" Returns`;
    title += ` (${1920 + Math.floor(rand() * 100)})`;
    const quoted = /[",]/.test(title) ? `"${title.replace(/"/g, '""')}"` : title;
    const g = rand() < 0.02 ? '(no genres listed)' : Array.from(new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => GENRES[Math.floor(rand() * GENRES.length)]))).join('|');
    lines.push(`${m},${quoted},${g}`);
  }
  await writeFile(path.join(dir, 'movies.csv'), lines.join('\n') + '\n');
  await rename(tmp, path.join(dir, 'ratings.csv'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runLoadBench({
    regenerate: process.argv.includes('--regenerate'),
    log: (line) => process.stderr.write(line + '\n'),
  });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
