/**
 * What the search may try: one candidate per model kind (and the AutoRec blend), each with its
 * dimensions and an anchor — the best-known configuration of that kind, tried first.
 *
 * A kind's dimensions come from whichever of its own options (ModelKindSpec.optionKeys) have a range below,
 * plus the shared ones (lr, wd, epochs, bs) its trainer takes (ModelKindSpec.trainerKeys: the sgd kinds); so a new kind is
 * searched without touching this file. A kind joins a search only if the metric means something for it:
 * RMSE needs a kind that predicts ratings (never a rank-only one: popularity, ease, ials), NDCG one that
 * ranks (not the global mean). The baselines' closed forms are cheap: a candidate with no range (mean,
 * popularity) runs only its anchor.
 * The ranges are centred on what is known to work on MovieLens 100K: the seeds' recipe (lr 5e-3, wd 0.1,
 * 50 factors), the best preset (lr 4e-3, wd 0.12) and the accurate preset's I-AutoRec (500 hidden, 25 epochs,
 * lr 3e-3, wd 6); its U-AutoRec (500 hidden, 40 epochs, wd 20) is not searched, and the stacking weights are
 * not sampled but fitted on the validation set by each trial.
 */
import { ModelError } from '../errors.js';
import { mulberry32, type Rng } from '../engine/random.js';
import { MODEL_KINDS, modelKind } from '../models/index.js';
import { DEFAULT_AUTOREC, DEFAULT_TRAIN_OPTIONS, resolveOptions } from '../train/defaults.js';
import { PRESETS } from '../train/presets.js';
import type { AutoRecSettings, ModelKind, TrainOptions } from '../types.js';
import type { TrialRecord } from './scheduler.js';

/** A range to sample from: log-uniform numbers, log-uniform whole numbers, or one of a list. */
export type Dimension =
  | { key: string; scale: 'log'; low: number; high: number }
  | { key: string; scale: 'int'; low: number; high: number }
  | { key: string; scale: 'choice'; values: readonly unknown[] };

/** The options a candidate's trial trains with; `autorec` is the AutoRec part of the blend. */
export interface TuneConfig {
  candidate: string;
  options: Partial<TrainOptions>;
}

export interface Candidate {
  /** A model kind, or 'autorec' (dotbias blended with an I-AutoRec). */
  name: string;
  anchor: Partial<TrainOptions>;
  dims: Dimension[];
}

/** The search ranges of each training option a kind may declare (and of the ones the sgd kinds share). */
const OPTION_DIMENSIONS: Partial<Record<keyof TrainOptions, Dimension[]>> = {
  // log-centres: lr 4.5e-3, wd 0.13, 50 factors, 6 epochs — the recipe and the best preset sit in the middle;
  // below lr 2e-3 a one-cycle run of at most a dozen epochs has not converged (every such trial lost here)
  lr: [{ key: 'lr', scale: 'log', low: 2e-3, high: 1e-2 }],
  wd: [{ key: 'wd', scale: 'log', low: 0.04, high: 0.4 }],
  epochs: [{ key: 'epochs', scale: 'int', low: 3, high: 12 }],
  bs: [{ key: 'bs', scale: 'choice', values: [32, 64, 128, 256] }],
  factors: [{ key: 'factors', scale: 'int', low: 25, high: 100 }],
  layers: [{ key: 'layers', scale: 'choice', values: [[50], [100], [200], [100, 50]] }],
  // the baselines' settings, around their defaults (Surprise's and the papers' values)
  baseline: [
    { key: 'baseline.regU', scale: 'log', low: 2, high: 50 },
    { key: 'baseline.regI', scale: 'log', low: 2, high: 50 },
  ],
  knn: [
    { key: 'knn.k', scale: 'int', low: 10, high: 100 },
    { key: 'knn.shrinkage', scale: 'log', low: 10, high: 500 },
  ],
  ease: [{ key: 'ease.lambda', scale: 'log', low: 50, high: 3000 }],
  ials: [
    { key: 'ials.factors', scale: 'int', low: 16, high: 128 },
    { key: 'ials.reg', scale: 'log', low: 5, high: 500 },
    { key: 'ials.alpha', scale: 'log', low: 1, high: 50 },
  ],
};
const SHARED: (keyof TrainOptions)[] = ['lr', 'wd', 'epochs', 'bs'];

