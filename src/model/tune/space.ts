/**
 * What the search may try: one candidate per model kind (and the AutoRec blend), each with its
 * dimensions and an anchor — the best-known configuration of that kind, tried first.
 *
 * A kind's dimensions come from the shared ones (lr, wd, epochs, bs) plus whichever of its own options
 * (ModelKindSpec.optionKeys) have a range below, so a new kind is searched without touching this file.
 * The ranges are centred on what is known to work on MovieLens 100K: the seeds' recipe (lr 5e-3, wd 0.1,
 * 50 factors), the best preset (lr 4e-3, wd 0.12) and the accurate preset's AutoRec (500 hidden, 40 epochs,
 * lr 3e-3, wd 6); the blend weight is not sampled but chosen on the validation set by each trial.
 */
import { ModelError } from '../errors.js';
import { mulberry32, type Rng } from '../engine/random.js';
import { MODEL_KINDS, modelKind } from '../models/index.js';
import { DEFAULT_AUTOREC, DEFAULT_TRAIN_OPTIONS } from '../train/defaults.js';
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

/** The search range of each training option a kind may declare (and the ones every kind shares). */
const OPTION_DIMENSIONS: Partial<Record<keyof TrainOptions, Dimension>> = {
  // log-centres: lr 4.5e-3, wd 0.13, 50 factors, 6 epochs — the recipe and the best preset sit in the middle;
  // below lr 2e-3 a one-cycle run of at most a dozen epochs has not converged (every such trial lost here)
  lr: { key: 'lr', scale: 'log', low: 2e-3, high: 1e-2 },
  wd: { key: 'wd', scale: 'log', low: 0.04, high: 0.4 },
  epochs: { key: 'epochs', scale: 'int', low: 3, high: 12 },
  bs: { key: 'bs', scale: 'choice', values: [32, 64, 128, 256] },
  factors: { key: 'factors', scale: 'int', low: 25, high: 100 },
  layers: { key: 'layers', scale: 'choice', values: [[50], [100], [200], [100, 50]] },
};
const SHARED: (keyof TrainOptions)[] = ['lr', 'wd', 'epochs', 'bs'];

/** The AutoRec part of the blend (its dotbias part is the best dotbias found so far). */
const AUTOREC_DIMENSIONS: Dimension[] = [
  { key: 'autorec.hidden', scale: 'int', low: 250, high: 1000 },
  { key: 'autorec.epochs', scale: 'int', low: 20, high: 60 },
  { key: 'autorec.lr', scale: 'log', low: 1.5e-3, high: 6e-3 },
  { key: 'autorec.wd', scale: 'log', low: 2, high: 20 },
];

export const BLEND_CANDIDATE = 'autorec';

/** The names `--model` takes: every kind, the blend, or 'all'. */
export function candidateNames(): string[] {
  return [...MODEL_KINDS, BLEND_CANDIDATE];
}

/** The best-known configuration of a kind: its most accurate sgd preset, else the defaults. */
function anchorOf(kind: ModelKind): Partial<TrainOptions> {
  const presets = Object.values(PRESETS).filter((p) => (p.options.model ?? DEFAULT_TRAIN_OPTIONS.model) === kind && (p.options.solver ?? 'sgd') === 'sgd');
  presets.sort((a, b) => a.u1Rmse - b.u1Rmse);
  const base = presets[0]?.options ?? {};
  const { model: _m, ...rest } = { ...DEFAULT_TRAIN_OPTIONS, ...base };
  const anchor: Partial<TrainOptions> = { model: kind };
  for (const key of [...SHARED, ...modelKind(kind).optionKeys]) if (OPTION_DIMENSIONS[key]) (anchor as Record<string, unknown>)[key] = (rest as Record<string, unknown>)[key];
  return anchor;
}

function kindCandidate(kind: ModelKind): Candidate {
  const keys = [...SHARED, ...modelKind(kind).optionKeys.filter((k) => !SHARED.includes(k))];
  return { name: kind, anchor: anchorOf(kind), dims: keys.flatMap((k) => (OPTION_DIMENSIONS[k] ? [OPTION_DIMENSIONS[k]!] : [])) };
}

function blendCandidate(): Candidate {
  const accurate = Object.values(PRESETS).find((p) => p.options.solver === 'autorec');
  const autorec: AutoRecSettings = { ...DEFAULT_AUTOREC };
  return { name: BLEND_CANDIDATE, anchor: { ...anchorOf('dotbias'), ...(accurate?.options ?? {}), model: 'dotbias', solver: 'autorec', autorec }, dims: AUTOREC_DIMENSIONS };
}

