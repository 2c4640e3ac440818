/**
 * The embedding models (dot, dotbias) on several threads: stratified SGD with sparse AdamW on one
 * shared memory (engine/strata.ts). For a given number of threads a run is reproducible; it differs
 * from the one-thread solver (sgd.ts), whose dense AdamW also moves rows that sat out a batch.
 */
import type { Columns } from '../../evaluate/metrics.js';
import { modelShape } from '../../engine/layout.js';
import type { Rng } from '../../engine/random.js';
import { StrataTrainer } from '../../engine/strata.js';
import type { TrainOptions } from '../../types.js';
import type { Solver } from './solver.js';

const BETA2 = 0.99;
const EPS = 1e-5;

export function strataSolver(opts: TrainOptions, nUsers: number, nItems: number, train: Columns, rng: Rng, yRange: [number, number], valid: Columns | null = null): Solver {
  const shape = modelShape(opts, nUsers, nItems);
  const threads = opts.threads ?? 1;
  const trainer = new StrataTrainer(shape, rng, train, valid, { threads, bs: Math.max(1, Math.min(opts.bs, train.ratings.length)), yRange, wd: opts.wd, beta2: BETA2, eps: EPS });
  let lastGood = trainer.weights();
  return {
    steps: trainer.plan.steps,
    nParams: trainer.nParams,
    weightsIn: 'shared',
    threads,
    beginEpoch() {
      trainer.beginEpoch(rng);
    },
    step: (s, hyper, ahead) => trainer.step(s, ahead ?? (() => hyper)),
    epochLoss: () => trainer.epochLoss(),
    predict(c) {
      if (c !== valid) throw new Error('the threaded solver predicts the validation columns it was given');
      return trainer.predictValid();
    },
    keep() {
      lastGood = trainer.weights();
    },
    restore() {
      trainer.stopRounds();
      trainer.setWeights(lastGood);
    },
    weights: () => trainer.weights(),
    dispose: () => void trainer.close(),
  };
}
