/**
 * A tuning worker: one per core, it loads the dataset once and runs one job at a time — a trial's rung on
 * the search's holdout (it is given only the holdout's rows), or a member of the winner's final run on the
 * rows it is sent. Cancel arrives as a message and is honoured within one batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadDataset } from '../../data/index.js';
import type { Dataset, Split } from '../../data/types.js';
import { trainModel } from '../train/train.js';
import { withPickModel } from './tunePool.js';
import type { Holdout } from '../tune/holdout.js';
import type { TuneConfig } from '../tune/space.js';
import { TrialRunner, type TrialOutcome, type TuneMetric } from '../tune/trial.js';
import type { TrainEvent, TrainOptions, TrainResult } from '../types.js';

export interface TuneWorkerInput {
  dataDir: string;
  holdout: Holdout;
  metric: TuneMetric;
}

export type TuneWorkerRequest =
  | { type: 'trial'; id: number; config: TuneConfig; fraction: number }
  | { type: 'final'; id: number; options: Partial<TrainOptions>; split: Pick<Split, 'name' | 'train'>; withPick: boolean }
  | { type: 'cancel'; id: number };

export type TuneWorkerReply =
  | { type: 'ready' }
  | { type: 'outcome'; id: number; outcome: TrialOutcome }
  | { type: 'events'; id: number; events: TrainEvent[] }
  | { type: 'final'; id: number; result: TrainResult }
  | { type: 'error'; id: number; message: string };

const port = parentPort!;
const input = workerData as TuneWorkerInput;
const controllers = new Map<number, AbortController>();
const post = (m: TuneWorkerReply) => port.postMessage(m);

const ready = loadDataset(input.dataDir).then(async (ds) => {
  await warmUp(ds);
  return { ds, runner: new TrialRunner(ds, input.holdout, input.metric) };
});

/**
 * A few hundred ratings for one epoch: the backend starts and the kernels compile now, so the first trial's
 * seconds (which the search's time estimates build on) are a trial's, not the start-up's.
 */
async function warmUp(ds: Dataset): Promise<void> {
  const n = Math.min(input.holdout.train.length, 512);
  const rows = input.holdout.train.subarray(0, n);
  const split: Split = { name: 'random', train: rows, valid: input.holdout.valid.subarray(0, Math.min(64, input.holdout.valid.length)), coldUserRows: 0, coldItemRows: 0, description: 'warm-up' };
  await trainModel(ds, split, { epochs: 1, bs: 64 });
}
ready.then(
  () => post({ type: 'ready' }),
  (err: unknown) => post({ type: 'error', id: -1, message: err instanceof Error ? err.message : String(err) }),
);

port.on('message', (m: TuneWorkerRequest) => {
  if (m.type === 'cancel') return controllers.get(m.id)?.abort();
  const controller = new AbortController();
  controllers.set(m.id, controller);
  void handle(m, controller.signal)
    .catch((err: unknown) => post({ type: 'error', id: m.id, message: err instanceof Error ? err.message : String(err) }))
    .finally(() => controllers.delete(m.id));
});

async function handle(m: Exclude<TuneWorkerRequest, { type: 'cancel' }>, signal: AbortSignal): Promise<void> {
  const { ds, runner } = await ready;
  if (m.type === 'trial') {
    post({ type: 'outcome', id: m.id, outcome: await runner.run(m.config, m.fraction, signal) });
    return;
  }
  // the final run trains on every training row and validates on nothing: the test rows are not sent
  let pending: TrainEvent[] = [];
  let last = 0;
  const flush = () => {
    if (pending.length) post({ type: 'events', id: m.id, events: pending });
    pending = [];
    last = performance.now();
  };
  const split: Split = { name: m.split.name, train: m.split.train, valid: new Int32Array(0), coldUserRows: 0, coldItemRows: 0, description: 'the whole training set' };
  const result = await trainModel(ds, split, m.options, {
    signal,
    onEvent: (e) => {
      pending.push(e);
      if (e.type !== 'batch' || performance.now() - last > 100) flush();
    },
  });
  flush();
  // the pick model of the same training ratings, for the new-user ranking (fitted here, off the UI thread)
  post({ type: 'final', id: m.id, result: m.withPick && result.epochs.length > 0 ? withPickModel(result, ds, split) : result });
}
