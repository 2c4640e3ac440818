/**
 * Which solver fits each model kind (the first stage of every run; see train.ts for the stages after it).
 * A new kind adds its line here. The embedding kinds train on several threads (strata.ts) when the
 * options ask for more than one.
 */
import type { Columns } from '../../evaluate/metrics.js';
import type { Rng } from '../../engine/random.js';
import { modelKind } from '../../models/index.js';
import type { ModelKind, TrainOptions } from '../../types.js';
import { sgdSolver } from './sgd.js';
import type { Solver } from './solver.js';
import { strataSolver } from './strata.js';

export type SolverFactory = (opts: TrainOptions, nUsers: number, nItems: number, train: Columns, rng: Rng, valid: Columns | null) => Solver;

const SOLVERS: Record<ModelKind, SolverFactory> = {
  dot: sgdSolver,
  dotbias: sgdSolver,
  nn: sgdSolver,
};

/** The kind's solver; on several threads (kinds whose spec says `threaded`) the stratified one. */
export function solverFor(opts: TrainOptions): SolverFactory {
  return (opts.threads ?? 1) > 1 && modelKind(opts.model).threaded ? strataSolver : SOLVERS[opts.model];
}

export type { Solver } from './solver.js';