/** The I-AutoRec part of the blend (its dotbias part is the best dotbias found so far; its U-AutoRec is fixed). */
const AUTOREC_DIMENSIONS: Dimension[] = [
  { key: 'autorec.hidden', scale: 'int', low: 250, high: 1000 },
  { key: 'autorec.epochs', scale: 'int', low: 15, high: 50 },
  { key: 'autorec.lr', scale: 'log', low: 1.5e-3, high: 6e-3 },
  { key: 'autorec.wd', scale: 'log', low: 2, high: 20 },
];

export const BLEND_CANDIDATE = 'autorec';

/** The names `--model` takes: every kind, the blend, or 'all'. */
export function candidateNames(): string[] {
  return [...MODEL_KINDS, BLEND_CANDIDATE];
}

/** Whether the metric means something for this candidate: RMSE needs predicted ratings, NDCG a ranking. */
export function qualifies(name: string, metric: 'rmse' | 'ndcg'): boolean {
  if (name === BLEND_CANDIDATE) return true;
  const shows = modelKind(name as ModelKind).shows;
  return metric === 'rmse' ? shows.ratings : shows.ranking;
}

/** Whether the trainer's epochs, lr, wd and batch size shape this kind (the sgd kinds; not a closed form). */
function trainsBySteps(kind: ModelKind): boolean {
  return modelKind(kind).trainerKeys.includes('epochs');
}

/** The kind's dimensions: the shared ones its trainer takes, then its own options' ranges. */
function dimsOf(kind: ModelKind): Dimension[] {
  const k = modelKind(kind);
  const keys = [...SHARED.filter((key) => k.trainerKeys.includes(key)), ...k.optionKeys.filter((key) => !SHARED.includes(key))];
  return keys.flatMap((key) => OPTION_DIMENSIONS[key] ?? []);
}

/** The best-known configuration of a kind: its most accurate sgd preset, else the defaults. */
function anchorOf(kind: ModelKind): Partial<TrainOptions> {
  const presets = Object.values(PRESETS).filter((p) => (p.options.model ?? DEFAULT_TRAIN_OPTIONS.model) === kind && (p.options.solver ?? 'sgd') === 'sgd');
  presets.sort((a, b) => a.u1Rmse - b.u1Rmse);
  const base = presets[0]?.options ?? {};
  // the kind's settings filled from their defaults (a baseline's family), so every dimension has a value to nudge
  const full = resolveOptions({ ...DEFAULT_TRAIN_OPTIONS, ...base, model: kind });
  const anchor: Partial<TrainOptions> = { model: kind };
  for (const d of dimsOf(kind)) set(anchor, d.key, get(full, d.key));
  return anchor;
}

function kindCandidate(kind: ModelKind): Candidate {
  return { name: kind, anchor: anchorOf(kind), dims: dimsOf(kind) };
}

/**
 * The blend: the accurate preset's recipe, its stacking weights left for each trial to fit. An NDCG search
 * blends the I-AutoRec alone (its weight chosen by NDCG; a ranking has no stack fit), without the U-AutoRec.
 */
function blendCandidate(metric: 'rmse' | 'ndcg'): Candidate {
  const accurate = Object.values(PRESETS).find((p) => p.options.solver === 'autorec');
  const autorec: AutoRecSettings = { ...DEFAULT_AUTOREC, ...(accurate?.options.autorec ?? {}) };
  delete autorec.stack;
  if (metric === 'ndcg') delete autorec.users;
  return { name: BLEND_CANDIDATE, anchor: { ...anchorOf('dotbias'), ...(accurate?.options ?? {}), model: 'dotbias', solver: 'autorec', autorec }, dims: AUTOREC_DIMENSIONS };
}

/**
 * The candidates of `--model`: 'all' (every kind the metric means something for), or a comma list of kinds
 * and 'autorec'. The kinds come in the order of their best preset's accuracy (kinds without one last), so the
 * cheap, well-known ones run first. A kind named for a metric it cannot be judged by is refused.
 */
