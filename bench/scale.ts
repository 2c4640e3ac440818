/**
 * The ML-25M-sized bench row, one part per fresh process so each peak RSS is that part's own
 * (bench/run.ts --only scale runs them all; each can run alone: node dist/bench/scale.js --part P):
 *   train   the planted 25M set (planted.ts): load, split, noise floor; the large-data recipe on every
 *           core for its epochs (epoch seconds, valid RMSE vs the floor); what the app does with the
 *           trained model (search, fold-in, PCA, crosstab, biases, the pick model, snapshot save and
 *           load) — peakRssMB is the process's peak up to here; then the threaded trainer on one thread
 *           for comparison and the PyTorch reference on the same rows
 *   load32  the planted 32M set (ML-32M's shape): load time and peak RSS
 * Prints one JSON document on stdout; progress on stderr.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TitleSearch, crosstab, makeSplit } from '../src/data/index.js';
import type { Dataset, Split } from '../src/data/types.js';
import { selectRows } from '../src/model/evaluate/metrics.js';
import { modelShape } from '../src/model/engine/layout.js';
import { mulberry32 } from '../src/model/engine/random.js';
import { StrataTrainer } from '../src/model/engine/strata.js';
import { biasRanking, moviePca, timeRecommend } from '../src/model/interpret/index.js';
import { pickModelFor } from '../src/model/interpret/pickAndLike.js';
import { loadSnapshot, saveSnapshot } from '../src/model/snapshot/index.js';
import { optionsFor, trainModel } from '../src/model/train/train.js';
import type { DotBiasWeights, TrainOptions } from '../src/model/types.js';
import { plantedDir, runLoadBench } from './load25m.js';
import { PLANTED_25M, PLANTED_32M, noiseFloor, plantModel, plantedMapRmse, usersOnlyOracleRmse } from './planted.js';

/** The epochs the large-data recipe trains at this size (the rest comes from sizedDefaults). */
export const SCALE_EPOCHS = 5;

const log = (s: string) => process.stderr.write(s + '\n');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), import.meta.url.includes('/dist/') ? '../..' : '..');

