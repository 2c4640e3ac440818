/**
 * Comparing training runs: their validation curves, the hyperparameters that differ, and whether each
 * overfits — the seeds' weight-decay lesson (wd 0 overfits, wd 0.1 doesn't) as plain values.
 */
import { ModelError } from '../errors.js';
import { MODEL_KINDS, modelKind } from '../models/index.js';
import type { EpochRow, TrainOptions } from '../types.js';

/** What a run needs to be compared: a snapshot or a TrainResult both have these. */
export interface RunInput {
  name: string;
  options: TrainOptions;
  epochs: EpochRow[];
}

/** How far above its best the final valid loss may end before a run counts as overfitting. */
export const OVERFIT_MARGIN = 0.01;

export type Verdict = 'overfitting' | 'ok' | 'too-short';

export interface RunSummary {
  name: string;
  options: TrainOptions;
  validLoss: number[];
  trainLoss: number[];
  bestValidLoss: number;
  /** 0-based epoch of the best valid loss. */
  bestEpoch: number;
  finalValidLoss: number;
  finalValidRmse: number;
  finalTrainLoss: number;
  verdict: Verdict;
  /** One sentence saying why, with the numbers. */
  reason: string;
}

export interface ParamRow {
  key: keyof TrainOptions;
  /** Formatted value per run, in run order. */
  values: string[];
  differs: boolean;
}

export interface Comparison {
  runs: RunSummary[];
  params: ParamRow[];
  /** Names of the runs that overfit. */
  overfitting: string[];
}

/**
 * Overfitting, as the seeds show it: the final valid loss ends more than `margin` above the best
 * epoch's while the train loss kept falling after that best epoch.
 */
export function overfitVerdict(all: readonly EpochRow[], margin = OVERFIT_MARGIN): { verdict: Verdict; reason: string; bestEpoch: number } {
  // an epoch without a validation pass (an ensemble member's, a model with no validation) says nothing
  // either way; a diverged one (its train loss not finite either) still counts
  const epochs = measuredEpochs(all);
  if (epochs.length < 2) {
    const only = epochs.length === 1 ? all.indexOf(epochs[0]) : 0;
    const reason = all.length < 2 ? 'fewer than 2 epochs: nothing to compare' : `validation measured at ${epochs.length === 1 ? `epoch ${only} only` : 'no epoch'}: nothing to compare`;
    return { verdict: 'too-short', reason, bestEpoch: Math.max(0, only) };
  }
  const verdict = verdictOf(epochs, margin);
  return { ...verdict, bestEpoch: all.indexOf(epochs[verdict.bestEpoch]) };
}

/** The epochs that had a validation pass: a finite valid loss, or a run that diverged (nothing is finite). */
export function measuredEpochs<E extends Pick<EpochRow, 'validLoss' | 'trainLoss'>>(epochs: readonly E[]): E[] {
  return epochs.filter((e) => Number.isFinite(e.validLoss) || !Number.isFinite(e.trainLoss));
}

function verdictOf(epochs: readonly EpochRow[], margin: number): { verdict: Verdict; reason: string; bestEpoch: number } {
  let best = 0;
  epochs.forEach((e, i) => {
    if (e.validLoss < epochs[best].validLoss) best = i;
  });
  const last = epochs[epochs.length - 1];
  const rise = last.validLoss - epochs[best].validLoss;
  const trainFell = last.trainLoss < epochs[best].trainLoss;
  const f = (x: number) => x.toFixed(4);
  if (rise > margin && trainFell) {
    return {
      verdict: 'overfitting',
      reason: `valid loss rose from ${f(epochs[best].validLoss)} (epoch ${epochs[best].epoch}) to ${f(last.validLoss)} while train loss fell from ${f(epochs[best].trainLoss)} to ${f(last.trainLoss)}`,
      bestEpoch: best,
    };
  }
  return {
    verdict: 'ok',
    reason:
      rise > margin
        ? `valid loss ended ${f(rise)} above its best but train loss did not fall either`
        : `final valid loss ${f(last.validLoss)} is within ${margin} of the best (${f(epochs[best].validLoss)}, epoch ${epochs[best].epoch})`,
    bestEpoch: best,
  };
}

/** Keys shown side by side, in this order (split details last). */
const PARAM_KEYS: (keyof TrainOptions)[] = ['model', 'factors', 'userEmb', 'itemEmb', 'layers', 'epochs', 'lr', 'wd', 'bs', 'yRange', 'schedule', 'split', 'validPct', 'seed'];

function formatValue(v: unknown): string {
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

export function compareRuns(runs: readonly RunInput[], margin = OVERFIT_MARGIN): Comparison {
  if (runs.length < 2) throw new ModelError(`compare needs at least 2 runs, got ${runs.length}`);
  const summaries = runs.map((r): RunSummary => {
    if (r.epochs.length === 0) throw new ModelError(`run ${r.name} has no epochs to compare`);
    const v = overfitVerdict(r.epochs, margin);
    const last = r.epochs[r.epochs.length - 1];
    return {
      name: r.name,
      options: r.options,
      // the curves are drawn through the epochs that were validated
      validLoss: measuredEpochs(r.epochs).map((e) => e.validLoss),
      trainLoss: measuredEpochs(r.epochs).map((e) => e.trainLoss),
      bestValidLoss: r.epochs[v.bestEpoch].validLoss,
      bestEpoch: v.bestEpoch,
      finalValidLoss: last.validLoss,
      finalValidRmse: last.validRmse,
      finalTrainLoss: last.trainLoss,
      verdict: v.verdict,
      reason: v.reason,
    };
  });
  const params = PARAM_KEYS.map((key): ParamRow => {
    const values = runs.map((r) => formatValue(r.options[key]));
    return { key, values, differs: values.some((x) => x !== values[0]) };
  }).filter((row) => {
    // Rows that cannot matter to any of these runs would only hide the ones that do.
    if (row.key === 'validPct') return runs.some((r) => r.options.split === 'random');
    // a kind's own options matter only when one of the runs is of that kind
    const owners = MODEL_KINDS.filter((k) => modelKind(k).optionKeys.includes(row.key));
    return owners.length === 0 || runs.some((r) => owners.includes(r.options.model));
  });
  return { runs: summaries, params, overfitting: summaries.filter((s) => s.verdict === 'overfitting').map((s) => s.name) };
}

/** The options of a run with weight decay switched off (the "train the same with wd = 0" key). */
export function withoutWeightDecay(options: TrainOptions): TrainOptions {
  return { ...options, wd: 0 };
}