export function candidatesFor(model: string, metric: 'rmse' | 'ndcg' = 'rmse'): Candidate[] {
  const known = candidateNames();
  const names = model === 'all' ? known.filter((n) => qualifies(n, metric)) : model.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!known.includes(n)) throw new ModelError(`unknown model "${n}" to tune: choose all or any of ${known.join(', ')}`);
  if (names.length === 0) throw new ModelError(`--model needs a kind: all or any of ${known.join(', ')}`);
  for (const n of names) {
    if (!qualifies(n, metric)) {
      throw new ModelError(
        metric === 'rmse'
          ? `${n} ranks movies but predicts no rating: it cannot be tuned for RMSE (use --metric ndcg, or a kind that predicts ratings: ${known.filter((k) => qualifies(k, 'rmse')).join(', ')})`
          : `${n} ranks nothing (every movie gets the same score): it cannot be tuned for NDCG (use --metric rmse)`,
      );
    }
  }
  const rmseOf = (kind: string) => Math.min(Infinity, ...Object.values(PRESETS).filter((p) => p.options.model === kind && (p.options.solver ?? 'sgd') === 'sgd').map((p) => p.u1Rmse));
  const kinds = [...new Set(names)].filter((n) => n !== BLEND_CANDIDATE).sort((a, b) => rmseOf(a) - rmseOf(b) || MODEL_KINDS.indexOf(a as ModelKind) - MODEL_KINDS.indexOf(b as ModelKind));
  const out = kinds.map((k) => kindCandidate(k as ModelKind));
  if (names.includes(BLEND_CANDIDATE)) out.push(blendCandidate(metric));
  return out;
}

/**
 * Which candidate bracket b searches: with the blend among them, every other bracket is the blend's (it is
 * where the RMSE accuracy is); the others go every other time to the leading kind — the best whole run so
 * far (`ranked`, best first; before any, the order given) — and in turn to the rest in between. So the kind
 * that is winning gets half the search, the blend's dotbias part comes from it, and no kind goes unsearched.
 * Bracket 0 is the first kind's, so its result can feed the blend from bracket 2 on.
 */
export function bracketCandidate(b: number, candidates: readonly Candidate[], ranked: readonly string[] = []): Candidate {
  const blend = candidates.find((c) => c.name === BLEND_CANDIDATE);
  // a candidate with nothing to search (mean, popularity) has its anchor and no brackets
  const searched = candidates.filter((c) => c.dims.length > 0);
  const pool = (searched.length ? searched : candidates).filter((c) => c !== blend);
  const at = (c: Candidate) => (ranked.includes(c.name) ? ranked.indexOf(c.name) : ranked.length + pool.indexOf(c));
  const kinds = [...pool].sort((x, y) => at(x) - at(y));
  if (blend && (kinds.length === 0 || b % 2 === 1)) return blend;
  const j = blend ? b / 2 : b;
  if (kinds.length < 3) return kinds[j % kinds.length];
  return j % 2 === 0 ? kinds[0] : kinds[1 + (((j - 1) / 2) % (kinds.length - 1))];
}

/** The candidates with a finished whole run, best first (ties to the earlier trial). */
function rankedCandidates(history: readonly TrialRecord<TuneConfig>[], better: 'lower' | 'higher'): string[] {
  const best = new Map<string, { metric: number; id: number }>();
  const sign = better === 'lower' ? 1 : -1;
  for (const t of history) {
    const whole = t.rungs.find((r) => r.fraction === 1 && r.state === 'done');
    if (!whole || !Number.isFinite(whole.metric)) continue;
    const seen = best.get(t.config.candidate);
    if (!seen || sign * (whole.metric - seen.metric) < 0 || (whole.metric === seen.metric && t.id < seen.id)) best.set(t.config.candidate, { metric: whole.metric, id: t.id });
  }
  return [...best.entries()].sort((a, b) => sign * (a[1].metric - b[1].metric) || a[1].id - b[1].id).map(([name]) => name);
}

