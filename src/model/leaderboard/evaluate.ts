/**
 * A trained model's leaderboard numbers on one split: RMSE/MAE where its kind predicts ratings;
 * full-catalogue P@10, Recall@20 and NDCG@10 (relevant = held-out ≥ 4, the user's training movies never
 * recommended), coverage and popularity lift of the top 10s where its scores rank.
 *
 * Users with no training rating at all get their own block. A random split has almost none; the time
 * split is mostly them (on ML-100K, 17,048 of its 20,000 test ratings are by people who joined after the
 * cut). Scoring them with a row no training touched measures nothing about the model, so they are asked
 * what a new user is asked: their first COLD_REVEAL test ratings (by time) are folded in through the
 * kind's own fold-in, and the model is scored on the rest of theirs.
 */
import type { Dataset, Split } from '../../data/types.js';
import { regressionMetrics, selectRows, withIntervals, type Columns } from '../evaluate/metrics.js';
import { predictRows } from '../models/forward.js';
import { rankingFromScorer, weightsScorer, type ItemScorer, type RankingOptions } from '../evaluate/ranking.js';
import { foldIn } from '../interpret/foldin.js';
import { scoreItems } from '../models/forward.js';
import { kindOf } from '../models/index.js';
import type { ModelWeights } from '../types.js';
import { COLD_REVEAL, RANKING, type MetricKey, type Metrics } from './metrics.js';

export { COLD_REVEAL, METRIC_KEYS, RANKING, type MetricKey, type Metrics } from './metrics.js';

/** A metric's 95 % interval from resampling users (evaluate/bootstrap.ts). */
export interface Range {
  low: number;
  high: number;
}

export interface SplitScores {
  /** Users with training ratings, scored on their held-out ratings. */
  warm: Metrics;
  /** The warm metrics' 95 % intervals from resampling users (RMSE, MAE, P@10, R@20, NDCG@10): does one model really beat another? */
  intervals?: Partial<Record<MetricKey, Range>>;
  warmRatings: number;
  /** Users without: folded in from their first COLD_REVEAL test ratings, scored on the rest; null when there are none. */
  cold: Metrics | null;
  coldUsers: number;
  coldRatings: number;
}

/** The relevance threshold on this scale: 4 stars on 1–5. */
export function relevantRating(scale: { min: number; max: number }): number {
  return scale.min + RANKING.relevantFraction * (scale.max - scale.min);
}

export function scoreSplit(w: ModelWeights, ds: Dataset, split: Split, seconds: number): SplitScores {
  const kind = kindOf(w);
  const train = selectRows(ds, split.train);
  const known = new Uint8Array(ds.nUsers);
  for (let r = 0; r < train.users.length; r++) known[train.users[r]] = 1;
  const warmRows = split.valid.filter((r) => known[ds.users[r]] === 1);
  const coldRows = split.valid.filter((r) => known[ds.users[r]] === 0);
  const warmTest = selectRows(ds, warmRows);
  const ranking = { k: RANKING.k, recallK: RANKING.recallK, relevant: relevantRating(ds.scale) };

  const warm = blank(seconds);
  const intervals: Partial<Record<MetricKey, Range>> = {};
  if (kind.shows.ratings && warmTest.ratings.length) {
    const m = withIntervals(predictRows(w, warmTest), warmTest, ds.nUsers);
    warm.rmse = m.rmse;
    warm.mae = m.mae;
    intervals.rmse = range(m.intervals.rmse);
    intervals.mae = range(m.intervals.mae);
  }
  if (kind.shows.ranking) {
    const r = rank(warm, weightsScorer(w), ds, train, warmTest, { ...ranking, intervals: {} }, train);
    if (r?.intervals) {
      intervals.p10 = range(r.intervals.precision);
      intervals.recall20 = range(r.intervals.recall);
      intervals.ndcg10 = range(r.intervals.ndcg);
    }
  }
  const cold = coldScores(w, ds, coldRows, train, ranking, seconds);
  return { warm, intervals, warmRatings: warmRows.length, ...cold };
}

const range = (i: { low: number; high: number }): Range => ({ low: i.low, high: i.high });

function blank(seconds: number): Metrics {
  return { rmse: null, mae: null, p10: null, recall20: null, ndcg10: null, coverage: null, popularityLift: null, seconds };
}

function rank(into: Metrics, score: ItemScorer, ds: Dataset, seen: Columns, test: Columns, o: RankingOptions, catalogue: Columns): ReturnType<typeof rankingFromScorer> | null {
  const r = rankingFromScorer(score, ds.nUsers, ds.nItems, seen, test, o, catalogue);
  if (r.users === 0) return null;
  into.p10 = r.precision;
  into.recall20 = r.recall;
  into.ndcg10 = r.ndcg;
  into.coverage = r.coverage;
  into.popularityLift = r.popularityLift;
  return r;
}

/** The users without training ratings, each folded in from their earliest COLD_REVEAL test ratings. */
function coldScores(
  w: ModelWeights,
  ds: Dataset,
  rows: Int32Array,
  train: Columns,
  o: { k: number; recallK: number; relevant: number },
  seconds: number,
): Pick<SplitScores, 'cold' | 'coldUsers' | 'coldRatings'> {
  const kind = kindOf(w);
  const byUser = new Map<number, number[]>();
  for (const r of rows) {
    const u = ds.users[r];
    let list = byUser.get(u);
    if (!list) byUser.set(u, (list = []));
    list.push(r);
  }
  const revealed: number[] = [];
  const rest: number[] = [];
  const thetas = new Map<number, Float64Array>();
  for (const [u, list] of byUser) {
    if (list.length <= COLD_REVEAL) continue;
    // as a new user arrives: their earliest ratings first (ties by movie, so it never depends on file order)
    list.sort((a, b) => ds.timestamps[a] - ds.timestamps[b] || ds.items[a] - ds.items[b]);
    const shown = list.slice(0, COLD_REVEAL);
    revealed.push(...shown);
    rest.push(...list.slice(COLD_REVEAL));
    thetas.set(u, foldIn(w, shown.map((r) => ({ item: ds.items[r], rating: ds.ratings[r] }))).theta);
  }
  if (thetas.size === 0) return { cold: null, coldUsers: 0, coldRatings: 0 };
  const seen = selectRows(ds, Int32Array.from(revealed));
  const test = selectRows(ds, Int32Array.from(rest));
  const cold = blank(seconds);
  const scores = new Float32Array(ds.nItems);
  if (kind.shows.ratings) {
    const pred = new Float32Array(test.ratings.length);
    let last = -1;
    for (let k = 0; k < test.users.length; k++) {
      if (test.users[k] !== last) scoreItems(w, thetas.get((last = test.users[k]))!, scores);
      pred[k] = scores[test.items[k]];
    }
    const m = regressionMetrics(pred, test.ratings);
    cold.rmse = m.rmse;
    cold.mae = m.mae;
  }
  if (kind.shows.ranking) {
    const empty = new Float64Array(0);
    rank(cold, (u, out) => void scoreItems(w, thetas.get(u) ?? empty, out), ds, seen, test, o, train);
  }
  return { cold, coldUsers: thetas.size, coldRatings: rest.length };
}
