/** The Train form's fields: how each is shown, edited, parsed and checked (by the model's own resolveOptions). */
import { checkYRange, DEFAULT_TRAIN_OPTIONS, kindUsesOption, MODEL_KINDS, PRESETS, PRESET_NAMES, resolveOptions, type ModelKind } from '../../services.js';
import type { TrainOptions } from '../../services.js';
import { parseNumberText, type NumberKind } from '../../../data/numbers.js';

export type FieldKey = 'preset' | 'model' | 'solver' | 'factors' | 'layers' | 'epochs' | 'lr' | 'wd' | 'bs' | 'yRange' | 'schedule' | 'split' | 'validPct' | 'seed' | 'backend';

export interface FieldSpec {
  key: FieldKey;
  label: string;
  /** choice: ←/→ cycle; number / list: type to edit. */
  kind: 'choice' | 'number' | 'list';
  choices?: readonly string[];
  help: string;
  /** Hidden when it does not apply (layers only for nn, factors not for nn, valid % only for a random split). */
  applies?: (values: FormValues) => boolean;
}

export type FormValues = Record<FieldKey, string>;

export const SPLITS = ['random', 'u1', 'u2', 'u3', 'u4', 'u5', 'ua', 'ub'] as const;

export const PRESET_CHOICES = ['custom', ...PRESET_NAMES] as const;

/**
 * The user's presets (saved from a search), offered after the built-in ones. Set by the pane from
 * services.presets() when it opens and after a save; a registry rather than a prop so FIELDS stays one table.
 */
let userPresets: Record<string, Partial<TrainOptions>> = {};

export function setUserPresets(list: readonly { name: string; options: Partial<TrainOptions> }[]): void {
  userPresets = Object.fromEntries(list.filter((p) => !(PRESET_NAMES as readonly string[]).includes(p.name)).map((p) => [p.name, p.options]));
}

export function presetChoices(): string[] {
  return [...PRESET_CHOICES, ...Object.keys(userPresets)];
}

function presetOptionsOf(name: string): Partial<TrainOptions> | undefined {
  return (PRESETS as Record<string, { options: Partial<TrainOptions> } | undefined>)[name]?.options ?? userPresets[name];
}

export const FIELDS: readonly FieldSpec[] = [
  { key: 'preset', label: 'preset', kind: 'choice', get choices() { return presetChoices(); }, help: `fills the form: recipe = the seeds' (u1 ${PRESETS.recipe.u1Rmse}), best = lr 4e-3 wd 0.12 (${PRESETS.best.u1Rmse}), accurate = best + I- and U-AutoRec stacked (${PRESETS.accurate.u1Rmse}), yours (Tune's p); edit → custom` },
  { key: 'model', label: 'model', kind: 'choice', choices: MODEL_KINDS, help: 'dot: user·movie factors; dotbias adds biases; nn: a small neural net; mean, baseline, popularity, itemknn, ease, ials: baselines (8 Board runs them all)' },
  { key: 'factors', label: 'factors', kind: 'number', help: 'latent factors per user and per movie: how many hidden "tastes" the model may learn', applies: (v) => kindUsesOption(v.model as ModelKind, 'factors') },
  { key: 'layers', label: 'layers', kind: 'list', help: 'hidden layer sizes of the neural net, comma-separated (e.g. 100 or 100,50); embedding sizes follow fastai\'s rule', applies: (v) => kindUsesOption(v.model as ModelKind, 'layers') },
  { key: 'epochs', label: 'epochs', kind: 'number', help: 'passes over the training ratings', applies: (v) => kindUsesOption(v.model as ModelKind, 'epochs') },
  { key: 'lr', label: 'lr', kind: 'number', help: 'peak learning rate (one-cycle warms up to it, then anneals); too high diverges, too low crawls', applies: (v) => kindUsesOption(v.model as ModelKind, 'lr') },
  { key: 'wd', label: 'wd', kind: 'number', help: 'weight decay: an L2 penalty that keeps factors small, so the model generalises — wd 0 overfits (valid loss climbs)', applies: (v) => kindUsesOption(v.model as ModelKind, 'wd') },
  { key: 'bs', label: 'batch size', kind: 'number', help: 'ratings per gradient step; larger batches run faster per epoch but learn less per epoch', applies: (v) => kindUsesOption(v.model as ModelKind, 'bs') },
  { key: 'yRange', label: 'y_range', kind: 'list', help: 'predictions are squashed into low,high by a sigmoid; auto = the data\'s rule (fastai\'s 0,5.5 for 1–5 stars: a 5 is reachable); empty it for auto', applies: (v) => kindUsesOption(v.model as ModelKind, 'yRange') },
  { key: 'schedule', label: 'schedule', kind: 'choice', choices: ['one-cycle', 'constant'], help: 'one-cycle (fit_one_cycle) or a constant learning rate', applies: (v) => kindUsesOption(v.model as ModelKind, 'schedule') },
  { key: 'split', label: 'split', kind: 'choice', choices: SPLITS, help: 'validation split: a seeded random share, or ML-100K\'s canonical u1..u5 / ua / ub files' },
  { key: 'validPct', label: 'valid %', kind: 'number', help: 'share of ratings held out for validation (random split), e.g. 0.2', applies: (v) => v.split === 'random' },
  { key: 'seed', label: 'seed', kind: 'number', help: 'random seed: the same seed gives the same split and the same initial weights' },
  { key: 'backend', label: 'backend', kind: 'choice', choices: ['auto', 'node', 'wasm', 'cpu'], help: 'tfjs backend: auto picks the fastest available', applies: (v) => kindUsesOption(v.model as ModelKind, 'backend') },
  { key: 'solver', label: 'solver', kind: 'choice', choices: ['sgd', 'autorec'], help: 'sgd: the dotbias model alone; autorec: then an I-AutoRec (its item factors come from an encoder of each movie\'s ratings) blended in — one 550-factor dotbias model, ~25 s, the most accurate', applies: (v) => kindUsesOption(v.model as ModelKind, 'solver') },
];

