/**
 * Ranking quality of any model on a held-out split: precision@k, recall@k and NDCG@k, plus
 * what the top-k lists do to the catalogue (coverage, popularity) — the seeds' feedback-loop warning:
 * a recommender that shows everyone the same few popular movies makes them more popular still.
 *
 * Plain typed arrays throughout (models/forward.ts): scoring all 1682 movies for 943 users is ~80M flops,
 * far below what per-user tfjs calls would cost.
 */
import type { Dataset, Split } from '../../data/types.js';
import { ModelError } from '../errors.js';
import { rankScores, trainedUser } from '../models/forward.js';
import { topK } from '../interpret/rank.js';
import { selectRows, type Columns } from './metrics.js';
import type { ModelWeights } from '../types.js';
import { meanInterval, resampleUsers, type BootstrapOptions, type Interval } from './bootstrap.js';

export interface RankingOptions {
  /** Cut-off of precision and NDCG (and of the lists coverage and popularity are measured on). */
  k: number;
  /** Cut-off of recall (the leaderboard's Recall@20); k when absent. */
  recallK?: number;
  /** A held-out rating at or above this is relevant (4 on 1–5 stars). */
  relevant: number;
  /** 95 % intervals from resampling users (bootstrap.ts); absent or false: none. */
  intervals?: Partial<BootstrapOptions> | false;
  /**
   * Rank at most this many users, spread evenly over the user ids (every ⌈users / maxUsers⌉-th one):
   * on ML-25M scoring all 59k movies for all 162k users is half a trillion flops. Absent: everyone.
   */
  maxUsers?: number;
}

/** The intervals of the ranking metrics: quality over the users with a relevant rating, popularity over the list users. */
export interface RankingIntervals {
  precision: Interval;
  recall: Interval;
  ndcg: Interval;
  /** Of the list slots' popularity; coverage has no interval (see rankingIntervals). */
  meanPopularity: Interval;
}

/** The users a large model's ranking is measured on by default (rankingUserCap). */
export const RANKING_SAMPLE_USERS = 2000;

/** maxUsers for a model of this size: everyone while it costs under ~2·10^9 multiply-adds, else RANKING_SAMPLE_USERS. */
export function rankingUserCap(nUsers: number, nItems: number, dim: number): number | undefined {
  return nUsers * nItems * Math.max(1, dim) <= 2e9 ? undefined : RANKING_SAMPLE_USERS;
}

/** rankingUserCap for these weights (the factor kinds score a movie in their factors' length, the others in ~1). */
export function rankingUserCapFor(w: ModelWeights): number | undefined {
  return rankingUserCap(w.nUsers, w.nItems, 'itemDim' in w ? w.itemDim : 1);
}

export const DEFAULT_RANKING_OPTIONS: RankingOptions = { k: 10, relevant: 4 };

/**
 * Ranking quality as the app shows it: the metrics of a model on its own held-out split, with the most
 * recommended movies named by title.
 */
export type RankingSummary = Pick<
  RankingMetrics,
  'k' | 'relevantThreshold' | 'users' | 'precision' | 'recall' | 'ndcg' | 'coverage' | 'popularityLift' | 'listUsers'
> & {
  mostRecommended: { title: string; lists: number }[];
  /** NDCG's 95 % interval from resampling users (bootstrap.ts), when it was asked for. */
  ndcgInterval?: { low: number; high: number };
};

export interface RankingMetrics {
  k: number;
  recallK: number;
  relevantThreshold: number;
  /** Users averaged over: those with at least one relevant held-out rating. */
  users: number;
  /** Every how many users one was ranked (1 = everyone; see RankingOptions.maxUsers). */
  userStride: number;
  /** Mean over those users of hits / k. */
  precision: number;
  /** Mean of hits in the top recallK / (number of relevant held-out items). */
  recall: number;
  /** Mean NDCG@k with binary relevance. */
  ndcg: number;
  /** Users whose top-k lists the catalogue statistics are over: everyone with a training rating. */
  listUsers: number;
  /** Fraction of the catalogue that appears in at least one top-k list. */
  coverage: number;
  itemsRecommended: number;
  catalogueSize: number;
  /** Mean training-set rating count of the recommended items (over all list slots). */
  meanPopularity: number;
  /** Mean training-set rating count over the whole catalogue. */
  catalogueMeanPopularity: number;
  /** meanPopularity / catalogueMeanPopularity: how much more popular the recommended movies are. */
  popularityLift: number;
  /** The most recommended titles' indices and how many top-k lists they are in (for the UI). */
  mostRecommended: { index: number; lists: number }[];
  /** With options.intervals: each metric's 95 % interval from resampling users. */
  intervals?: RankingIntervals;
  /**
   * With options.intervals: the per-user values the intervals come from (users with a relevant held-out
   * rating, ascending), so two models on the same split can be compared pairwise (bootstrap.ts).
   */
  perUser?: { users: Int32Array; precision: Float64Array; recall: Float64Array; ndcg: Float64Array };
  seconds: number;
}