const get = (o: Partial<TrainOptions>, key: string): unknown => {
  const [a, b] = key.split('.');
  return b ? (o as Record<string, Record<string, unknown> | undefined>)[a]?.[b] : (o as Record<string, unknown>)[a];
};
const set = (o: Partial<TrainOptions>, key: string, v: unknown) => {
  const [a, b] = key.split('.');
  const r = o as Record<string, unknown>;
  if (b) r[a] = { ...(r[a] as object), [b]: v };
  else r[a] = v;
};

function draw(d: Dimension, rng: Rng): unknown {
  if (d.scale === 'choice') return d.values[Math.floor(rng() * d.values.length)];
  const x = Math.exp(Math.log(d.low) + rng() * (Math.log(d.high) - Math.log(d.low)));
  return d.scale === 'int' ? Math.round(x) : round3(x);
}

/** A step around `v`: a tenth of the range's log-width either way on average, a neighbour for choices. */
function nudge(d: Dimension, v: unknown, rng: Rng): unknown {
  if (d.scale === 'choice') {
    const i = d.values.findIndex((x) => JSON.stringify(x) === JSON.stringify(v));
    if (i < 0 || rng() > 0.3) return v;
    const j = Math.min(d.values.length - 1, Math.max(0, i + (rng() < 0.5 ? -1 : 1)));
    return d.values[j];
  }
  const width = Math.log(d.high) - Math.log(d.low);
  const x = Math.min(d.high, Math.max(d.low, Number(v) * Math.exp((rng() * 2 - 1) * 0.2 * width)));
  return d.scale === 'int' ? Math.round(x) : round3(x);
}

/** Three significant digits: configurations that print the way they train. */
const round3 = (x: number) => Number(x.toPrecision(3));

/** A stream of its own per (seed, bracket): a bracket's configurations never depend on another's draws. */
function bracketRng(seed: number, bracket: number): Rng {
  return mulberry32((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(bracket + 1, 0x85ebca6b)) >>> 0);
}

export interface SampleContext {
  seed: number;
  better: 'lower' | 'higher';
}

/** The best finished whole runs of a candidate in the history, best first. */
function bestWhole(history: readonly TrialRecord<TuneConfig>[], candidate: string, better: 'lower' | 'higher', top: number): TuneConfig[] {
  const last = (t: TrialRecord<TuneConfig>) => t.rungs.find((r) => r.fraction === 1 && r.state === 'done');
  const sign = better === 'lower' ? 1 : -1;
  return history
    .filter((t) => t.config.candidate === candidate && last(t))
    .sort((a, b) => sign * (last(a)!.metric - last(b)!.metric) || a.id - b.id)
    .slice(0, top)
    .map((t) => t.config);
}

/** Every candidate's anchor, run whole before any bracket (the search's floor). */
export function anchorConfigs(candidates: readonly Candidate[]): TuneConfig[] {
  return candidates.map((c) => ({ candidate: c.name, options: clone(c.anchor) }));
}

/**
 * Bracket b's n configurations: once the history holds whole runs of its candidate, half are nudged from
 * its best three; the rest are drawn from the ranges.
 */
export function sampleBracket(b: number, n: number, history: readonly TrialRecord<TuneConfig>[], candidates: readonly Candidate[], ctx: SampleContext): TuneConfig[] {
  const c = bracketCandidate(b, candidates, rankedCandidates(history, ctx.better));
  const rng = bracketRng(ctx.seed, b);
  const elite = bestWhole(history, c.name, ctx.better, 3);
  // the blend's dotbias part: the best whole dotbias run so far, else the anchor's
  const base: Partial<TrainOptions> = { ...c.anchor };
  if (c.name === BLEND_CANDIDATE) {
    const db = bestWhole(history, 'dotbias', ctx.better, 1)[0];
    if (db) Object.assign(base, { lr: db.options.lr, wd: db.options.wd, epochs: db.options.epochs, bs: db.options.bs, factors: db.options.factors });
  }
  const out: TuneConfig[] = [];
  const nudged = elite.length ? Math.floor(n / 2) : 0;
  for (let i = 0; i < nudged; i++) {
    const o = clone({ ...base, autorec: elite[i % elite.length].options.autorec, ...pick(elite[i % elite.length].options, c.dims) });
    for (const d of c.dims) set(o, d.key, nudge(d, get(o, d.key), rng));
    out.push({ candidate: c.name, options: o });
  }
  while (out.length < n) {
    const o = clone(base);
    for (const d of c.dims) set(o, d.key, draw(d, rng));
    out.push({ candidate: c.name, options: o });
  }
  // a blend's weights are its trial's to fit on the validation set, not inherited from the one it came from
  for (const x of out) {
    if (!x.options.autorec) continue;
    delete (x.options.autorec as Partial<AutoRecSettings>).blend;
    delete x.options.autorec.stack;
  }
  return out;
}

