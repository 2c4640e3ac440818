/**
 * What the training loop (loop.ts) needs from a way of fitting a model: steps over an epoch, its
 * predictions for validation, and a way back to the last good weights. The loop owns the epochs, the
 * schedule, the events, cancelling, yielding and divergence; a solver owns only its arithmetic.
 */
import type { Columns } from '../../evaluate/metrics.js';
import type { StepHyper } from '../../engine/schedule.js';
import type { ModelWeights, WeightsHome } from '../../types.js';

export interface Solver {
  /** Optimizer steps per epoch. */
  readonly steps: number;
  /** Trainable parameters (for the start event). */
  readonly nParams: number;
  /** Where the parameters live: tfjs variables on the wasm backend, a memory of the solver's own, or one its threads share. */
  readonly weightsIn: WeightsHome;
  /** Threads it trains on. */
  readonly threads: number;
  /** Start of an epoch (reshuffle). */
  beginEpoch(): void;
  /**
   * Forward, backward and the optimizer update of step `s` of the epoch; returns that step's training
   * loss. `ahead(s2)` gives the schedule's hyperparameters of a later step s2 of the same epoch (a
   * solver that hands several steps to threads at once reads them ahead).
   */
  step(s: number, hyper: StepHyper, ahead?: (s2: number) => StepHyper): number;
  /** The epoch's training loss, when the solver measures it otherwise than as the mean of its steps' losses. */
  epochLoss?(): number;
  /** Predicted ratings of the validation rows with the current weights (the model as it will be handed on). */
  predict(valid: Columns): Float32Array;
  /** Remember the current weights as the last good ones; restore() goes back to them. */
  keep(): void;
  restore(): void;
  /** The model as it will be handed on (a copy). */
  weights(): ModelWeights;
  dispose(): void;
}