/**
 * Any model's ranking, as every kind can give it: the scores of every item for a trained user, written
 * into `out` (higher first; NaN never recommended). Rating models score by predicted rating.
 */
export type ItemScorer = (user: number, out: Float32Array) => void;

/** The scorer of trained weights: what they rank by (their predicted ratings, or scores; see rankScores). */
export function weightsScorer(w: ModelWeights): ItemScorer {
  return (u, out) => {
    rankScores(w, trainedUser(w, u), out);
  };
}

/** Ranking metrics of a model on a split of a dataset (train rows are excluded from every list). */
export function rankingMetrics(w: ModelWeights, ds: Dataset, split: Split, options: Partial<RankingOptions> = {}): RankingMetrics {
  return rankScorer(weightsScorer(w), ds, split, options);
}

/** Ranking metrics of any scorer on a split of a dataset. */
export function rankScorer(score: ItemScorer, ds: Dataset, split: Split, options: Partial<RankingOptions> = {}): RankingMetrics {
  const rows = rankedRows(ds, split, options.maxUsers);
  return rankingFromScorer(score, ds.nUsers, ds.nItems, rows.train, rows.test, options, rows.popularity);
}

/** Every ⌈users / maxUsers⌉-th user is ranked (1: everyone). */
function userStride(nUsers: number, maxUsers: number | undefined): number {
  return maxUsers === undefined ? 1 : Math.max(1, Math.ceil(nUsers / maxUsers));
}

/**
 * The rows a split's ranking reads: the ranked users' train and test rows only (on ML-25M, 2,000 users'
 * rows are ~1 % of the 25 M — copying all of them would cost ~300 MB for nothing), and the movies'
 * popularity counted over the whole train side, as the catalogue is.
 */
export function rankedRows(ds: Dataset, split: Split, maxUsers?: number): { train: Columns; test: Columns; popularity: Float64Array } {
  const stride = userStride(ds.nUsers, maxUsers);
  const popularity = new Float64Array(ds.nItems);
  for (let k = 0; k < split.train.length; k++) popularity[ds.items[split.train[k]]]++;
  if (stride === 1) return { train: selectRows(ds, split.train), test: selectRows(ds, split.valid), popularity };
  const ranked = (rows: Int32Array) => {
    let n = 0;
    for (let k = 0; k < rows.length; k++) if (ds.users[rows[k]] % stride === 0) n++;
    const mine = new Int32Array(n);
    n = 0;
    for (let k = 0; k < rows.length; k++) if (ds.users[rows[k]] % stride === 0) mine[n++] = rows[k];
    return selectRows(ds, mine);
  };
  return { train: ranked(split.train), test: ranked(split.valid), popularity };
}

/**
 * The same on plain columns (train = what the model saw and what is never recommended again;
 * test = the held-out ratings that decide relevance).
 */
export function rankingFromColumns(w: ModelWeights, train: Columns, test: Columns, options: Partial<RankingOptions> = {}): RankingMetrics {
  return rankingFromScorer(weightsScorer(w), w.nUsers, w.nItems, train, test, options);
}

/**
 * Full-catalogue ranking (Krichene & Rendle 2020: no sampled negatives): for every user, every item
 * they did not train on is scored and the top k taken. O(users · (scoring + items · k)). `catalogue`:
 * the ratings a movie's popularity is counted on (or those counts), when not `train` (new users: train is what they revealed).
 */
export function rankingFromScorer(
  score: ItemScorer,
  nUsers: number,
  nItems: number,
  train: Columns,
  test: Columns,
  options: Partial<RankingOptions> = {},
  catalogue: Columns | Float64Array = train,
): RankingMetrics {
  const run = rankingRun(score, nUsers, nItems, train, test, options, catalogue);
  for (let u = 0; u < nUsers; u += run.stride) run.add(u);
  return run.result();
}

