/** A run's options on a dataset, in one place (no tfjs: the leaderboard's cache keys are made from them). */
import type { Dataset } from '../../data/types.js';
import type { TrainOptions } from '../types.js';
import { checkYRange, defaultYRange, resolveOptions } from './defaults.js';

/** Options with y_range derived from the data's scale unless the caller gave one. */
export function optionsFor(ds: Dataset, partial: Partial<TrainOptions>): TrainOptions {
  const o = resolveOptions({ ...partial, yRange: partial.yRange ?? defaultYRange(ds.scale) });
  checkYRange(o.yRange, ds.scale); // refuses a y_range absurd for this data (its warning is the caller's to show)
  return o;
}
