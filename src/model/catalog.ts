/**
 * What the trainer offers, as plain values and pure functions (no tensors, no tfjs): the model kinds,
 * the defaults, the presets, the validation of options, and the notes the app shows beside its numbers.
 * The UI reads these through src/ui/services.ts; the CLI through index.ts.
 */
import { modelKind } from './models/index.js';
import { candidateNames } from './tune/space.js';
import { resolveOptions, sizedDefaults } from './train/defaults.js';
import type { ModelKind, TrainOptions } from './types.js';

export { MODEL_KINDS } from './models/index.js';

/** Does this option matter to models of this kind? (`factors` does for dot and dotbias, `layers` for nn, `lr` for the SGD kinds.) */
export function kindUsesOption(kind: ModelKind, key: keyof TrainOptions): boolean {
  const k = modelKind(kind);
  return k.optionKeys.includes(key) || k.trainerKeys.includes(key);
}
export { checkYRange, DEFAULT_AUTOREC, DEFAULT_BASELINE, DEFAULT_EASE, DEFAULT_IALS, DEFAULT_KNN, DEFAULT_TRAIN_OPTIONS, LARGE_DATA_RATINGS, defaultYRange, resolveOptions } from './train/defaults.js';
export { LEADERBOARD_ENTRIES, LEADERBOARD_IDS, QUICK_IDS, type LeaderboardEntry } from './leaderboard/entries.js';
export { METRIC_HEADS, METRIC_KEYS, COLD_REVEAL, LOWER_IS_BETTER, barFractions, sortByMetric, type MetricKey } from './leaderboard/metrics.js';

/** The defaults for a dataset of this many ratings: the one-thread recipe, or on large data the large-data one. */
export function defaultOptionsFor(nRatings: number): TrainOptions {
  return resolveOptions(sizedDefaults(nRatings, {}));
}
export { PRESETS, PRESET_NAMES, presetOptions, type Preset, type PresetName } from './train/presets.js';
export { withoutWeightDecay } from './evaluate/compare.js';
export { LR_FIND_CAVEAT, lrFindNote, lrFindTrainsWorse } from './train/lrFindNote.js';
/** What a search may be asked to tune: every kind, and 'autorec' (dotbias blended with an I-AutoRec). */
export const TUNE_CANDIDATES: readonly string[] = candidateNames();
export { NN_SIMILARITY_NOTE } from './interpret/similar.js';
export { MITIGATIONS, SIMULATION_DEFAULTS } from './evaluate/simulationDefaults.js';
export { ANSWERS } from './coldstart/features.js';
