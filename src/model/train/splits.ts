/** The split a run's options name, in one place (the app, the CLI and the worker all make it here). */
import { makeSplit, makeSplits, type SplitOptions } from '../../data/index.js';
import type { Dataset, Split } from '../../data/types.js';
import type { TrainOptions } from '../types.js';
import { DEFAULT_TRAIN_OPTIONS } from './defaults.js';

/** The split options name (split, valid %, seed, and the files of a 'files' split), their defaults filled. */
export function splitOf(ds: Dataset, o: Partial<Pick<TrainOptions, 'split' | 'validPct' | 'seed' | 'splitFiles'>>): Split {
  return makeSplit(ds, o.split ?? DEFAULT_TRAIN_OPTIONS.split, splitOptionsOf(o));
}

/** What names a split of this dataset: two option sets with the same key make the same rows. */
export function splitKey(ds: Dataset, o: Partial<Pick<TrainOptions, 'split' | 'validPct' | 'seed' | 'splitFiles'>>): string {
  const s = splitOptionsOf(o);
  return JSON.stringify([ds.hash, o.split ?? DEFAULT_TRAIN_OPTIONS.split, s.validPct, s.seed, s.files?.train ?? null, s.files?.test ?? null]);
}

/** The splits of a protocol (cv5: five; anything else: one), with the same options. */
export function splitsOf(ds: Dataset, protocol: string, o: Partial<Pick<TrainOptions, 'validPct' | 'seed' | 'splitFiles'>>): Split[] {
  return makeSplits(ds, protocol, splitOptionsOf(o));
}

function splitOptionsOf(o: Partial<Pick<TrainOptions, 'validPct' | 'seed' | 'splitFiles'>>): SplitOptions {
  return { validPct: o.validPct ?? DEFAULT_TRAIN_OPTIONS.validPct, seed: o.seed ?? DEFAULT_TRAIN_OPTIONS.seed, ...(o.splitFiles ? { files: o.splitFiles } : {}) };
}