/** The same, yielding to the event loop every ~yieldMs of work (the app ranks a large model without freezing). */
export async function rankingFromScorerAsync(
  score: ItemScorer,
  nUsers: number,
  nItems: number,
  train: Columns,
  test: Columns,
  options: Partial<RankingOptions> = {},
  catalogue: Columns | Float64Array = train,
  yieldMs = 20,
): Promise<RankingMetrics> {
  const run = rankingRun(score, nUsers, nItems, train, test, options, catalogue);
  let last = performance.now();
  for (let u = 0; u < nUsers; u += run.stride) {
    run.add(u);
    if (performance.now() - last > yieldMs) {
      await new Promise<void>((r) => setImmediate(r));
      last = performance.now();
    }
  }
  return run.result();
}

/** Ranking metrics of a model on a split, yielding while it works (see rankingFromScorerAsync). */
export function rankingMetricsAsync(w: ModelWeights, ds: Dataset, split: Split, options: Partial<RankingOptions> = {}): Promise<RankingMetrics> {
  const rows = rankedRows(ds, split, options.maxUsers);
  return rankingFromScorerAsync(weightsScorer(w), w.nUsers, w.nItems, rows.train, rows.test, options, rows.popularity);
}

/** The per-user accumulation behind both: add(u) for each ranked user, then result(). */
function rankingRun(score: ItemScorer, nUsers: number, nItems: number, train: Columns, test: Columns, options: Partial<RankingOptions>, catalogue: Columns | Float64Array) {
  const o = { ...DEFAULT_RANKING_OPTIONS, ...options };
  const recallK = o.recallK ?? o.k;
  for (const [name, v] of [['k', o.k], ['recall k', recallK]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ModelError(`${name} must be a whole number of at least 1, got ${v}`);
  }
  if (o.maxUsers !== undefined && !(Number.isInteger(o.maxUsers) && o.maxUsers >= 1)) throw new ModelError(`max users must be a whole number of at least 1, got ${o.maxUsers}`);
  const stride = userStride(nUsers, o.maxUsers);
  const t0 = performance.now();
  const nU = nUsers;
  const nI = nItems;
  const listLength = Math.max(o.k, recallK);
  const seen = byUser(train, nU, -Infinity);
  const relevant = byUser(test, nU, o.relevant);
  // the movies' popularity: counted on the catalogue's rows, or given counted
  let popularity: Float64Array;
  if (catalogue instanceof Float64Array) popularity = catalogue;
  else {
    popularity = new Float64Array(nI);
    for (let r = 0; r < catalogue.items.length; r++) popularity[catalogue.items[r]]++;
  }

  // log2 discounts for ranks 1..k, and ideal DCG prefix sums
  const disc = Float64Array.from({ length: o.k }, (_, r) => 1 / Math.log2(r + 2));
  const ideal = new Float64Array(o.k + 1);
  for (let r = 0; r < o.k; r++) ideal[r + 1] = ideal[r] + disc[r];

  const scores = new Float32Array(nI);
  const lists = new Int32Array(nI);
  const mark = new Int32Array(nI).fill(-1);
  const relevantMark = new Int32Array(nI).fill(-1);
  let users = 0;
  let precision = 0;
  let recall = 0;
  let ndcg = 0;
  let listUsers = 0;
  let popSum = 0;
  let slots = 0;
  // per-user parts, kept for the intervals only
  const want = !!o.intervals;
  const perUser = { users: [] as number[], precision: [] as number[], recall: [] as number[], ndcg: [] as number[] };
  const userLists: number[][] = [];
  const add = (u: number) => {
    const ownFrom = seen.start[u];
    const ownTo = seen.start[u + 1];
    const relFrom = relevant.start[u];
    const relTo = relevant.start[u + 1];
    if (ownFrom === ownTo && relFrom === relTo) return;
    score(u, scores);
    for (let p = ownFrom; p < ownTo; p++) mark[seen.items[p]] = u;
    const top = topK(scores, listLength, (i) => mark[i] === u);
    if (ownTo > ownFrom) {
      listUsers++;
      for (let r = 0; r < Math.min(o.k, top.length); r++) {
        lists[top[r]]++;
        popSum += popularity[top[r]];
        slots++;
      }
      if (want) userLists.push(top.slice(0, o.k));
    }
    if (relFrom === relTo) return;
    let nRel = 0;
    for (let p = relFrom; p < relTo; p++) {
      if (relevantMark[relevant.items[p]] !== u) nRel++;
      relevantMark[relevant.items[p]] = u;
    }
    let hitsK = 0;
    let hitsRecall = 0;
    let dcg = 0;
    for (let r = 0; r < top.length; r++) {
      if (relevantMark[top[r]] !== u) continue;
      if (r < o.k) {
        hitsK++;
        dcg += disc[r];
      }
      if (r < recallK) hitsRecall++;
    }
    users++;
    precision += hitsK / o.k;
    recall += hitsRecall / nRel;
    ndcg += dcg / ideal[Math.min(o.k, nRel)];
    if (want) {
      perUser.users.push(u);
      perUser.precision.push(hitsK / o.k);
      perUser.recall.push(hitsRecall / nRel);
      perUser.ndcg.push(dcg / ideal[Math.min(o.k, nRel)]);
    }
  };
  const result = (): RankingMetrics => {
    let itemsRecommended = 0;
    for (let i = 0; i < nI; i++) if (lists[i] > 0) itemsRecommended++;
    let catalogueCount = 0;
    for (let i = 0; i < nI; i++) catalogueCount += popularity[i];
    const catalogueMeanPopularity = nI ? catalogueCount / nI : 0;
    const meanPopularity = slots ? popSum / slots : 0;
    const most = topK(lists, 10, (i) => lists[i] === 0).map((index) => ({ index, lists: lists[index] }));
    return {
      k: o.k,
      recallK,
      relevantThreshold: o.relevant,
      users,
      userStride: stride,
      precision: users ? precision / users : NaN,
      recall: users ? recall / users : NaN,
      ndcg: users ? ndcg / users : NaN,
      listUsers,
      coverage: nI ? itemsRecommended / nI : 0,
      itemsRecommended,
      catalogueSize: nI,
      meanPopularity,
      catalogueMeanPopularity,
      popularityLift: catalogueMeanPopularity ? meanPopularity / catalogueMeanPopularity : NaN,
      mostRecommended: most,
      ...(o.intervals
        ? {
            intervals: rankingIntervals(perUser, userLists, popularity, o.intervals),
            perUser: { users: Int32Array.from(perUser.users), precision: Float64Array.from(perUser.precision), recall: Float64Array.from(perUser.recall), ndcg: Float64Array.from(perUser.ndcg) },
          }
        : {}),
      seconds: (performance.now() - t0) / 1000,
    };
  };
  return { stride, add, result };
}

/**
 * Quality metrics over resampled relevant users, mean popularity over resampled list users. Coverage has
 * none: it is a union over the lists, and a resample with replacement holds only ~63 % distinct users, so
 * its coverage is biased low (21 % of the catalogue on u1 resamples to 17–19 %) — not an interval of it.
 */
function rankingIntervals(
  perUser: { precision: number[]; recall: number[]; ndcg: number[] },
  lists: number[][],
  popularity: Float64Array,
  o: Partial<BootstrapOptions>,
): RankingIntervals {
  const meanPopularity = resampleUsers(lists.length, (users) => {
    let s = 0;
    let n = 0;
    for (let k = 0; k < users.length; k++) {
      for (const i of lists[users[k]]) s += popularity[i];
      n += lists[users[k]].length;
    }
    return n ? s / n : NaN;
  }, o);
  return { precision: meanInterval(perUser.precision, o), recall: meanInterval(perUser.recall, o), ndcg: meanInterval(perUser.ndcg, o), meanPopularity };
}
/** Items of each user (only ratings ≥ min), CSR: user u's are items[start[u] .. start[u+1]). */
function byUser(c: Columns, nUsers: number, min: number): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(nUsers + 1);
  for (let r = 0; r < c.users.length; r++) {
    const u = c.users[r];
    if (c.ratings[r] >= min && u >= 0 && u < nUsers) start[u + 1]++;
  }
  for (let u = 0; u < nUsers; u++) start[u + 1] += start[u];
  const next = start.slice(0, nUsers);
  const items = new Int32Array(start[nUsers]);
  for (let r = 0; r < c.users.length; r++) {
    const u = c.users[r];
    if (c.ratings[r] >= min && u >= 0 && u < nUsers) items[next[u]++] = c.items[r];
  }
  return { start, items };
}
