/** A fresh model's parameters plus the batch step for its kind: what the trainer and lr-find share. */
import type { ModelShape } from '../models/index.js';
import { predictRows } from '../models/forward.js';
import { ModelError } from '../errors.js';
import type { ModelKind } from '../types.js';
import type { Rng } from './random.js';
import { dotBatch, dotLayout, type RatingColumns } from './dotKernel.js';
import { initParams, weightsView } from './layout.js';
import { NnKernel, nnScratchFloats } from './nnKernel.js';
import type { TouchedRanges } from './optimizer.js';
import type { FlatParams, StorageFactory } from './params.js';

export interface BatchRunner {
  params: FlatParams;
  /** Forward + backward of rows order[start..end) into params.g; returns the batch MSE. */
  run(start: number, end: number): number;
  /** Predictions for whole columns with the current weights (validation). */
  predict(c: { users: Int32Array; items: Int32Array }): Float32Array;
}

interface RunnerArgs {
  shape: ModelShape;
  rng: Rng;
  /** Rows per kernel call at most (a batch, or a validation chunk). */
  chunk: number;
  data: RatingColumns;
  order: Int32Array;
  yRange: [number, number];
  touched: TouchedRanges;
  storage?: StorageFactory;
}

/** The fused kernel of each SGD kind (each tested against the kind's forward in models/); the baselines have solvers of their own. */
const RUNNERS: Partial<Record<ModelKind, (a: RunnerArgs) => BatchRunner>> = {
  dot: (a) => dotRunner(a, false),
  dotbias: (a) => dotRunner(a, true),
  nn: nnRunner,
};

export function createRunner(
  shape: ModelShape,
  rng: Rng,
  maxBatch: number,
  data: RatingColumns,
  order: Int32Array,
  yRange: [number, number],
  touched: TouchedRanges,
  storage?: StorageFactory,
): BatchRunner {
  const runner = RUNNERS[shape.kind];
  if (!runner) throw new ModelError(`the ${shape.kind} model is not trained by SGD: it has no batch kernel (lr-find needs one)`);
  return runner({ shape, rng, chunk: Math.max(maxBatch, 1024), data, order, yRange, touched, storage });
}

function dotRunner(a: RunnerArgs, bias: boolean): BatchRunner {
  const [lo, hi] = a.yRange;
  const params = initParams(a.shape, a.rng, 0, a.storage);
  const L = dotLayout(params, bias);
  return {
    params,
    run: (s, e) => dotBatch(params, L, a.data, a.order, s, e, lo, hi, a.touched),
    // the kind's own forward, on views of the parameters (no copy)
    predict: (c) => predictRows(weightsView(params, a.shape, a.yRange), c),
  };
}

function nnRunner(a: RunnerArgs): BatchRunner {
  const [lo, hi] = a.yRange;
  const { shape, chunk } = a;
  const params = initParams(shape, a.rng, nnScratchFloats(shape.userDim, shape.itemDim, shape.hidden, chunk), a.storage);
  const nn = new NnKernel(params, chunk);
  return {
    params,
    run: (s, e) => nn.batch(a.data, a.order, s, e, lo, hi, a.touched),
    // the SIMD kernel's forward: validation of 20k rows through the dense layers every epoch
    predict: (c) => nn.predict(c, lo, hi, new Float32Array(c.users.length)),
  };
}
