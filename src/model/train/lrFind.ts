/**
 * fastai's lr_find: from a fresh model, train a few hundred batches with the learning rate growing
 * exponentially from startLr to endLr, record the smoothed loss, stop once it explodes, and suggest
 * a learning rate (steepest descent, fastai's "valley", and the minimum / 10).
 *
 * It drives the engine directly (FlatParams + AdamW + the fused kernels) with one constant lr per
 * step, so it costs what a few hundred training batches cost and makes no per-batch tensors.
 */
import type { Dataset, Split } from '../../data/types.js';
import { initBackend } from '../runtime/backend.js';
import { ModelError } from '../errors.js';
import { modelKind } from '../models/index.js';
import { selectRows } from '../evaluate/metrics.js';
import { mulberry32 } from '../engine/random.js';
import { sgdSolver } from './solvers/sgd.js';
import { optionsFor } from './train.js';
import type { TrainOptions } from '../types.js';

export interface LrFindOptions {
  startLr: number;
  endLr: number;
  /** Batches to run at most (fastai: 100). */
  numIt: number;
  /** Stop once the smoothed loss exceeds this multiple of the best so far (fastai: 4). */
  stopFactor: number;
  /** Exponential smoothing of the loss, debiased like fastai's Recorder (fastai: 0.98). */
  beta: number;
}

export const DEFAULT_LR_FIND: LrFindOptions = { startLr: 1e-7, endLr: 10, numIt: 200, stopFactor: 4, beta: 0.98 };

export interface LrSuggestions {
  /** lr where the smoothed loss falls fastest per unit of log(lr). */
  steep: number;
  /** fastai's default: the middle of the longest valley (longest decreasing run) of the loss. */
  valley: number;
  /** lr of the lowest loss divided by 10 (fastai's lr_min). */
  minimum: number;
}

export interface LrFindResult {
  /** The lr of every batch run, in order (log-spaced). */
  lrs: number[];
  /** Debiased exponentially smoothed loss at each of those batches. */
  losses: number[];
  /** The raw batch losses. */
  rawLosses: number[];
  suggestions: LrSuggestions;
  /** Index into lrs/losses of each suggestion (for marking them on a chart). */
  suggestionIndex: { steep: number; valley: number; minimum: number };
  /** Why it stopped: 'exploded' (loss > stopFactor × min, or NaN) or 'completed' (ran numIt batches). */
  stop: 'exploded' | 'completed';
  minLoss: number;
  seconds: number;
  options: TrainOptions;
  finder: LrFindOptions;
  backend: string;
}

function checkFinder(o: LrFindOptions): void {
  const ok = (c: boolean, m: string) => {
    if (!c) throw new ModelError(m);
  };
  ok(Number.isFinite(o.startLr) && o.startLr > 0, `start lr must be a number above 0, got ${o.startLr}`);
  ok(Number.isFinite(o.endLr) && o.endLr > o.startLr && o.endLr <= 1000, `end lr must be above the start lr (${o.startLr}) and at most 1000, got ${o.endLr}`);
  ok(Number.isInteger(o.numIt) && o.numIt >= 10 && o.numIt <= 10000, `iterations must be a whole number from 10 to 10000, got ${o.numIt}`);
  ok(Number.isFinite(o.stopFactor) && o.stopFactor > 1, `stop factor must be above 1, got ${o.stopFactor}`);
  ok(Number.isFinite(o.beta) && o.beta >= 0 && o.beta < 1, `beta must be from 0 to below 1, got ${o.beta}`);
}

