/** The seeds' recipe as defaults, in one place, and the validation of every hyperparameter. */
import { availableParallelism } from 'node:os';
import { ModelError } from '../errors.js';
import { MODEL_KINDS, modelKind } from '../models/index.js';
import type { AutoRecSettings, BaselineSettings, EaseSettings, IalsSettings, KnnSettings, TrainOptions } from '../types.js';


export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  model: 'dotbias',
  factors: 50,
  userEmb: 0,
  itemEmb: 0,
  layers: [100],
  epochs: 5,
  lr: 5e-3,
  wd: 0.1,
  bs: 64,
  yRange: [0, 5.5],
  schedule: 'one-cycle',
  split: 'random',
  validPct: 0.2,
  seed: 42,
  backend: 'auto',
};

/** The AutoRec stage of solver 'autorec' (chosen on a 5% hold-out of u1.base, see presets.ts). */
export const DEFAULT_AUTOREC: AutoRecSettings = { hidden: 500, epochs: 40, lr: 3e-3, wd: 6, bs: 64, blend: 0.6 };

/** Surprise's BaselineOnly defaults (its README's 0.944 on ML-100K). */
export const DEFAULT_BASELINE: BaselineSettings = { regU: 15, regI: 10, epochs: 10 };
/** Koren's item-based setting: 40 neighbours, shrunk Pearson-baseline (Surprise's KNNBaseline with sim_options user_based False). */
export const DEFAULT_KNN: KnnSettings = { k: 40, minK: 1, similarity: 'pearson_baseline', shrinkage: 100, minSupport: 1 };
/** λ tuned on 80 % of u1.base ranked against the rest (models/baselines/ease.ts). */
export const DEFAULT_EASE: EaseSettings = { lambda: 400 };
/** Tuned the same way (models/baselines/ials.ts). */
export const DEFAULT_IALS: IalsSettings = { factors: 32, reg: 50, alpha: 10, epochs: 10, cgSteps: 3 };

/**
 * From this many ratings on, a dataset trains by default on every core (the threaded solver, for the
 * kinds that have one) with the large-data recipe below; smaller ones keep the one-thread recipe above,
 * which is both faster and exactly fastai's there (thread start-up and the strata cost more than they save).
 */
export const LARGE_DATA_RATINGS = 1_000_000;

/**
 * The large-data recipe (the threaded solver's sparse AdamW): chosen on the planted ML-25M-sized set
 * against its noise floor (bench/run.ts --only scale; README "Scale"). The sparse optimizer does not
 * drift a row on its old momentum while the row sits out, so a rarely rated row moves ~10× less per
 * rating than under dense AdamW while its decay stays the same: its weight decay is about a tenth of
 * the dense recipe's.
 */
export const LARGE_DATA_OPTIONS = { bs: 8192, lr: 0.005, wd: 0.01 } as const;

/**
 * The options a dataset of this size brings when the caller left them out: on large data, threads =
 * the cores (at most 8) and the large-data recipe for bs, lr and wd. An explicit threads 1 (or a kind
 * without a threaded solver) keeps the one-thread defaults.
 */
export function sizedDefaults(nRatings: number, given: Partial<TrainOptions>, cores = availableParallelism()): Partial<TrainOptions> {
  const model = given.model ?? DEFAULT_TRAIN_OPTIONS.model;
  if (nRatings < LARGE_DATA_RATINGS || !MODEL_KINDS.includes(model) || !modelKind(model).threaded) return {};
  const threads = given.threads ?? Math.max(1, Math.min(cores, 8));
  if (threads <= 1) return {};
  return { threads, ...LARGE_DATA_OPTIONS };
}

/** y_range for a rating scale: fastai's (0, 5.5) for 1..5 stars; a little headroom above the max otherwise. */
export function defaultYRange(scale: { min: number; max: number }): [number, number] {
  if (scale.min >= 1 && scale.max === 5) return [0, 5.5];
  const span = scale.max - scale.min;
  return [Math.max(0, scale.min - 0.1 * span - 0.5), scale.max + 0.1 * span];
}

