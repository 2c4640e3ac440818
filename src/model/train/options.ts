/** A run's options on a dataset, in one place (no tfjs: the leaderboard's cache keys are made from them). */
import type { Dataset } from '../../data/types.js';
import type { TrainOptions } from '../types.js';
import { checkYRange, defaultYRange, resolveOptions, sizedDefaults } from './defaults.js';

/**
 * Options with what the data implies unless the caller gave it: y_range from the data's scale, and on
 * large data the threads and the large-data recipe (sizedDefaults).
 */
export function optionsFor(ds: Dataset, partial: Partial<TrainOptions>): TrainOptions {
  const given = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<TrainOptions>;
  const o = resolveOptions({ ...sizedDefaults(ds.nRatings, given), ...given, yRange: given.yRange ?? defaultYRange(ds.scale) });
  checkYRange(o.yRange, ds.scale); // refuses a y_range absurd for this data (its warning is the caller's to show)
  return o;
}