export async function lrFind(
  ds: Dataset,
  split: Split,
  partial: Partial<TrainOptions>,
  finder: Partial<LrFindOptions> = {},
  hooks: { signal?: AbortSignal; onBatch?: (i: number, lr: number, smoothed: number) => void } = {},
): Promise<LrFindResult> {
  const f: LrFindOptions = { ...DEFAULT_LR_FIND, ...Object.fromEntries(Object.entries(finder).filter(([, v]) => v !== undefined)) };
  checkFinder(f);
  const opts = optionsFor(ds, partial);
  if (!modelKind(opts.model).trainerKeys.includes('lr')) {
    throw new ModelError(`lr-find: the ${opts.model} model has no learning rate (it is fitted without SGD); it is for dot, dotbias and nn`);
  }
  const backend = await initBackend(opts.backend);
  const train = selectRows(ds, split.train);
  if (train.ratings.length === 0) throw new ModelError('the training split is empty');
  // The same fresh model trainModel starts from (same seed, same draws), stepped by the same solver.
  const solver = sgdSolver(opts, ds.nUsers, ds.nItems, train, mulberry32(opts.seed));

  const lrs: number[] = [];
  const losses: number[] = [];
  const rawLosses: number[] = [];
  let avg = 0;
  let best = Infinity;
  let stop: LrFindResult['stop'] = 'completed';
  const t0 = performance.now();
  let lastYield = t0;
  const ratio = f.endLr / f.startLr;
  for (let i = 0; i < f.numIt; i++) {
    if (hooks.signal?.aborted) break;
    const b = i % solver.steps;
    if (b === 0) solver.beginEpoch();
    // fastai's SchedExp over numIt steps: lr_i = start · (end/start)^(i/numIt); Adam with fastai's
    // defaults for a plain fit (moms 0.9, 0.99) and the run's weight decay
    const lrAt = (j: number) => f.startLr * Math.pow(ratio, j / f.numIt);
    const lr = lrAt(i);
    const loss = solver.step(b, { lr, beta1: 0.9 }, (b2) => ({ lr: lrAt(i + b2 - b), beta1: 0.9 }));
    avg = f.beta * avg + (1 - f.beta) * loss;
    const smooth = avg / (1 - Math.pow(f.beta, i + 1));
    lrs.push(lr);
    rawLosses.push(loss);
    losses.push(smooth);
    hooks.onBatch?.(i, lr, smooth);
    if (!Number.isFinite(smooth) || smooth > f.stopFactor * best) {
      stop = 'exploded';
      break;
    }
    best = Math.min(best, smooth);
    if (performance.now() - lastYield > 20) {
      await new Promise<void>((r) => setImmediate(r));
      lastYield = performance.now();
    }
  }
  solver.dispose();
  const { suggestions, suggestionIndex } = suggestLr(lrs, losses);
  return {
    lrs,
    losses,
    rawLosses,
    suggestions,
    suggestionIndex,
    stop,
    minLoss: best,
    seconds: (performance.now() - t0) / 1000,
    options: opts,
    finder: f,
    backend,
  };
}

/**
 * fastai's suggestion functions, on the same window fastai uses: the first 10% of the points (the
 * smoothing's warm-up) and the last 5 (the explosion) are left out, and so is anything after a NaN.
 */
export function suggestLr(lrs: readonly number[], losses: readonly number[]): { suggestions: LrSuggestions; suggestionIndex: LrFindResult['suggestionIndex'] } {
  let end = losses.length - 5;
  const nan = losses.findIndex((l) => !Number.isFinite(l));
  if (nan >= 0) end = Math.min(end, nan);
  let start = Math.floor(losses.length / 10);
  if (end - start < 3) {
    start = 0;
    end = losses.findIndex((l) => !Number.isFinite(l));
    if (end < 0) end = losses.length;
  }
  if (end - start < 2) throw new ModelError(`lr-find recorded only ${losses.length} losses: too few to suggest a learning rate (raise the end lr or the iterations)`);
  const L = losses.slice(start, end);
  const R = lrs.slice(start, end);

  let iMin = 0;
  for (let i = 1; i < L.length; i++) if (L[i] < L[iMin]) iMin = i;

  // fastai differentiates point to point, which on this flat, noisy curve (few batches move the
  // embeddings) picks noise; a slope over a short window (5% of the points) finds the real descent.
  const w = Math.max(1, Math.min(L.length - 1, Math.round(L.length / 20)));
  let iSteep = 0;
  let steepest = Infinity;
  for (let i = 0; i + w < L.length; i++) {
    const g = (L[i + w] - L[i]) / (Math.log(R[i + w]) - Math.log(R[i]));
    if (g < steepest) {
      steepest = g;
      iSteep = i + Math.floor(w / 2);
    }
  }

  // valley: the longest decreasing subsequence of the loss; fastai takes the point a third and a half
  // of the way into it (where the loss falls and has not yet bottomed out).
  const n = L.length;
  const lds = new Array<number>(n).fill(1);
  let maxStart = 0;
  let maxEnd = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (L[i] < L[j] && lds[i] < lds[j] + 1) lds[i] = lds[j] + 1;
      if (lds[maxEnd] < lds[i]) {
        maxEnd = i;
        maxStart = maxEnd - lds[maxEnd];
      }
    }
  }
  const sections = (maxEnd - maxStart) / 3;
  const iValley = Math.min(n - 1, Math.max(0, maxStart + Math.floor(sections) + Math.floor(sections / 2)));

  return {
    suggestions: { steep: R[iSteep], valley: R[iValley], minimum: R[iMin] / 10 },
    suggestionIndex: { steep: start + iSteep, valley: start + iValley, minimum: start + iMin },
  };
}
