/**
 * Popularity: recommend the most-rated movies, the same list to everyone (the user's own excluded by the
 * caller). Rank only — it predicts no rating. The ranking baseline that full-catalogue metrics punish a
 * model for not beating, and the feedback loop's end state.
 * Fit O(ratings); scoring O(items); a new user gets the same list.
 */
import type { RatingMatrix } from './ratings.js';

export interface PopularityModel {
  /** Training ratings per item (the score). */
  counts: Float32Array;
}

export function fitPopularity(m: RatingMatrix): PopularityModel {
  const counts = new Float32Array(m.nItems);
  for (let i = 0; i < m.nItems; i++) counts[i] = m.itemStart[i + 1] - m.itemStart[i];
  return { counts };
}

/** Scores of every item: its training count, whoever asks (trained or new user). */
export function scorePopularity(model: PopularityModel, out: Float32Array = new Float32Array(model.counts.length)): Float32Array {
  out.set(model.counts);
  return out;
}