/** At most this many times wider than the ratings' own range: beyond it sigmoid_range squashes every rating into a sliver. */
const Y_RANGE_MAX_WIDTH = 100;

/**
 * y_range against the data it will be trained on: refused (ModelError) when absurd for the scale —
 * far wider than the ratings (0,1e308 on 1..5 ends in NaN) or beside them — and a warning (returned)
 * when it cannot reach the lowest or highest ratings.
 */
export function checkYRange(yRange: readonly [number, number], scale: { min: number; max: number }): string | null {
  const [lo, hi] = yRange;
  // a one-value scale (every rating 5) or a 0..1 one still has a unit to compare with
  const span = Math.max(scale.max - scale.min, 1);
  const fmt = (x: number) => String(Number(x.toPrecision(6)));
  const shown = `y_range ${fmt(lo)},${fmt(hi)}`;
  const data = `the ratings run ${fmt(scale.min)}..${fmt(scale.max)}`;
  const hint = `e.g. ${defaultYRange(scale).map(fmt).join(',')} (the default for this scale)`;
  check(hi - lo <= Y_RANGE_MAX_WIDTH * span, `${shown} is more than ${Y_RANGE_MAX_WIDTH}× wider than the ratings (${data}): every prediction would be squashed into a sliver of it; use bounds near the scale, ${hint}`);
  check(hi > scale.min && lo < scale.max, `${shown} lies outside the ratings (${data}): no prediction could match one; use bounds around the scale, ${hint}`);
  if (lo > scale.min || hi < scale.max) {
    const parts = [lo > scale.min ? `below ${fmt(lo)}` : '', hi < scale.max ? `above ${fmt(hi)}` : ''].filter(Boolean).join(' or ');
    return `${shown} cannot reach ratings ${parts} (${data}): predictions stay inside it; ${hint}`;
  }
  return null;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new ModelError(message);
}

const isInt = (x: number) => Number.isInteger(x);

