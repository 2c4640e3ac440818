/**
 * Which solver fits each model kind (the first stage of every run; see train.ts for the stages after it),
 * and for how many of the loop's epochs. A new kind adds its line here. The embedding kinds train on
 * several threads (strata.ts) when the options ask for more than one.
 */
import type { Columns } from '../../evaluate/metrics.js';
import type { Rng } from '../../engine/random.js';
import { BASELINE_DEFAULTS } from '../../models/baselines/baselineOnly.js';
import { IALS_DEFAULTS } from '../../models/baselines/ials.js';
import { modelKind } from '../../models/index.js';
import type { ModelKind, TrainOptions } from '../../types.js';
import { baselineSolver, easeSolver, ialsSolver, itemKnnSolver, meanSolver, popularitySolver } from './closedForm.js';
import { sgdSolver } from './sgd.js';
import type { Solver } from './solver.js';
import { strataSolver } from './strata.js';

/**
 * `yRange`: the range of the model's output (sigmoid_range's bounds, or the rating scale a baseline clips to).
 * `valid`: the validation columns the loop will ask predictions for (the threaded solver keeps them in its memory).
 */
export type SolverFactory = (opts: TrainOptions, nUsers: number, nItems: number, train: Columns, rng: Rng, yRange: [number, number], valid?: Columns | null) => Solver;

export interface SolverEntry {
  make: SolverFactory;
  /** Epochs of the loop this solver runs for. */
  epochs(o: TrainOptions): number;
}

const sgd: SolverEntry = { make: sgdSolver, epochs: (o) => o.epochs };
const strata: SolverEntry = { make: strataSolver, epochs: (o) => o.epochs };
const once = (make: SolverFactory): SolverEntry => ({ make, epochs: () => 1 });

const SOLVERS: Record<ModelKind, SolverEntry> = {
  dot: sgd,
  dotbias: sgd,
  nn: sgd,
  mean: once(meanSolver),
  popularity: once(popularitySolver),
  baseline: { make: baselineSolver, epochs: (o) => (o.baseline ?? BASELINE_DEFAULTS).epochs },
  itemknn: once(itemKnnSolver),
  ease: once(easeSolver),
  ials: { make: ialsSolver, epochs: (o) => (o.ials ?? IALS_DEFAULTS).epochs },
};

/** The kind's solver; on several threads (kinds whose spec says `threaded`) the stratified one. */
export function solverFor(kind: ModelKind, threads = 1): SolverEntry {
  return threads > 1 && modelKind(kind).threaded ? strata : SOLVERS[kind];
}

export type { Solver } from './solver.js';