async function trainPart(args: string[]): Promise<Record<string, unknown>> {
  const load = await runLoadBench({ spec: PLANTED_25M, log });
  const { ds, ...loadRow } = load;
  const split = makeSplit(ds, 'random');
  const planted = plantModel(PLANTED_25M);
  const floor = noiseFloor(planted, ds, split.valid);
  const usersOnly = usersOnlyOracleRmse(planted, ds, split.train, split.valid);
  log(`noise floor of the validation rows: RMSE ${floor.rmse.toFixed(4)} (the planted model's own predictions: ${floor.oracleRmse.toFixed(4)}; users fitted to the true movies: ${usersOnly.toFixed(4)})`);
  const partial: Partial<TrainOptions> = { epochs: SCALE_EPOCHS };
  const opts = optionsFor(ds, partial);
  log(`training ${opts.model}, ${opts.threads ?? 1} threads, bs ${opts.bs}, lr ${opts.lr}, wd ${opts.wd}, ${opts.epochs} epochs …`);
  const rssBeforeTrain = rssMB();
  const r = await trainModel(ds, split, partial, { onEvent: (e) => e.type === 'epoch' && log(`  epoch ${e.row.epoch}: ${e.row.seconds.toFixed(1)} s, valid RMSE ${e.row.validRmse.toFixed(4)}`) });
  const rssAfterTrain = rssMB();
  const last = r.epochs.at(-1)!;
  const row: Record<string, unknown> = {
    ...loadRow,
    load: { seconds: load.loadSeconds, cpuSeconds: load.loadCpuSeconds, peakRssMB: load.peakRssMB },
    recipe: { threads: opts.threads ?? 1, bs: opts.bs, lr: opts.lr, wd: opts.wd, epochs: opts.epochs },
    threads: opts.threads ?? 1,
    bs: opts.bs,
    epochs: r.epochs.map((e) => ({ seconds: round(e.seconds), validRmse: round(e.validRmse, 5) })),
    epochSeconds: round(median(r.epochs.map((e) => e.seconds))),
    validRmse: last.validRmse,
    noiseFloorRmse: floor.rmse,
    oracleRmse: floor.oracleRmse,
    usersOnlyOracleRmse: usersOnly,
    gapToFloor: last.validRmse - floor.rmse,
    rssBeforeTrainMB: rssBeforeTrain,
    peakRssAfterTrainMB: rssAfterTrain,
  };

  // what the app does with the model, at this size
  row.app = await appOperations(ds, split, r);
  // the peak of what a user's process does: load, train, then the app's operations on the model
  row.peakRssMB = rssMB();

  // what the rows allow at best, for reading gapToFloor: the planted model's own MAP fit (its rank and
  // priors known, both sides estimated) — after the peak above, since it is the bench's, not the app's
  const t0 = performance.now();
  row.plantedMapRmse = plantedMapRmse(planted, ds, split.train, split.valid);
  row.gapOfPlantedMapToFloor = (row.plantedMapRmse as number) - floor.rmse;
  row.gapToPlantedMap = last.validRmse - (row.plantedMapRmse as number);
  log(`the planted model's MAP fit: valid RMSE ${(row.plantedMapRmse as number).toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);

  // the same trainer on one thread, epochs alternating with two threads' (medians of 3): the threads' gain.
  // Its two extra trainers are the bench's own, so they come after the peak above (and have their own).
  if (!args.includes('--no-one-thread')) {
    row.threadScaling = threadScaling(ds, split, opts);
    row.peakRssWithScalingTrainersMB = rssMB();
  }

  if (!args.includes('--no-torch')) row.torch = torchReference(ds, split, opts, args);
  if (row.torch && typeof row.torch === 'object' && 'epoch_s' in row.torch) row.ratioToTorch = (row.epochSeconds as number) / (row.torch as { epoch_s: number }).epoch_s;
  return row;
}

/** Epoch seconds of the threaded trainer on 1 and on N threads, alternating, 3 epochs each. */
function threadScaling(ds: Dataset, split: Split, opts: TrainOptions) {
  const train = selectRows(ds, split.train);
  const shape = modelShape(opts, ds.nUsers, ds.nItems);
  const N = Math.max(2, opts.threads ?? 2);
  const make = (threads: number) => new StrataTrainer(shape, mulberry32(1), train, null, { threads, bs: opts.bs, yRange: opts.yRange, wd: opts.wd, beta2: 0.99, eps: 1e-5 });
  const trainers = { 1: make(1), [N]: make(N) } as Record<number, StrataTrainer>;
  const times: Record<number, number[]> = { 1: [], [N]: [] };
  const rng = mulberry32(2);
  for (let i = 0; i < 3; i++) {
    for (const t of [1, N]) {
      const tr = trainers[t];
      const t0 = performance.now();
      tr.beginEpoch(rng);
      for (let s = 0; s < tr.plan.steps; s++) tr.step(s, () => ({ lr: opts.lr / 5, beta1: 0.9 }));
      tr.settle();
      times[t].push((performance.now() - t0) / 1000);
      log(`  threaded trainer, ${t} thread(s): ${times[t].at(-1)!.toFixed(1)} s an epoch`);
    }
  }
  void trainers[1].close();
  void trainers[N].close();
  return { threads: N, oneThreadEpochSeconds: round(median(times[1])), epochSeconds: round(median(times[N])), speedup: round(median(times[1]) / median(times[N])), runs: times };
}

async function appOperations(ds: Dataset, split: Split, r: Awaited<ReturnType<typeof trainModel>>) {
  const out: Record<string, unknown> = {};
  // fuzzy search per keystroke over every title
  const search = new TitleSearch(ds.titles);
  // wall time and this process's CPU time per call: on a busy machine the wall time's tail is other
  // processes' turn on the cores, the CPU time what a quiet machine would take
  const timed = (f: () => void) => {
    const t = performance.now();
    const c = process.cpuUsage();
    f();
    const cpu = process.cpuUsage(c);
    return [performance.now() - t, (cpu.user + cpu.system) / 1000];
  };
  const p = (xs: number[], q: number) => round([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]);
  const keys: number[][] = [];
  for (const q of ['star wars', 'silence lambs', 'return of the king', 'blue river', 'night dark city']) {
    for (let k = 1; k <= q.length; k++) keys.push(timed(() => search.search(q.slice(0, k), 10)));
  }
  const wall = keys.map((k) => k[0]);
  const cpu = keys.map((k) => k[1]);
  out.search = { titles: ds.titles.length, keystrokes: keys.length, p50Ms: p(wall, 0.5), p95Ms: p(wall, 0.95), cpuP95Ms: p(cpu, 0.95) };
  // a new user's ten ratings → top 10 over every movie
  const popular = Array.from(ds.itemCount, (c, i) => [c, i]).sort((a, b) => b[0] - a[0]).slice(0, 10);
  const mine = popular.map(([, item], k) => ({ item, rating: [5, 4, 2, 5, 3, 1, 4, 5, 2, 4][k] }));
  const foldIn = timeRecommend(r.weights, r.vocab, mine, 100);
  const foldCpu = Array.from({ length: 40 }, () => timed(() => timeRecommend(r.weights, r.vocab, mine, 1))[1]);
  out.foldIn = { movies: ds.nItems, p50Ms: round(foldIn.p50Ms), p95Ms: round(foldIn.p95Ms), cpuP95Ms: p(foldCpu, 0.95) };
  const time = <T>(f: () => T): [T, number] => {
    const t = performance.now();
    const v = f();
    return [v, round(performance.now() - t)];
  };
  out.pcaMs = time(() => moviePca(r.weights, r.vocab, { movies: 1000, components: 3 }))[1];
  out.crosstabMs = time(() => crosstab(ds, 15, 15))[1];
  out.biasMs = { movie: time(() => biasRanking(r.weights, r.vocab, { kind: 'movie', top: 10 }))[1], user: time(() => biasRanking(r.weights, r.vocab, { kind: 'user', top: 10 }))[1] };
  // the new-user pick model that `train --save` and the app's worker fit after training
  const [pick, pickMs] = time(() => pickModelFor(ds, split));
  r.pick = pick;
  out.pickModelMs = pickMs;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-scale-snaps-'));
  try {
    const t0 = performance.now();
    await saveSnapshot('scale', r, { dir, force: true });
    const saveMs = performance.now() - t0;
    const bytes = statSync(path.join(dir, 'scale', 'weights.bin')).size + statSync(path.join(dir, 'scale', 'manifest.json')).size;
    const t1 = performance.now();
    await loadSnapshot('scale', { dir });
    const w = r.weights as DotBiasWeights; // the bench trains dotbias
    out.snapshot = { params: w.userFactors.length + w.itemFactors.length + w.nUsers + w.nItems, sizeMB: round(bytes / 2 ** 20, 1), saveMs: round(saveMs), loadMs: round(performance.now() - t1) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  log(`app at this size: ${JSON.stringify(out)}`);
  return out;
}

/** The split's rows as raw columns for bench/torch_scale.py, written once beside the planted data. */
function writeSplitColumns(ds: Dataset, split: Split, opts: TrainOptions): string {
  const dir = path.join(ds.source, `split-${split.name}-${opts.seed}`);
  const marker = path.join(dir, 'meta.json');
  const meta = { nUsers: ds.nUsers, nItems: ds.nItems, train: split.train.length, valid: split.valid.length, hash: ds.hash, yRange: opts.yRange };
  if (existsSync(marker) && readFileSync(marker, 'utf8') === JSON.stringify(meta)) return dir;
  mkdirSync(dir, { recursive: true });
  for (const [name, rows] of [['train', split.train], ['valid', split.valid]] as const) {
    const c = selectRows(ds, rows);
    writeFileSync(path.join(dir, `${name}_users.i32`), new Uint8Array(c.users.buffer));
    writeFileSync(path.join(dir, `${name}_items.i32`), new Uint8Array(c.items.buffer));
    writeFileSync(path.join(dir, `${name}_ratings.f32`), new Uint8Array(c.ratings.buffer));
  }
  writeFileSync(marker, JSON.stringify(meta));
  return dir;
}

function torchReference(ds: Dataset, split: Split, opts: TrainOptions, args: string[]) {
  const python = '/usr/bin/python3';
  const script = path.join(root, 'bench/torch_scale.py');
  try {
    execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return { skipped: 'no PyTorch for /usr/bin/python3 (apt-get install -y python3-torch)' };
  }
  const epochs = Number(args[args.indexOf('--torch-epochs') + 1]) || opts.epochs;
  const dir = writeSplitColumns(ds, split, opts);
  const argv = [script, '--data', dir, '--bs', String(opts.bs), '--lr', String(opts.lr), '--wd', String(opts.wd), '--epochs', String(epochs), '--factors', String(opts.factors), '--threads', String(os.cpus().length)];
  log(`PyTorch reference: ${python} ${argv.join(' ')}`);
  const out = execFileSync(python, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const l of lines.slice(0, -1)) log(`  torch epoch ${String(l.epoch)}: ${String(l.seconds)} s, valid RMSE ${String(l.valid_rmse)}`);
  return { command: `${python} ${argv.join(' ')}`, ...lines.at(-1)! };
}

async function load32Part(): Promise<Record<string, unknown>> {
  const { ds, ...row } = await runLoadBench({ spec: PLANTED_32M, dir: plantedDir(PLANTED_32M), log });
  void ds;
  return row;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const part = args[args.indexOf('--part') + 1];
  const res = part === 'load32' ? await load32Part() : part === 'train' ? await trainPart(args) : null;
  if (!res) {
    log('usage: scale.js --part train|load32 [--no-torch] [--no-one-thread] [--torch-epochs N]');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(res) + '\n');
}
