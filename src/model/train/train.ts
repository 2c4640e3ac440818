/**
 * The trainer: fastai's fit_one_cycle for the three collab models. Emits typed events, honours an
 * AbortSignal within one batch, never writes to stdout, and can run inside a worker thread.
 */
import type { Dataset, Split } from '../../data/types.js';
import { initBackend } from '../runtime/backend.js';
import { checkYRange, defaultYRange, resolveOptions } from './defaults.js';
import { modelShape, toModelWeights } from '../engine/layout.js';
import { createRunner } from '../engine/runner.js';
import { AdamW, TouchedRanges } from '../engine/optimizer.js';
import { trainingStorage } from '../engine/tfjsStorage.js';
import { makeSchedule } from '../engine/schedule.js';
import { regressionMetrics, selectRows } from '../evaluate/metrics.js';
import { mulberry32, shuffle } from '../engine/random.js';
import { trainBlended } from './blended.js';
import type { EpochRow, StopReason, TrainEvent, TrainOptions, TrainResult } from '../types.js';
import { vocabFromDataset } from '../models/vocab.js';

export interface TrainHooks {
  signal?: AbortSignal;
  onEvent?: (e: TrainEvent) => void;
  /** How often (ms of work) to yield to the event loop so messages (cancel) get through. */
  yieldEveryMs?: number;
}

const BETA2 = 0.99;
const EPS = 1e-5;

/** Options with y_range derived from the data's scale unless the caller gave one. */
export function optionsFor(ds: Dataset, partial: Partial<TrainOptions>): TrainOptions {
  const o = resolveOptions({ ...partial, yRange: partial.yRange ?? defaultYRange(ds.scale) });
  checkYRange(o.yRange, ds.scale); // refuses a y_range absurd for this data (its warning is the caller's to show)
  return o;
}

export async function trainModel(ds: Dataset, split: Split, partial: Partial<TrainOptions>, hooks: TrainHooks = {}): Promise<TrainResult> {
  const opts = optionsFor(ds, partial);
  return opts.solver === 'autorec' ? trainBlended(ds, split, opts, hooks, trainSgd) : trainSgd(ds, split, opts, hooks);
}