/** The values of the dimensions in o (the blend's AutoRec is carried apart: its elite's whole settings). */
function pick(o: Partial<TrainOptions>, dims: readonly Dimension[]): Partial<TrainOptions> {
  const out: Partial<TrainOptions> = {};
  for (const d of dims) if (!d.key.startsWith('autorec.')) set(out, d.key, get(o, d.key));
  return out;
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** The fewest epochs a short rung trains: one epoch of a one-cycle run says little about the whole. */
const MIN_RUNG_EPOCHS = 2;

/**
 * The options of a trial's rung: a fraction of its epochs (the blend: of its AutoRec's), at least two. A
 * closed-form baseline has no epochs to cut: its every rung is the whole fit (the trial reuses it).
 */
export function rungOptions(config: TuneConfig, fraction: number): Partial<TrainOptions> {
  const o = clone(config.options);
  const scale = (e: number) => Math.min(e, Math.max(MIN_RUNG_EPOCHS, Math.round(e * fraction)));
  if (config.candidate === BLEND_CANDIDATE && o.autorec) {
    o.autorec = { ...o.autorec, epochs: scale(o.autorec.epochs) };
    if (o.autorec.users) o.autorec.users = { ...o.autorec.users, epochs: scale(o.autorec.users.epochs) };
  }
  else if (trainsBySteps(o.model ?? (config.candidate as ModelKind))) o.epochs = scale(o.epochs ?? DEFAULT_TRAIN_OPTIONS.epochs);
  return o;
}

/** "lr 4e-3 wd 0.12 50f 5ep bs64", the blend's AutoRec after a bar. */
export function describeConfig(config: TuneConfig): string {
  const o = config.options;
  const num = (x: number | undefined) => (x === undefined ? '?' : x < 0.01 ? x.toExponential(1).replace('e-', 'e-').replace('.0e', 'e') : String(x));
  const kind = o.model ?? (config.candidate === BLEND_CANDIDATE ? 'dotbias' : (config.candidate as ModelKind));
  if (!trainsBySteps(kind)) {
    // a baseline: its own settings ("ease.lambda 400" → "lambda 400"), or its defaults when it has none to search
    const own = dimsOf(kind).map((d) => `${d.key.split('.').pop()} ${num(get(o, d.key) as number | undefined)}`);
    return own.length ? own.join(' ') : 'no settings';
  }
  const parts = [`lr ${num(o.lr)}`, `wd ${num(o.wd)}`];
  if (o.factors !== undefined && modelKind(o.model ?? 'dotbias').optionKeys.includes('factors')) parts.push(`${o.factors}f`);
  if (o.layers && modelKind(o.model ?? 'dotbias').optionKeys.includes('layers')) parts.push(`[${o.layers.join(',')}]`);
  parts.push(`${o.epochs}ep`, `bs${o.bs}`);
  if (config.candidate === BLEND_CANDIDATE && o.autorec) {
    const a = o.autorec;
    parts.push(`| AR ${a.hidden}h ${a.epochs}ep lr ${num(a.lr)} wd ${num(a.wd)}${a.blend !== undefined && !a.stack && !a.users ? ` w${a.blend}` : ''}`);
    if (a.users) parts.push(`| U-AR ${a.users.hidden}h ${a.users.epochs}ep wd ${num(a.users.wd)}`);
    if (a.stack) parts.push(`| stack ${a.stack.dotbias.toFixed(2)}/${a.stack.items.toFixed(2)}${a.users ? `/${a.stack.users.toFixed(2)}` : ''}${a.stack.bias >= 0 ? '+' : ''}${a.stack.bias.toFixed(2)}`);
  }
  return parts.join(' ');
}
