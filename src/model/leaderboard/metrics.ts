/** The leaderboard's columns and settings, as plain values (the app reads them without loading the models). */

export const METRIC_KEYS = ['rmse', 'mae', 'p10', 'recall20', 'ndcg10', 'coverage', 'popularityLift', 'seconds'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
/** One model's numbers; null where its kind has none (RMSE of a rank-only model, ranking of the global mean). */
export type Metrics = Record<MetricKey, number | null>;

/** Which way is better: RMSE, MAE, seconds and popularity lift lower; the rest higher. */
export const LOWER_IS_BETTER: Record<MetricKey, boolean> = {
  rmse: true,
  mae: true,
  p10: false,
  recall20: false,
  ndcg10: false,
  coverage: false,
  popularityLift: true,
  seconds: true,
};

/** Cut-offs and relevance: P@10, NDCG@10 and coverage at 10, recall at 20, relevant = ≥ 4 stars (on 1–5). */
export const RANKING = { k: 10, recallK: 20, relevantFraction: 0.75 } as const;
/** A user with no training ratings reveals this many of theirs (the earliest) and is scored on the rest. */
export const COLD_REVEAL = 5;
