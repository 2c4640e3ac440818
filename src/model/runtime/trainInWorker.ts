/** Starts a training run in a worker thread and relays its events (the UI's way to train). */
import { Worker } from 'node:worker_threads';
import { workerScript } from './workerScript.js';
import type { WorkerInput, WorkerMessage } from './trainWorker.js';
import type { FitData, FitInput, FitMessage } from './fitWorker.js';
import type { Dataset, Split } from '../../data/types.js';
import type { LeaderboardEvent, LeaderboardRequest } from '../leaderboard/run.js';
import type { PickModel } from '../interpret/pickAndLike.js';
import type { TasteModel } from '../coldstart/questionnaire.js';
import type { MetadataModel } from '../coldstart/newMovie.js';
import type { ModelWeights, TrainEvent, TrainOptions, TrainResult } from '../types.js';

export interface WorkerRun {
  cancel(): void;
  /** Resolves with the result (also after a cancel), rejects with a user-readable error. */
  result: Promise<TrainResult>;
  /** The split it trained on, when it trained on the dataset given (its rows shared, not copied); else null. */
  split: Promise<Split | null>;
}

/**
 * The dataset with its rating columns moved into SharedArrayBuffers: a worker given it reads the same
 * memory instead of a copy (at ML-25M size, half a gigabyte and seconds of copying). Columns already
 * shared are kept as they are.
 */
export function withSharedColumns(ds: Dataset): Dataset {
  const share = <T extends Int32Array | Float32Array | Float64Array>(a: T, make: (b: SharedArrayBuffer) => T): T => {
    if (a.buffer instanceof SharedArrayBuffer) return a;
    const out = make(new SharedArrayBuffer(a.byteLength));
    out.set(a as never);
    return out;
  };
  return {
    ...ds,
    users: share(ds.users, (b) => new Int32Array(b)),
    items: share(ds.items, (b) => new Int32Array(b)),
    ratings: share(ds.ratings, (b) => new Float32Array(b)),
    timestamps: share(ds.timestamps, (b) => new Float64Array(b)),
  };
}

/**
 * Trains in a worker thread. With `dataset` (best with withSharedColumns) the worker trains on it;
 * else it loads dataDir itself.
 */
export function trainInWorker(dataDir: string, options: Partial<TrainOptions>, onEvent: (e: TrainEvent) => void, dataset?: Dataset): WorkerRun {
  const { script, eval: isEval } = workerScript(import.meta.url, 'trainWorker');
  const worker = new Worker(script, { eval: isEval, workerData: { dataDir, options, dataset } satisfies WorkerInput, stdout: true, stderr: true });
  let settled = false;
  let splitOut: (s: Split | null) => void = () => undefined;
  const split = new Promise<Split | null>((resolve) => (splitOut = resolve));
  const result = new Promise<TrainResult>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'events') m.events.forEach(onEvent);
      else if (m.type === 'result') {
        settled = true;
        splitOut(m.split ?? null);
        resolve(m.result);
        void worker.terminate();
      } else if (m.type === 'error') {
        settled = true;
        onEvent({ type: 'error', message: m.message });
        reject(Object.assign(new Error(m.message), { name: 'ModelError' }));
        void worker.terminate();
      }
    });
    worker.on('error', (err) => {
      if (settled) return;
      settled = true;
      onEvent({ type: 'error', message: err.message });
      reject(err);
    });
    worker.on('exit', (code) => {
      if (settled) return;
      settled = true;
      const message = `training worker stopped unexpectedly (exit code ${code})`;
      onEvent({ type: 'error', message });
      reject(new Error(message));
    });
  });
  void result.catch(() => splitOut(null));
  return {
    cancel: () => worker.postMessage({ type: 'cancel' }),
    result,
    split,
  };
}

export interface LeaderboardRun {
  cancel(): void;
  /** Stops the worker at once (the app is closing). */
  terminate(): void;
  /** Resolves when the leaderboard has finished (also after a cancel), rejects with a user-readable error. */
  done: Promise<void>;
}

