/**
 * Training off the UI thread: loads the dataset, trains, and posts events back. Batch events are
 * coalesced (every ~50 ms) so the UI thread is never flooded; cancel arrives as a message and is
 * honoured within one batch (the trainer yields to the event loop while it works).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadDataset, makeSplit } from '../../data/index.js';
import { trainModel } from '../train/train.js';
import { pickModelFor } from '../interpret/pickAndLike.js';
import type { TrainEvent, TrainOptions } from '../types.js';

export interface WorkerInput {
  dataDir: string;
  options: Partial<TrainOptions>;
}

export type WorkerMessage =
  | { type: 'events'; events: TrainEvent[] }
  | { type: 'result'; result: import('../types.js').TrainResult }
  | { type: 'error'; message: string };

const port = parentPort!;
const input = workerData as WorkerInput;
const controller = new AbortController();
port.on('message', (m: { type: string }) => {
  if (m.type === 'cancel') controller.abort();
});

let pending: TrainEvent[] = [];
let lastFlush = 0;
const flush = () => {
  if (pending.length) port.postMessage({ type: 'events', events: pending } satisfies WorkerMessage);
  pending = [];
  lastFlush = performance.now();
};

try {
  const ds = await loadDataset(input.dataDir);
  const split = makeSplit(ds, input.options.split ?? 'random', { validPct: input.options.validPct, seed: input.options.seed });
  const result = await trainModel(ds, split, input.options, {
    signal: controller.signal,
    onEvent: (e) => {
      pending.push(e);
      if (e.type !== 'batch' || performance.now() - lastFlush > 50) flush();
    },
  });
  flush();
  // the pick model of the same training ratings, for the new-user ranking (the UI thread never fits it)
  if (result.epochs.length > 0) result.pick = pickModelFor(ds, split);
  port.postMessage({ type: 'result', result } satisfies WorkerMessage);
} catch (err) {
  flush();
  port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies WorkerMessage);
}
