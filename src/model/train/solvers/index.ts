/**
 * Which solver fits each model kind (the first stage of every run; see train.ts for the stages after it),
 * and for how many of the loop's epochs. A new kind adds its line here.
 */
import type { Columns } from '../../evaluate/metrics.js';
import type { Rng } from '../../engine/random.js';
import { BASELINE_DEFAULTS } from '../../models/baselines/baselineOnly.js';
import { IALS_DEFAULTS } from '../../models/baselines/ials.js';
import type { ModelKind, TrainOptions } from '../../types.js';
import { baselineSolver, easeSolver, ialsSolver, itemKnnSolver, meanSolver, popularitySolver } from './closedForm.js';
import { sgdSolver } from './sgd.js';
import type { Solver } from './solver.js';

/** `yRange`: the range of the model's output (sigmoid_range's bounds, or the rating scale a baseline clips to). */
export type SolverFactory = (opts: TrainOptions, nUsers: number, nItems: number, train: Columns, rng: Rng, yRange: [number, number]) => Solver;

export interface SolverEntry {
  make: SolverFactory;
  /** Epochs of the loop this solver runs for. */
  epochs(o: TrainOptions): number;
}

const sgd: SolverEntry = { make: sgdSolver, epochs: (o) => o.epochs };
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

export function solverFor(kind: ModelKind): SolverEntry {
  return SOLVERS[kind];
}

export type { Solver } from './solver.js';
