/**
 * The feedback-loop simulation off the UI thread (each round retrains the model for a second or more):
 * loads the dataset, runs the rounds, posts each round as it ends; cancel arrives as a message and stops
 * the training of the round under way within a batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadDataset } from '../../data/index.js';
import { simulate, type RoundStats, type SimulationOptions, type SimulationReport } from '../evaluate/simulate.js';
import type { TrainOptions } from '../types.js';

export interface SimulationInput {
  dataDir: string;
  train: Partial<TrainOptions>;
  options: Partial<SimulationOptions>;
}

export type SimulationMessage =
  | { type: 'round'; round: RoundStats }
  | { type: 'progress'; what: string }
  | { type: 'result'; report: SimulationReport }
  | { type: 'error'; message: string };

const port = parentPort!;
const input = workerData as SimulationInput;
const controller = new AbortController();
port.on('message', (m: { type: string }) => {
  if (m.type === 'cancel') controller.abort();
});

try {
  const ds = await loadDataset(input.dataDir);
  const report = await simulate(ds, input.train, input.options, {
    signal: controller.signal,
    onRound: (round) => port.postMessage({ type: 'round', round } satisfies SimulationMessage),
    onProgress: (what) => port.postMessage({ type: 'progress', what } satisfies SimulationMessage),
  });
  port.postMessage({ type: 'result', report } satisfies SimulationMessage);
} catch (err) {
  port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies SimulationMessage);
}
