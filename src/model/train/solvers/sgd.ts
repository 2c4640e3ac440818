/**
 * fit_one_cycle's arithmetic for the embedding models: the fused batch kernel of the model's kind
 * (engine/runner.ts) and AdamW with PyTorch's math (engine/optimizer.ts), on one flat parameter array.
 */
import type { Columns } from '../../evaluate/metrics.js';
import { modelShape, toModelWeights } from '../../engine/layout.js';
import { AdamW, TouchedRanges } from '../../engine/optimizer.js';
import { shuffle, type Rng } from '../../engine/random.js';
import { createRunner } from '../../engine/runner.js';
import { trainingStorage } from '../../engine/tfjsStorage.js';
import type { TrainOptions } from '../../types.js';
import type { Solver } from './solver.js';

const BETA2 = 0.99;
const EPS = 1e-5;

export function sgdSolver(opts: TrainOptions, nUsers: number, nItems: number, train: Columns, rng: Rng): Solver {
  const shape = modelShape(opts, nUsers, nItems);
  const bs = Math.min(opts.bs, train.ratings.length);
  const order = new Int32Array(train.ratings.length);
  const touched = new TouchedRanges();
  // on the wasm backend the parameters are tf.Variables and the kernels update them in place
  const runner = createRunner(shape, rng, bs, train, order, opts.yRange, touched, trainingStorage());
  const { params } = runner;
  const optimizer = new AdamW(params);
  let lastGood = params.w.slice();
  return {
    // like PyTorch's and fastai's training loaders, the incomplete last batch is dropped
    steps: Math.max(1, Math.floor(order.length / Math.max(1, bs))),
    nParams: params.size,
    weightsIn: params.storage.owner,
    threads: 1,
    beginEpoch() {
      for (let i = 0; i < order.length; i++) order[i] = i;
      shuffle(order, rng);
    },
    step(s, { lr, beta1 }) {
      const loss = runner.run(s * bs, (s + 1) * bs);
      optimizer.step({ lr, beta1, beta2: BETA2, eps: EPS, wd: opts.wd }, touched);
      touched.clear();
      return loss;
    },
    predict: (valid) => runner.predict(valid),
    keep: () => (lastGood = params.w.slice()),
    restore: () => params.w.set(lastGood),
    // the finished weights leave the variables as plain arrays: they cross to the UI thread and into snapshots
    weights: () => toModelWeights(params, shape, opts.yRange),
    dispose: () => params.dispose(),
  };
}
