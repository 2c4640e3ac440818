/**
 * Training off the UI thread: loads the dataset, trains (or runs a leaderboard), and posts events back.
 * Batch events are coalesced (every ~50 ms) so the UI thread is never flooded; cancel arrives as a
 * message and is honoured within one batch (the trainer yields to the event loop while it works).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadDataset } from '../../data/index.js';
import type { LeaderboardEvent, LeaderboardRequest } from '../leaderboard/run.js';
import { splitOf, trainModel } from '../train/train.js';
import type { Dataset, Split } from '../../data/types.js';
import { pickModelFor } from '../interpret/pickAndLike.js';
import type { TrainEvent, TrainOptions, TrainResult } from '../types.js';
import { runInBackground } from '../engine/threads.js';

/** `dataset`: the dataset already loaded by the UI thread (its columns shared, not copied); absent: load dataDir. */
export type WorkerInput = ({ dataDir: string; options: Partial<TrainOptions> } | { dataDir: string; leaderboard: LeaderboardRequest }) & { dataset?: Dataset };

export type WorkerMessage =
  | { type: 'events'; events: TrainEvent[] }
  | { type: 'leaderboard'; events: LeaderboardEvent[] }
  /** split: the rows it trained on, when it trained on the UI's dataset (shared memory, not a copy). */
  | { type: 'result'; result: TrainResult; split?: Split }
  | { type: 'finished' }
  | { type: 'error'; message: string };

// the app's background work: this thread and the training threads it starts yield the CPU to the UI thread
runInBackground();

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
  if ('leaderboard' in input) {
    const ds = input.dataset ?? (await loadDataset(input.dataDir));
    const { runLeaderboard } = await import('../leaderboard/run.js');
    let progress: LeaderboardEvent | null = null;
    let lastProgress = 0;
    await runLeaderboard(ds, input.leaderboard, {
      signal: controller.signal,
      onEvent: (e) => {
        // progress at most every 50 ms; everything else at once
        if (e.type === 'progress' && performance.now() - lastProgress < 50 && e.fraction < 1) {
          progress = e;
          return;
        }
        lastProgress = performance.now();
        // a row's model goes to the session with its pick model, as a trained one does (below)
        if (e.type === 'row' && e.result && e.result.epochs.length > 0) e.result.pick = pickModelFor(ds, splitOf(ds, e.result.options));
        const events = progress && e.type !== 'progress' ? [progress, e] : [e];
        progress = null;
        port.postMessage({ type: 'leaderboard', events } satisfies WorkerMessage);
      },
    });
    port.postMessage({ type: 'finished' } satisfies WorkerMessage);
  } else {
    const ds = input.dataset ?? (await loadDataset(input.dataDir));
    const split = splitOf(ds, input.options);
    const result = await trainModel(ds, split, input.options, {
      signal: controller.signal,
      onEvent: (e) => {
        pending.push(e);
        if (e.type !== 'batch' || performance.now() - lastFlush > 50) flush();
      },
    });
    flush();
    // the pick model of the same training ratings, for the new-user ranking: fitted here when this worker
    // read the data itself; with the UI's shared dataset the session fits it in a worker of its own once
    // this one (and its trainer's memory) is gone
    if (result.epochs.length > 0 && !input.dataset) result.pick = pickModelFor(ds, split);
    port.postMessage({ type: 'result', result, ...(input.dataset ? { split } : {}) } satisfies WorkerMessage);
  }
} catch (err) {
  flush();
  port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies WorkerMessage);
}