/** Runs a leaderboard in a worker thread, relaying its events (rows with their trained models); `dataset` as for trainInWorker. */
export function leaderboardInWorker(dataDir: string, request: LeaderboardRequest, onEvent: (e: LeaderboardEvent) => void, dataset?: Dataset): LeaderboardRun {
  const { script, eval: isEval } = workerScript(import.meta.url, 'trainWorker');
  const worker = new Worker(script, { eval: isEval, workerData: { dataDir, leaderboard: request, dataset } satisfies WorkerInput, stdout: true, stderr: true });
  let settled = false;
  const done = new Promise<void>((resolve, reject) => {
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      reject(Object.assign(new Error(message), { name: 'ModelError' }));
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'leaderboard') m.events.forEach(onEvent);
      else if (m.type === 'finished') {
        settled = true;
        resolve();
        void worker.terminate();
      } else if (m.type === 'error') fail(m.message);
    });
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => fail(`leaderboard worker stopped unexpectedly (exit code ${code})`));
  });
  return {
    cancel: () => worker.postMessage({ type: 'cancel' }),
    terminate: () => {
      settled = true;
      void worker.terminate();
    },
    done,
  };
}

/** Of a dataset, what a fit reads: a worker given the whole dataset spends ~50 MB (at ML-25M size) on a copy of its ids and titles. */
function fitData(ds: Dataset): FitData {
  const { users, items, ratings, timestamps, nUsers, nItems, scale, genres, years } = ds;
  return { users, items, ratings, timestamps, nUsers, nItems, scale, genres, years };
}

/**
 * One job in a worker thread that ends with one answer: `answer` reads it from the worker's messages
 * (undefined: not the answer yet), `onProgress` sees the others. The worker is stopped once it has
 * answered or failed, so whatever memory it used goes with it.
 */
function oneShot<T>(input: FitInput, what: string, answer: (m: FitMessage) => T | undefined, onMessage?: (m: FitMessage) => void): Promise<T> {
  const { script, eval: isEval } = workerScript(import.meta.url, 'fitWorker');
  const worker = new Worker(script, { eval: isEval, workerData: input, stdout: true, stderr: true });
  let settled = false;
  return new Promise<T>((resolve, reject) => {
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      reject(Object.assign(new Error(message), { name: 'ModelError' }));
      void worker.terminate();
    };
    worker.on('message', (m: FitMessage) => {
      if (m.type === 'error') return fail(m.message);
      const value = answer(m);
      if (value === undefined) return onMessage?.(m);
      settled = true;
      resolve(value);
      void worker.terminate();
    });
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => fail(`${what} worker stopped unexpectedly (exit code ${code})`));
  });
}

/** A map's UMAP layout in a worker thread (the UI thread stays responsive), with its progress. */
export function umapInWorker(rows: Float64Array[], o: { seed: number; neighbors: number }, onProgress?: (fraction: number) => void): Promise<number[][]> {
  const dim = rows[0]?.length ?? 0;
  const values = new Float64Array(rows.length * dim);
  rows.forEach((r, i) => values.set(r, i * dim));
  return oneShot(
    { umap: { values, dim, ...o } },
    'map',
    (m) => (m.type === 'umap' ? m.embedding : undefined),
    (m) => m.type === 'umap-progress' && onProgress?.(m.fraction),
  );
}

/**
 * The split the options name, made in a worker (at ML-25M size seconds of shuffling the UI thread should
 * not spend); its rows are in shared memory, so they come back without a copy.
 */
export function splitInWorker(dataset: Dataset, options: Partial<TrainOptions>): Promise<Split> {
  return oneShot({ split: { dataset, options } }, 'split', (m) => (m.type === 'split' ? m.split : undefined));
}

/**
 * The new-user pick model of a model's training ratings (the split's train rows), fitted in a worker of
 * its own: on large data it takes seconds and a few hundred megabytes, which the UI thread should not
 * hold and which should not add to the training worker's (gone by then). `dataset` best with
 * withSharedColumns and the split's rows shared (read, not copied).
 */
export function pickInWorker(dataset: Dataset, split: Split): Promise<PickModel> {
  return oneShot({ pick: { dataset: fitData(dataset), split } }, 'new-user model', (m) => (m.type === 'pick' ? m.pick : undefined));
}

/** The questionnaire's model of a model, fitted in a worker of its own (on large data it takes seconds). */
export function tasteInWorker(dataset: Dataset, weights: ModelWeights, split: Split): Promise<TasteModel> {
  return oneShot({ taste: { dataset: fitData(dataset), weights, split } }, 'questionnaire', (m) => (m.type === 'taste' ? m.taste : undefined));
}

/** The new-movie metadata model of a model, fitted in a worker of its own (at ML-25M size ~10 s). */
export function metaInWorker(dataset: Dataset, weights: ModelWeights, split: Split): Promise<MetadataModel> {
  return oneShot({ meta: { dataset: fitData(dataset), weights, split } }, 'metadata model', (m) => (m.type === 'meta' ? m.meta : undefined));
}