/** fit_one_cycle of one model with the fused kernels (the solver 'sgd'). */
async function trainSgd(ds: Dataset, split: Split, opts: TrainOptions, hooks: TrainHooks): Promise<TrainResult> {
  const backend = await initBackend(opts.backend);
  const emit = hooks.onEvent ?? (() => {});
  const [lo, hi] = opts.yRange;
  const shape = modelShape(opts, ds.nUsers, ds.nItems);
  const rng = mulberry32(opts.seed);
  const train = selectRows(ds, split.train);
  const valid = selectRows(ds, split.valid);
  // A model that learned nothing predicts the middle of y_range. sigmoid_range keeps the loss finite, so
  // a too-high lr often shows no NaN at all (lr 10 with wd 0.1 wipes the weights every step): a run
  // whose validation loss ends an epoch far above that blind guess has diverged all the same.
  const blindMse = constantMse(valid.ratings, (lo + hi) / 2);
  const bs = Math.min(opts.bs, train.ratings.length);

  const order = new Int32Array(train.ratings.length);
  const batchesPerEpoch = Math.max(1, Math.floor(order.length / bs));
  const schedule = makeSchedule(opts.schedule, opts.lr, opts.epochs * batchesPerEpoch);

  const touched = new TouchedRanges();
  // on the wasm backend the parameters are tf.Variables and the kernels update them in place
  const runner = createRunner(shape, rng, bs, train, order, opts.yRange, touched, trainingStorage());
  const { params } = runner;
  const optimizer = new AdamW(params);

  const epochs: EpochRow[] = [];
  const batchLosses: number[] = [];
  let lastGood = params.w.slice();
  let reason: StopReason = 'completed';
  let message = '';
  const t0 = performance.now();
  let lastYield = t0;
  const yieldMs = hooks.yieldEveryMs ?? 20;
  let firstLosses = 0;
  let ema = NaN;

  emit({ type: 'start', backend, weightsIn: params.storage.owner, epochs: opts.epochs, batchesPerEpoch, nParams: params.size });
  try {
    outer: for (let epoch = 0; epoch < opts.epochs; epoch++) {
      const te = performance.now();
      for (let i = 0; i < order.length; i++) order[i] = i;
      shuffle(order, rng);
      let sum = 0;
      for (let b = 0; b < batchesPerEpoch; b++) {
        if (hooks.signal?.aborted) {
          reason = 'cancelled';
          message = `cancelled during epoch ${epoch + 1}; keeping the weights of epoch ${epochs.length}` + (epochs.length ? '' : ' (untrained)');
          break outer;
        }
        const step = epoch * batchesPerEpoch + b;
        const { lr, beta1 } = schedule(step);
        // like PyTorch's and fastai's training loaders, the incomplete last batch is dropped
        const loss = runner.run(b * bs, (b + 1) * bs);
        if (step < 10) firstLosses += loss / 10;
        ema = Number.isNaN(ema) ? loss : 0.98 * ema + 0.02 * loss;
        const exploded = step >= 10 && step >= Math.min(50, batchesPerEpoch) && ema > 3 * firstLosses && ema > 1;
        if (!Number.isFinite(loss) || exploded) {
          reason = 'diverged';
          const what = Number.isFinite(loss) ? `loss exploded (${ema.toFixed(3)} after starting at ${firstLosses.toFixed(3)})` : 'loss became NaN';
          message = `${what} at epoch ${epoch + 1}, batch ${b + 1}: lr ${opts.lr} is too high; kept the weights of epoch ${epochs.length}`;
          params.w.set(lastGood);
          break outer;
        }
        optimizer.step({ lr, beta1, beta2: BETA2, eps: EPS, wd: opts.wd }, touched);
        touched.clear();
        sum += loss;
        batchLosses.push(loss);
        emit({ type: 'batch', epoch, batch: b, batchesPerEpoch, loss, lr, elapsed: (performance.now() - t0) / 1000 });
        const now = performance.now();
        if (now - lastYield > yieldMs) {
          await new Promise<void>((r) => setImmediate(r));
          lastYield = performance.now();
        }
      }
      const m = regressionMetrics(runner.predict(valid), valid.ratings);
      if (!Number.isFinite(m.mse)) {
        reason = 'diverged';
        message = `validation loss is not a number after epoch ${epoch + 1}: lr ${opts.lr} is too high; kept the weights of epoch ${epochs.length}`;
        params.w.set(lastGood);
        break;
      }
      if (m.mse > DIVERGED_VS_BLIND * blindMse) {
        reason = 'diverged';
        message =
          `validation loss ${m.mse.toFixed(3)} after epoch ${epoch + 1} is far worse than predicting ${(lo + hi) / 2} for every rating ` +
          `(${blindMse.toFixed(3)}): lr ${opts.lr} is too high; kept the weights of epoch ${epochs.length}`;
        params.w.set(lastGood);
        break;
      }
      lastGood = params.w.slice();
      const row: EpochRow = {
        epoch,
        trainLoss: sum / batchesPerEpoch,
        validLoss: m.mse,
        validRmse: m.rmse,
        validMae: m.mae,
        seconds: (performance.now() - te) / 1000,
      };
      epochs.push(row);
      emit({ type: 'epoch', row });
    }
    if (reason === 'cancelled') params.w.set(lastGood); // the interrupted epoch's partial updates are not kept
  } catch (err) {
    params.dispose();
    throw err;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (reason === 'completed') message = `trained ${epochs.length} epochs in ${seconds.toFixed(1)} s`;
  // the finished weights leave the variables as plain arrays: they cross to the UI thread and into snapshots
  const weights = toModelWeights(params, shape, opts.yRange);
  params.dispose();
  emit({ type: 'done', reason, message, epochs, seconds });
  return {
    weights,
    vocab: vocabFromDataset(ds),
    options: opts,
    epochs,
    batchLosses,
    backend,
    reason,
    message,
    seconds,
    dataset: { name: ds.name, nRatings: ds.nRatings, nUsers: ds.nUsers, nItems: ds.nItems, hash: ds.hash },
    split: split.name,
  };
}

/** How much worse than the blind guess an epoch may end before the run counts as diverged. */
const DIVERGED_VS_BLIND = 1.5;

function constantMse(ratings: Float32Array, guess: number): number {
  let se = 0;
  for (let i = 0; i < ratings.length; i++) se += (ratings[i] - guess) ** 2;
  return ratings.length ? se / ratings.length : NaN;
}
