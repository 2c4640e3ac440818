/** Starts a training run in a worker thread and relays its events (the UI's way to train). */
import { Worker } from 'node:worker_threads';
import type { WorkerInput, WorkerMessage } from './trainWorker.js';
import type { TrainEvent, TrainOptions, TrainResult } from './types.js';

export interface WorkerRun {
  cancel(): void;
  /** Resolves with the result (also after a cancel), rejects with a user-readable error. */
  result: Promise<TrainResult>;
}

/** Under tsx (tests, development) the worker is the .ts source and needs tsx's loader too. */
function workerUrl(): { url: URL; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  return {
    url: new URL(fromSource ? './trainWorker.ts' : './trainWorker.js', import.meta.url),
    execArgv: fromSource ? ['--import', 'tsx'] : [],
  };
}

export function trainInWorker(dataDir: string, options: Partial<TrainOptions>, onEvent: (e: TrainEvent) => void): WorkerRun {
  const { url, execArgv } = workerUrl();
  const worker = new Worker(url, { workerData: { dataDir, options } satisfies WorkerInput, execArgv, stdout: true, stderr: true });
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
