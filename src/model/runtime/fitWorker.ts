/**
 * One fit off the UI thread, answered once: a split, the pick model, the questionnaire's model, the
 * new-movie metadata model, a map's UMAP layout. Lighter than the training worker (it never loads the
 * trainer or tfjs) and handed only the columns and catalogue fields a fit reads, so at ML-25M size a fit
 * adds what it computes, not a second copy of the app.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Dataset, Split } from '../../data/types.js';
import { fitMetadataModel, type MetadataModel } from '../coldstart/newMovie.js';
import { fitTasteModelOnRows, type TasteModel } from '../coldstart/questionnaire.js';
import { runInBackground } from '../engine/threads.js';
import { pickModelFor, type PickData, type PickModel } from '../interpret/pickAndLike.js';
import { splitOf } from '../train/splits.js';
import type { ModelWeights, TrainOptions } from '../types.js';

/** What a fit reads of a dataset: its columns (shared memory) and the catalogue's genres and years. */
export type FitData = PickData & Pick<Dataset, 'genres' | 'years'>;

export type FitInput =
  /** The split the options name (its rows in shared memory: handed back, not copied). */
  | { split: { dataset: Dataset; options: Partial<TrainOptions> } }
  /** The pick model of a model's training ratings (the train rows of its split). */
  | { pick: { dataset: FitData; split: Split } }
  /** The questionnaire's model of a model (its weights) and its training ratings. */
  | { taste: { dataset: FitData; weights: ModelWeights; split: Split } }
  /** The new-movie metadata model of a model (its weights) and its training ratings. */
  | { meta: { dataset: FitData; weights: ModelWeights; split: Split } }
  /** A map's UMAP layout: the movies' vectors row-major [n, dim]. */
  | { umap: { values: Float64Array; dim: number; seed: number; neighbors: number } };

export type FitMessage =
  | { type: 'split'; split: Split }
  | { type: 'pick'; pick: PickModel }
  | { type: 'taste'; taste: TasteModel }
  | { type: 'meta'; meta: MetadataModel }
  | { type: 'umap-progress'; fraction: number }
  | { type: 'umap'; embedding: number[][] }
  | { type: 'error'; message: string };

/** The buffers of the typed arrays in a plain result (a pick or taste model), to transfer rather than copy. */
function tablesOf(value: unknown, out = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) tablesOf(v, out);
  }
  return [...out];
}

// background work: this thread yields the CPU to the UI thread
runInBackground();

const port = parentPort!;
const input = workerData as FitInput;
const answer = (m: FitMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

try {
  if ('split' in input) {
    answer({ type: 'split', split: splitOf(input.split.dataset, input.split.options) });
  } else if ('pick' in input) {
    // its tables are handed over, not copied (a few hundred megabytes at ML-25M size)
    const pick = pickModelFor(input.pick.dataset, input.pick.split);
    answer({ type: 'pick', pick }, tablesOf(pick));
  } else if ('taste' in input) {
    const { dataset, weights, split } = input.taste;
    const taste = fitTasteModelOnRows(weights, dataset, dataset, split.train);
    answer({ type: 'taste', taste }, tablesOf(taste));
  } else if ('meta' in input) {
    const { dataset, weights, split } = input.meta;
    const meta = fitMetadataModel(weights, dataset, dataset, { rows: split.train });
    answer({ type: 'meta', meta }, tablesOf(meta));
  } else {
    const { umapLayout } = await import('../interpret/map.js');
    const { values, dim, seed, neighbors } = input.umap;
    const rows = Array.from({ length: values.length / dim }, (_, i) => values.subarray(i * dim, (i + 1) * dim));
    const embedding = await umapLayout(rows, { seed, neighbors }, (fraction) => answer({ type: 'umap-progress', fraction }));
    answer({ type: 'umap', embedding });
  }
} catch (err) {
  answer({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}