/**
 * The candidates of `--model`: 'all', or a comma list of kinds and 'autorec'. The kinds come in the order
 * of their best preset's accuracy (kinds without one last), so the cheap, well-known ones run first.
 */
export function candidatesFor(model: string): Candidate[] {
  const known = candidateNames();
  const names = model === 'all' ? known : model.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!known.includes(n)) throw new ModelError(`unknown model "${n}" to tune: choose all or any of ${known.join(', ')}`);
  if (names.length === 0) throw new ModelError(`--model needs a kind: all or any of ${known.join(', ')}`);
  const rmseOf = (kind: string) => Math.min(Infinity, ...Object.values(PRESETS).filter((p) => p.options.model === kind && (p.options.solver ?? 'sgd') === 'sgd').map((p) => p.u1Rmse));
  const kinds = [...new Set(names)].filter((n) => n !== BLEND_CANDIDATE).sort((a, b) => rmseOf(a) - rmseOf(b) || MODEL_KINDS.indexOf(a as ModelKind) - MODEL_KINDS.indexOf(b as ModelKind));
  const out = kinds.map((k) => kindCandidate(k as ModelKind));
  if (names.includes(BLEND_CANDIDATE)) out.push(blendCandidate());
  return out;
}

/**
 * Which candidate bracket b searches: with the blend among them, every other bracket is the blend's (it is
 * where the accuracy is), the others take turns in between; bracket 0 is the first kind's, so its result
 * can feed the blend's dotbias part from bracket 2 on.
 */
export function bracketCandidate(b: number, candidates: readonly Candidate[]): Candidate {
  const blend = candidates.find((c) => c.name === BLEND_CANDIDATE);
  const kinds = candidates.filter((c) => c !== blend);
  if (!blend) return kinds[b % kinds.length];
  if (kinds.length === 0) return blend;
  return b % 2 === 1 ? blend : kinds[(b / 2) % kinds.length];
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
  const c = bracketCandidate(b, candidates);
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
  // a blend's weight is its trial's to choose on the validation set, not inherited from the one it came from
  for (const x of out) if (x.options.autorec) delete (x.options.autorec as Partial<AutoRecSettings>).blend;
  return out;
}

function pick(o: Partial<TrainOptions>, dims: readonly Dimension[]): Partial<TrainOptions> {
  const out: Partial<TrainOptions> = {};
  for (const d of dims) if (!d.key.includes('.')) set(out, d.key, get(o, d.key));
  return out;
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** The fewest epochs a short rung trains: one epoch of a one-cycle run says little about the whole. */
const MIN_RUNG_EPOCHS = 2;

/** The options of a trial's rung: a fraction of its epochs (the blend: of its AutoRec's), at least two. */
export function rungOptions(config: TuneConfig, fraction: number): Partial<TrainOptions> {
  const o = clone(config.options);
  const scale = (e: number) => Math.min(e, Math.max(MIN_RUNG_EPOCHS, Math.round(e * fraction)));
  if (config.candidate === BLEND_CANDIDATE && o.autorec) o.autorec = { ...o.autorec, epochs: scale(o.autorec.epochs) };
  else o.epochs = scale(o.epochs ?? DEFAULT_TRAIN_OPTIONS.epochs);
  return o;
}

/** "lr 4e-3 wd 0.12 50f 5ep bs64", the blend's AutoRec after a bar. */
export function describeConfig(config: TuneConfig): string {
  const o = config.options;
  const num = (x: number | undefined) => (x === undefined ? '?' : x < 0.01 ? x.toExponential(1).replace('e-', 'e-').replace('.0e', 'e') : String(x));
  const parts = [`lr ${num(o.lr)}`, `wd ${num(o.wd)}`];
  if (o.factors !== undefined && modelKind(o.model ?? 'dotbias').optionKeys.includes('factors')) parts.push(`${o.factors}f`);
  if (o.layers && modelKind(o.model ?? 'dotbias').optionKeys.includes('layers')) parts.push(`[${o.layers.join(',')}]`);
  parts.push(`${o.epochs}ep`, `bs${o.bs}`);
  if (config.candidate === BLEND_CANDIDATE && o.autorec) {
    const a = o.autorec;
    parts.push(`| AR ${a.hidden}h ${a.epochs}ep lr ${num(a.lr)} wd ${num(a.wd)}${a.blend !== undefined ? ` w${a.blend}` : ''}`);
  }
  return parts.join(' ');
}