export const NUMBER_CHARS = /[0-9.eE+\-,]/;

/** y_range left to the data: the trainer picks it from the rating scale (one rule, in the model). */
export const AUTO = '';

/**
 * The form for a set of options. `yRange: 'auto'` (the default form) leaves y_range to the data's
 * rule; a model's own options (a loaded snapshot, the last run) show the y_range it was trained with.
 */
export function initialValues(o: TrainOptions = DEFAULT_TRAIN_OPTIONS, opts: { yRange: 'auto' | 'explicit' } = { yRange: o === DEFAULT_TRAIN_OPTIONS ? 'auto' : 'explicit' }): FormValues {
  const values: FormValues = {
    preset: 'custom',
    model: o.model,
    solver: o.solver ?? 'sgd',
    factors: String(o.factors),
    layers: o.layers.join(','),
    epochs: String(o.epochs),
    lr: String(o.lr),
    wd: String(o.wd),
    bs: String(o.bs),
    yRange: opts.yRange === 'auto' ? AUTO : o.yRange.join(','),
    schedule: o.schedule,
    split: o.split,
    validPct: String(o.validPct),
    seed: String(o.seed),
    backend: o.backend,
  };
  return { ...values, preset: matchingPreset(values) };
}

function formatOption(v: unknown): string {
  return Array.isArray(v) ? v.join(',') : String(v);
}

const isField = (k: string): k is FieldKey => FIELDS.some((f) => f.key === k);

/** A preset's options as the form holds them (the fields it has): one that names no solver means the plain one. */
function presetFields(name: string): [string, string][] {
  return Object.entries({ solver: 'sgd', ...presetOptionsOf(name) })
    .filter(([k]) => isField(k))
    .map(([k, v]) => [k, formatOption(v)]);
}

/** What a preset sets that the form has no field for (a tuned preset's members, its AutoRec settings). */
export function presetExtras(name: string): Partial<TrainOptions> {
  return Object.fromEntries(Object.entries(presetOptionsOf(name) ?? {}).filter(([k]) => !isField(k) && k !== 'split' && k !== 'seed'));
}

/** The preset whose every option the form holds, else 'custom'. */
export function matchingPreset(values: FormValues): string {
  const hit = presetChoices().slice(1).find((name) => presetFields(name).every(([k, v]) => values[k as FieldKey] === v));
  return hit ?? 'custom';
}

/** The form with a preset's options filled in ('custom' leaves it as it is). */
export function applyPreset(values: FormValues, name: string): FormValues {
  if (!presetOptionsOf(name)) return { ...values, preset: 'custom' };
  return { ...values, ...Object.fromEntries(presetFields(name)), preset: name };
}

/** After an edit to any other field: the preset it still matches, or custom. */
export function withPresetFollowing(values: FormValues): FormValues {
  return { ...values, preset: matchingPreset(values) };
}

export function visibleFields(values: FormValues): FieldSpec[] {
  return FIELDS.filter((f) => !f.applies || f.applies(values));
}

/** Whole-number fields: digits only, as on the command line (src/data/numbers.ts). */
const INTEGER_FIELDS: readonly FieldKey[] = ['factors', 'epochs', 'bs', 'seed'];

function parseNumber(label: string, text: string, kind: NumberKind): number {
  const r = parseNumberText(text.trim(), kind);
  if (!r.ok) throw new Error(`${label} ${r.problem}, got "${text}"`);
  return r.value;
}

function parseList(label: string, text: string, kind: NumberKind): number[] {
  const parts = text.split(',').map((p) => parseNumberText(p.trim(), kind));
  if (parts.some((p) => !p.ok)) throw new Error(`${label} must be numbers separated by commas, got "${text}"`);
  return parts.map((p) => (p as { value: number }).value);
}

