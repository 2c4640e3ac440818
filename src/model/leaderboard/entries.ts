/**
 * The leaderboard's models: every baseline kind with its defaults, and fastai's models as the app
 * trains them (the presets recipe, best, accurate; the neural net). One id per row.
 */
import { ModelError } from '../errors.js';
import { presetOptions } from '../train/presets.js';
import type { TrainOptions } from '../types.js';

export interface LeaderboardEntry {
  /** What --models takes and the row is called. */
  id: string;
  /** What it is, in a few words. */
  description: string;
  options: Partial<TrainOptions>;
}

export const LEADERBOARD_ENTRIES: readonly LeaderboardEntry[] = [
  { id: 'mean', description: 'the global mean rating (every movie μ)', options: { model: 'mean' } },
  { id: 'baseline', description: "Surprise's BaselineOnly: μ + b_u + b_i by ALS", options: { model: 'baseline' } },
  { id: 'popularity', description: 'the most-rated movies, the same for everyone', options: { model: 'popularity' } },
  { id: 'itemknn', description: 'item-based KNNBaseline, shrunk Pearson-baseline, k 40', options: { model: 'itemknn' } },
  { id: 'ease', description: 'EASE^R, closed form on who rated what (λ 400)', options: { model: 'ease' } },
  { id: 'ials', description: 'iALS on "rated it", 32 factors', options: { model: 'ials' } },
  { id: 'recipe', description: "the seeds' dotbias recipe", options: presetOptions('recipe') },
  { id: 'best', description: 'the best single dotbias model found', options: presetOptions('best') },
  { id: 'accurate', description: 'best stacked with an I-AutoRec and a U-AutoRec (~45–60 s a fold)', options: presetOptions('accurate') },
  { id: 'nn', description: "fastai's CollabNN with its defaults", options: { model: 'nn' } },
];

export const LEADERBOARD_IDS = LEADERBOARD_ENTRIES.map((e) => e.id);

/** The baselines and the seeds' recipe: the bench's row, a leaderboard in well under a minute. */
export const QUICK_IDS = ['mean', 'baseline', 'popularity', 'itemknn', 'ease', 'ials', 'recipe'];

export function leaderboardEntry(id: string): LeaderboardEntry {
  const e = LEADERBOARD_ENTRIES.find((x) => x.id === id);
  if (!e) throw new ModelError(`unknown leaderboard model "${id}": choose from ${LEADERBOARD_IDS.join(', ')}`);
  return e;
}
