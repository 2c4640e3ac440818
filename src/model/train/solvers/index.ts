/**
 * Which solver fits each model kind (the first stage of every run; see train.ts for the stages after it).
 * A new kind adds its line here.
 */
import type { Columns } from '../../evaluate/metrics.js';
import type { Rng } from '../../engine/random.js';
import type { ModelKind, TrainOptions } from '../../types.js';
import { sgdSolver } from './sgd.js';
import type { Solver } from './solver.js';

export type SolverFactory = (opts: TrainOptions, nUsers: number, nItems: number, train: Columns, rng: Rng) => Solver;

const SOLVERS: Record<ModelKind, SolverFactory> = {
  dot: sgdSolver,
  dotbias: sgdSolver,
  nn: sgdSolver,
};

export function solverFor(kind: ModelKind): SolverFactory {
  return SOLVERS[kind];
}

export type { Solver } from './solver.js';
