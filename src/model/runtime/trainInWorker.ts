/** Starts a training run in a worker thread and relays its events (the UI's way to train). */
import { Worker } from 'node:worker_threads';
import { workerScript } from './workerScript.js';
import type { WorkerInput, WorkerMessage } from './trainWorker.js';
import type { LeaderboardEvent, LeaderboardRequest } from '../leaderboard/run.js';
import type { TrainEvent, TrainOptions, TrainResult } from '../types.js';

export interface WorkerRun {
  cancel(): void;
  /** Resolves with the result (also after a cancel), rejects with a user-readable error. */
  result: Promise<TrainResult>;
}

export function trainInWorker(dataDir: string, options: Partial<TrainOptions>, onEvent: (e: TrainEvent) => void): WorkerRun {
  const { script, eval: isEval } = workerScript(import.meta.url, 'trainWorker');
  const worker = new Worker(script, { eval: isEval, workerData: { dataDir, options } satisfies WorkerInput, stdout: true, stderr: true });
  let settled = false;
  const result = new Promise<TrainResult>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'events') m.events.forEach(onEvent);
      else if (m.type === 'result') {
        settled = true;
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
  return {
    cancel: () => worker.postMessage({ type: 'cancel' }),
    result,
  };
}

export interface LeaderboardRun {
  cancel(): void;
  /** Stops the worker at once (the app is closing). */
  terminate(): void;
  /** Resolves when the leaderboard has finished (also after a cancel), rejects with a user-readable error. */
  done: Promise<void>;
}

/** Runs a leaderboard in a worker thread, relaying its events (rows with their trained models). */
export function leaderboardInWorker(dataDir: string, request: LeaderboardRequest, onEvent: (e: LeaderboardEvent) => void): LeaderboardRun {
  const { script, eval: isEval } = workerScript(import.meta.url, 'trainWorker');
  const worker = new Worker(script, { eval: isEval, workerData: { dataDir, leaderboard: request } satisfies WorkerInput, stdout: true, stderr: true });
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
