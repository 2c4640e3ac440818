/**
 * Solver 'autorec': the dotbias model as usual, then an I-AutoRec on the same training ratings, and the
 * two blended in logit space into one exact dotbias model (autorec.ts). The result is explorable like
 * any dotbias model. Events stream as one run: the dotbias epochs, then the AutoRec epochs, whose valid
 * metrics are those of the blend as it stands; the dotbias stage's batch events are thinned to the
 * AutoRec's steps per epoch so one progress bar covers both.
 */
import type { Dataset, Split } from '../../data/types.js';
import { blendDotbias, trainAutoRec } from './autorec.js';
import { predictRows } from '../models/forward.js';
import { regressionMetrics, selectRows } from '../evaluate/metrics.js';
import type { TrainHooks } from './train.js';
import type { EpochRow, TrainOptions, TrainResult } from '../types.js';

type SgdTrainer = (ds: Dataset, split: Split, opts: TrainOptions, hooks: TrainHooks) => Promise<TrainResult>;

export async function trainBlended(ds: Dataset, split: Split, opts: TrainOptions, hooks: TrainHooks, trainSgd: SgdTrainer): Promise<TrainResult> {
  const ar = opts.autorec!;
  const emit = hooks.onEvent ?? (() => {});
  const t0 = performance.now();
  const steps = Math.ceil(ds.nItems / Math.max(1, Math.min(ar.bs, ds.nItems)));
  const elapsed = () => (performance.now() - t0) / 1000;

  // 1. the dotbias part
  let thinned = 0;
  let pending = 0;
  let pendingN = 0;
  const dot = await trainSgd(ds, split, { ...opts, solver: 'sgd', autorec: undefined }, {
    signal: hooks.signal,
    yieldEveryMs: hooks.yieldEveryMs,
    onEvent: (e) => {
      if (e.type === 'start') {
        emit({ ...e, epochs: opts.epochs + ar.epochs, batchesPerEpoch: steps });
      } else if (e.type === 'batch') {
        pending += e.loss;
        pendingN++;
        const k = Math.floor(((e.batch + 1) * steps) / e.batchesPerEpoch);
        if (k > Math.floor((e.batch * steps) / e.batchesPerEpoch)) {
          emit({ ...e, batch: thinned++ % steps, batchesPerEpoch: steps, loss: pending / pendingN, elapsed: elapsed() });
          pending = 0;
          pendingN = 0;
        }
      } else if (e.type === 'epoch') {
        emit(e);
      }
    },
  });
  const finish = (r: TrainResult): TrainResult => {
    const seconds = elapsed();
    emit({ type: 'done', reason: r.reason, message: r.message, epochs: r.epochs, seconds });
    return { ...r, options: opts, seconds };
  };
  if (dot.reason !== 'completed') return finish({ ...dot, message: `${dot.message} (the AutoRec stage did not run)` });

  // 2. the AutoRec, validated as the blend it will become
  const base = dot.weights;
  if (base.kind !== 'dotbias') throw new Error('the AutoRec blend needs a dotbias model');
  const train = selectRows(ds, split.train);
  const valid = selectRows(ds, split.valid);
  const epochs: EpochRow[] = [...dot.epochs];
  const batchLosses = [...dot.batchLosses];
  let te = performance.now();
  const res = await trainAutoRec(
    ds.nUsers,
    ds.nItems,
    train,
    { hidden: ar.hidden, epochs: ar.epochs, lr: ar.lr, wd: ar.wd, bs: ar.bs, schedule: opts.schedule, yRange: opts.yRange, seed: opts.seed },
    undefined,
    {
      signal: hooks.signal,
      yieldEveryMs: hooks.yieldEveryMs,
      onStep: (epoch, step, n, loss, lr) => {
        batchLosses.push(loss);
        emit({ type: 'batch', epoch: opts.epochs + epoch, batch: step, batchesPerEpoch: n, loss, lr, elapsed: elapsed() });
      },
      onEpoch: (row, weights) => {
        const m = regressionMetrics(predictRows(blendDotbias(weights(), base, ar.blend), valid), valid.ratings);
        const out: EpochRow = { epoch: opts.epochs + row.epoch, trainLoss: row.trainLoss, validLoss: m.mse, validRmse: m.rmse, validMae: m.mae, seconds: (performance.now() - te) / 1000 };
        te = performance.now();
        epochs.push(out);
        emit({ type: 'epoch', row: out });
      },
    },
  );
  const weights = blendDotbias(res.weights, base, ar.blend);
  const last = epochs.at(-1)!;
  const message = res.cancelled
    ? `cancelled during the AutoRec stage; kept the blend as of epoch ${epochs.length}`
    : `trained dotbias (${opts.epochs} epochs) and I-AutoRec (${ar.epochs} epochs, ${ar.hidden} hidden), blended ${ar.blend}/${(1 - ar.blend).toFixed(2)}: valid RMSE ${last.validRmse.toFixed(4)} in ${elapsed().toFixed(1)} s`;
  return finish({ ...dot, weights, epochs, batchLosses, reason: res.cancelled ? 'cancelled' : 'completed', message });
}