/** One field as a TrainOptions fragment; throws a readable Error when it does not parse. */
export function parseField(key: FieldKey, text: string): Partial<TrainOptions> {
  switch (key) {
    case 'preset':
      return {};
    case 'model':
      return { model: text as TrainOptions['model'] };
    case 'solver':
      return { solver: text as TrainOptions['solver'] };
    case 'schedule':
      return { schedule: text as TrainOptions['schedule'] };
    case 'backend':
      return { backend: text as TrainOptions['backend'] };
    case 'split':
      return { split: text };
    case 'layers':
      return { layers: parseList('layers', text, 'integer') };
    case 'yRange': {
      if (text.trim() === AUTO) return {};
      const r = parseList('y_range', text, 'decimal');
      return { yRange: r as [number, number] };
    }
    default:
      return { [key]: parseNumber(FIELDS.find((f) => f.key === key)?.label ?? key, text, INTEGER_FIELDS.includes(key) ? 'integer' : 'decimal') };
  }
}

export interface Validation {
  /** Per visible field, the message that refuses it. */
  errors: Partial<Record<FieldKey, string>>;
  /** The options to train with, when every field is fine. */
  options: Partial<TrainOptions> | null;
}

/** Each field alone against resolveOptions, so every message lands on the field it is about. */
export function validate(values: FormValues): Validation {
  const errors: Partial<Record<FieldKey, string>> = {};
  let all: Partial<TrainOptions> = {};
  for (const f of visibleFields(values)) {
    try {
      const part = parseField(f.key, values[f.key]);
      resolveOptions(part);
      all = { ...all, ...part };
    } catch (err) {
      errors[f.key] = err instanceof Error ? err.message : String(err);
    }
  }
  if (Object.keys(errors).length > 0) return { errors, options: null };
  // a preset's options the form cannot show still come with it (while the form matches the preset)
  all = { ...presetExtras(values.preset), ...all };
  try {
    resolveOptions(all);
  } catch (err) {
    return { errors: { model: err instanceof Error ? err.message : String(err) }, options: null };
  }
  return { errors, options: all };
}

export function cycleChoice(spec: FieldSpec, current: string, delta: 1 | -1): string {
  const choices = spec.choices ?? [];
  const i = choices.indexOf(current);
  return choices[(i + delta + choices.length) % choices.length] ?? current;
}

/** How long an epoch took on the current model, and what it was (to scale an estimate from). */
export interface Pace {
  secondsPerEpoch: number;
  model: string;
  bs: number;
  dims: number;
}

/** Past these a run is far from the recipe: ask first, with what it will cost. */
export const LONG_RUN_SECONDS = 120;
export const MANY_EPOCHS = 50;

/** Seconds the run should take at `pace` (the same kind and batch size only; else null: no honest guess). */
export function estimateSeconds(o: Partial<TrainOptions>, pace: Pace | null): number | null {
  const epochs = o.epochs ?? DEFAULT_TRAIN_OPTIONS.epochs;
  if (!pace || pace.model !== (o.model ?? DEFAULT_TRAIN_OPTIONS.model) || pace.bs !== (o.bs ?? DEFAULT_TRAIN_OPTIONS.bs)) return null;
  // an epoch touches every rating once, and each costs about its dims
  // a kind sized by its factors scales with them; any other (nn's embeddings follow the data) costs what it did
  const dims = kindUsesOption(pace.model, 'factors') ? o.factors ?? DEFAULT_TRAIN_OPTIONS.factors : pace.dims;
  return epochs * pace.secondsPerEpoch * Math.max(0.25, dims / Math.max(1, pace.dims));
}

/**
 * What is far from sensible in these options, each as a sentence (empty when nothing is): a very long
 * run (with its estimated time when a run of the same kind was timed), an lr that will likely diverge,
 * a weight decay that pins the factors at zero.
 */
export function trainingWarnings(o: Partial<TrainOptions>, pace: Pace | null, eta: (seconds: number) => string, scale?: { min: number; max: number }): string[] {
  const out: string[] = [];
  // a y_range typed by hand, against the ratings it will be trained on (the CLI's check, the same words)
  if (o.yRange && scale) {
    try {
      const narrow = checkYRange(o.yRange, scale);
      if (narrow) out.push(narrow);
    } catch (err) {
      out.push((err as Error).message);
    }
  }
  const epochs = o.epochs ?? DEFAULT_TRAIN_OPTIONS.epochs;
  const seconds = estimateSeconds(o, pace);
  if (seconds !== null && (seconds > LONG_RUN_SECONDS || epochs > MANY_EPOCHS)) {
    out.push(`${epochs} epochs take about ${eta(seconds)} (the last run took ${pace!.secondsPerEpoch.toFixed(2)} s an epoch)`);
  } else if (seconds === null && epochs > MANY_EPOCHS) {
    out.push(`${epochs} epochs: the recipe trains ${DEFAULT_TRAIN_OPTIONS.epochs}, and no run of this kind and batch size has been timed yet to say how long`);
  }
  const lr = o.lr ?? DEFAULT_TRAIN_OPTIONS.lr;
  if (lr > 0.1) out.push(`lr ${lr} is ${Math.round(lr / DEFAULT_TRAIN_OPTIONS.lr)}× the recipe's: the loss will likely blow up`);
  const wd = o.wd ?? DEFAULT_TRAIN_OPTIONS.wd;
  if (wd > 2) out.push(`wd ${wd} pulls every factor to zero: the model will predict little more than averages`);
  return out;
}
