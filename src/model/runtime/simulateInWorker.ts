/** Starts the feedback-loop simulation in a worker thread and relays its rounds (the app's way to simulate). */
import { Worker } from 'node:worker_threads';
import type { RoundStats, SimulationOptions, SimulationReport } from '../evaluate/simulate.js';
import type { TrainOptions } from '../types.js';
import type { SimulationInput, SimulationMessage } from './simulationWorker.js';
import { workerScript } from './workerScript.js';

export interface SimulationRun {
  cancel(): void;
  /** Resolves with the rounds run (all of them, or those before a cancel); rejects with a user-readable error. */
  result: Promise<SimulationReport>;
}

export function simulateInWorker(
  dataDir: string,
  train: Partial<TrainOptions>,
  options: Partial<SimulationOptions>,
  onRound: (r: RoundStats) => void,
  onProgress: (what: string) => void = () => {},
): SimulationRun {
  const { script, eval: isEval } = workerScript(import.meta.url, 'simulationWorker');
  const worker = new Worker(script, { eval: isEval, workerData: { dataDir, train, options } satisfies SimulationInput, stdout: true, stderr: true });
  let settled = false;
  const result = new Promise<SimulationReport>((resolve, reject) => {
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      reject(Object.assign(new Error(message), { name: 'ModelError' }));
      void worker.terminate();
    };
    worker.on('message', (m: SimulationMessage) => {
      if (m.type === 'round') onRound(m.round);
      else if (m.type === 'progress') onProgress(m.what);
      else if (m.type === 'result') {
        settled = true;
        resolve(m.report);
        void worker.terminate();
      } else fail(m.message);
    });
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => fail(`simulation worker stopped unexpectedly (exit code ${code})`));
  });
  return { cancel: () => worker.postMessage({ type: 'cancel' }), result };
}
