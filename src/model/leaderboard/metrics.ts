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

/**
 * Rows best first by one metric (lower or higher as it goes); rows without it last, by name. Shared by
 * the command and the pane, so both order a board the same way.
 */
export function sortByMetric<T>(rows: readonly T[], key: MetricKey | 'model', value: (r: T, key: MetricKey) => number | null, name: (r: T) => string): T[] {
  const byName = (a: T, b: T) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
  if (key === 'model') return [...rows].sort(byName);
  return [...rows].sort((a, b) => {
    const x = value(a, key);
    const y = value(b, key);
    const xo = x !== null && Number.isFinite(x);
    const yo = y !== null && Number.isFinite(y);
    if (!xo || !yo) return xo === yo ? byName(a, b) : xo ? -1 : 1;
    return (LOWER_IS_BETTER[key] ? x! - y! : y! - x!) || byName(a, b);
  });
}

/**
 * How long each row's bar is, 0..1, longer = better: value / best where higher is better, best / value
 * where lower is (an RMSE 10 % above the best draws a bar 91 % long); null without a (positive) value.
 */
export function barFractions(values: readonly (number | null)[], key: MetricKey): (number | null)[] {
  const ok = (v: number | null): v is number => v !== null && Number.isFinite(v) && v > 0;
  const present = values.filter(ok);
  if (!present.length) return values.map(() => null);
  const best = LOWER_IS_BETTER[key] ? Math.min(...present) : Math.max(...present);
  return values.map((v) => (!ok(v) ? null : LOWER_IS_BETTER[key] ? best / v : v / best));
}

/** Each metric's column heading, short enough for an 80-column table (the CLI's and the Board pane's). */
export const METRIC_HEADS: Record<MetricKey, string> = {
  rmse: 'RMSE',
  mae: 'MAE',
  p10: 'P@10',
  recall20: 'R@20',
  ndcg10: 'NDCG@10',
  coverage: 'cover',
  popularityLift: 'pop×',
  seconds: 'secs',
};