/** Fills defaults and refuses invalid values with a message naming the value and its allowed range. */
export function resolveOptions(partial: Partial<TrainOptions>): TrainOptions {
  const o: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...stripUndefined(partial) };
  check(MODEL_KINDS.includes(o.model), `unknown model "${o.model}": choose one of ${MODEL_KINDS.join(', ')}`);
  check(isInt(o.factors) && o.factors >= 1 && o.factors <= 1024, `factors must be a whole number from 1 to 1024, got ${o.factors}`);
  check(isInt(o.userEmb) && o.userEmb >= 0 && o.userEmb <= 1024, `user embedding size must be 0 (auto) to 1024, got ${o.userEmb}`);
  check(isInt(o.itemEmb) && o.itemEmb >= 0 && o.itemEmb <= 1024, `item embedding size must be 0 (auto) to 1024, got ${o.itemEmb}`);
  check(
    Array.isArray(o.layers) && o.layers.length >= 1 && o.layers.length <= 4 && o.layers.every((n) => isInt(n) && n >= 1 && n <= 2048),
    `layers must be 1 to 4 sizes from 1 to 2048 (e.g. 100,50), got ${JSON.stringify(o.layers)}`,
  );
  check(isInt(o.epochs) && o.epochs >= 1 && o.epochs <= 1000, `epochs must be a whole number from 1 to 1000, got ${o.epochs}`);
  check(Number.isFinite(o.lr) && o.lr > 0 && o.lr <= 10, `lr must be a number above 0 and at most 10, got ${o.lr}`);
  check(Number.isFinite(o.wd) && o.wd >= 0 && o.wd <= 10, `wd must be a number from 0 to 10, got ${o.wd}`);
  check(isInt(o.bs) && o.bs >= 1 && o.bs <= 65536, `batch size must be a whole number from 1 to 65536, got ${o.bs}`);
  check(
    Array.isArray(o.yRange) && o.yRange.length === 2 && o.yRange.every(Number.isFinite) && o.yRange[0] < o.yRange[1],
    `y_range must be two numbers low,high with low < high, got ${JSON.stringify(o.yRange)}`,
  );
  check(o.schedule === 'one-cycle' || o.schedule === 'constant', `schedule must be one-cycle or constant, got "${o.schedule}"`);
  check(Number.isFinite(o.validPct) && o.validPct > 0 && o.validPct < 1, `valid-pct must be between 0 and 1 (exclusive), got ${o.validPct}`);
  check(isInt(o.seed) && o.seed >= 0 && o.seed <= 0xffffffff, `seed must be a whole number from 0 to 4294967295, got ${o.seed}`);
  check(['auto', 'node', 'wasm', 'cpu'].includes(o.backend), `backend must be auto, node, wasm or cpu, got "${o.backend}"`);
  const members = o.members ?? 1;
  check(isInt(members) && members >= 1 && members <= 16, `members must be a whole number from 1 to 16, got ${members}`);
  check(members === 1 || modelKind(o.model).trainerKeys.includes('members'), `members average dotbias models (one exact model): use --model dotbias (got ${o.model})`);
  if (members === 1) delete o.members;
  if (o.threads !== undefined) {
    check(isInt(o.threads) && o.threads >= 1 && o.threads <= 64, `threads must be a whole number from 1 to 64, got ${o.threads}`);
    check(o.threads === 1 || modelKind(o.model).threaded, `the ${o.model} model trains on one thread: use --threads 1 (got ${o.threads})`);
  }
  resolveFamilies(o);
  if (o.split === 'files') {
    const f = o.splitFiles;
    check(typeof f?.train === 'string' && typeof f.test === 'string' && f.train !== '' && f.test !== '', 'split files needs its two rating files (--split-files TRAIN,TEST)');
  } else delete o.splitFiles;
  const solver = o.solver ?? 'sgd';
  check(solver === 'sgd' || solver === 'autorec', `solver must be sgd or autorec, got "${solver}"`);
  if (solver === 'sgd') {
    delete o.solver;
    delete o.autorec;
    return o;
  }
  check(modelKind(o.model).trainerKeys.includes('solver'), `solver autorec blends with a dotbias model: use --model dotbias (got ${o.model})`);
  const a: AutoRecSettings = { ...DEFAULT_AUTOREC, ...stripUndefined(o.autorec ?? {}) };
  check(isInt(a.hidden) && a.hidden >= 1 && a.hidden <= 2048, `autorec hidden units must be a whole number from 1 to 2048, got ${a.hidden}`);
  check(isInt(a.epochs) && a.epochs >= 1 && a.epochs <= 1000, `autorec epochs must be a whole number from 1 to 1000, got ${a.epochs}`);
  check(Number.isFinite(a.lr) && a.lr > 0 && a.lr <= 10, `autorec lr must be above 0 and at most 10, got ${a.lr}`);
  check(Number.isFinite(a.wd) && a.wd >= 0 && a.wd <= 100, `autorec wd must be from 0 to 100, got ${a.wd}`);
  check(isInt(a.bs) && a.bs >= 1 && a.bs <= 65536, `autorec batch size must be a whole number from 1 to 65536, got ${a.bs}`);
  check(Number.isFinite(a.blend) && a.blend >= 0 && a.blend <= 1, `autorec blend weight must be from 0 to 1, got ${a.blend}`);
  if (a.users) {
    const u = a.users;
    check(isInt(u.hidden) && u.hidden >= 1 && u.hidden <= 2048, `U-AutoRec hidden units must be a whole number from 1 to 2048, got ${u.hidden}`);
    check(isInt(u.epochs) && u.epochs >= 1 && u.epochs <= 1000, `U-AutoRec epochs must be a whole number from 1 to 1000, got ${u.epochs}`);
    check(Number.isFinite(u.lr) && u.lr > 0 && u.lr <= 10, `U-AutoRec lr must be above 0 and at most 10, got ${u.lr}`);
    check(Number.isFinite(u.wd) && u.wd >= 0 && u.wd <= 100, `U-AutoRec wd must be from 0 to 100, got ${u.wd}`);
    check(isInt(u.bs) && u.bs >= 1 && u.bs <= 65536, `U-AutoRec batch size must be a whole number from 1 to 65536, got ${u.bs}`);
  }
  if (a.stack) {
    const st = a.stack;
    for (const [k, v] of Object.entries(st)) check(Number.isFinite(v) && Math.abs(v) <= 100, `autorec stack ${k} must be a number from -100 to 100, got ${v}`);
    check(a.users !== undefined || st.users === 0, 'autorec stack has a U-AutoRec weight but no U-AutoRec (autorec.users)');
  }
  return { ...o, solver, autorec: a };
}

/**
 * Each settings family the kind uses (its optionKeys) is filled from its defaults and checked; the
 * others are dropped, so a model's options hold only what shaped it.
 */
function resolveFamilies(o: TrainOptions): void {
  const uses = modelKind(o.model).optionKeys;
  const num = (x: number, lo: number, hi: number) => Number.isFinite(x) && x >= lo && x <= hi;
  const whole = (x: number, lo: number, hi: number) => isInt(x) && x >= lo && x <= hi;
  if (uses.includes('baseline')) {
    const b: BaselineSettings = { ...DEFAULT_BASELINE, ...stripUndefined(o.baseline ?? {}) };
    check(num(b.regU, 0, 1e6), `baseline reg-u must be a number from 0 to 1000000, got ${b.regU}`);
    check(num(b.regI, 0, 1e6), `baseline reg-i must be a number from 0 to 1000000, got ${b.regI}`);
    check(whole(b.epochs, 1, 1000), `baseline epochs must be a whole number from 1 to 1000, got ${b.epochs}`);
    o.baseline = b;
  } else delete o.baseline;
  if (uses.includes('knn')) {
    const k: KnnSettings = { ...DEFAULT_KNN, ...stripUndefined(o.knn ?? {}) };
    check(whole(k.k, 1, 10000), `knn k must be a whole number from 1 to 10000, got ${k.k}`);
    check(whole(k.minK, 0, k.k), `knn min-k must be a whole number from 0 to k (${k.k}), got ${k.minK}`);
    check(k.similarity === 'pearson_baseline' || k.similarity === 'msd', `knn similarity must be pearson_baseline or msd, got "${k.similarity}"`);
    check(num(k.shrinkage, 0, 1e6), `knn shrinkage must be a number from 0 to 1000000, got ${k.shrinkage}`);
    check(whole(k.minSupport, 0, 1e6), `knn min-support must be a whole number from 0 to 1000000, got ${k.minSupport}`);
    o.knn = k;
  } else delete o.knn;
  if (uses.includes('ease')) {
    const e: EaseSettings = { ...DEFAULT_EASE, ...stripUndefined(o.ease ?? {}) };
    check(Number.isFinite(e.lambda) && e.lambda > 0 && e.lambda <= 1e7, `ease lambda must be a number above 0 and at most 10000000, got ${e.lambda}`);
    o.ease = e;
  } else delete o.ease;
  if (uses.includes('ials')) {
    const a: IalsSettings = { ...DEFAULT_IALS, ...stripUndefined(o.ials ?? {}) };
    check(whole(a.factors, 1, 1024), `ials factors must be a whole number from 1 to 1024, got ${a.factors}`);
    check(Number.isFinite(a.reg) && a.reg > 0 && a.reg <= 1e6, `ials reg must be a number above 0 and at most 1000000, got ${a.reg}`);
    check(num(a.alpha, 0, 1e6), `ials alpha must be a number from 0 to 1000000, got ${a.alpha}`);
    check(whole(a.epochs, 1, 1000), `ials epochs must be a whole number from 1 to 1000, got ${a.epochs}`);
    check(whole(a.cgSteps, 1, 100), `ials cg-steps must be a whole number from 1 to 100, got ${a.cgSteps}`);
    o.ials = a;
  } else delete o.ials;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
