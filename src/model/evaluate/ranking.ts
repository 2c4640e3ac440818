/**
 * Ranking quality of a trained model on a held-out split: precision@k, recall@k and NDCG@k, plus
 * what the top-k lists do to the catalogue (coverage, popularity) — the seeds' feedback-loop warning:
 * a recommender that shows everyone the same few popular movies makes them more popular still.
 *
 * Plain typed arrays throughout (models/forward.ts): scoring all 1682 movies for 943 users is ~80M flops,
 * far below what per-user tfjs calls would cost.
 */
import type { Dataset, Split } from '../../data/types.js';
import { ModelError } from '../errors.js';
import { scoreItems, trainedUser } from '../models/forward.js';
import { topK } from '../interpret/rank.js';
import { selectRows, type Columns } from './metrics.js';
import type { ModelWeights } from '../types.js';

export interface RankingOptions {
  k: number;
  /** A held-out rating at or above this is relevant (4 on 1–5 stars). */
  relevant: number;
}

export const DEFAULT_RANKING_OPTIONS: RankingOptions = { k: 10, relevant: 4 };

/**
 * Ranking quality as the app shows it: the metrics of a model on its own held-out split, with the most
 * recommended movies named by title.
 */
export type RankingSummary = Pick<
  RankingMetrics,
  'k' | 'relevantThreshold' | 'users' | 'precision' | 'recall' | 'ndcg' | 'coverage' | 'popularityLift' | 'listUsers'
> & { mostRecommended: { title: string; lists: number }[] };

export interface RankingMetrics {
  k: number;
  relevantThreshold: number;
  /** Users averaged over: those with at least one relevant held-out rating. */
  users: number;
  /** Mean over those users of hits / k. */
  precision: number;
  /** Mean of hits / (number of relevant held-out items). */
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
  seconds: number;
}

/** Ranking metrics of a model on a split of a dataset (train rows are excluded from every list). */
export function rankingMetrics(w: ModelWeights, ds: Dataset, split: Split, options: Partial<RankingOptions> = {}): RankingMetrics {
  return rankingFromColumns(w, selectRows(ds, split.train), selectRows(ds, split.valid), options);
}

/**
 * The same on plain columns (train = what the model saw and what is never recommended again;
 * test = the held-out ratings that decide relevance).
 */
export function rankingFromColumns(w: ModelWeights, train: Columns, test: Columns, options: Partial<RankingOptions> = {}): RankingMetrics {
  const o = { ...DEFAULT_RANKING_OPTIONS, ...options };
  if (!Number.isInteger(o.k) || o.k < 1) throw new ModelError(`k must be a whole number of at least 1, got ${o.k}`);
  const t0 = performance.now();
  const nU = w.nUsers;
  const nI = w.nItems;
  const seen = groupByUser(train, nU);
  const relevant = groupByUser(test, nU, o.relevant);
  const popularity = new Float64Array(nI);
  for (let r = 0; r < train.items.length; r++) popularity[train.items[r]]++;

  // log2 discounts for ranks 1..k, and ideal DCG prefix sums
  const disc = Float64Array.from({ length: o.k }, (_, r) => 1 / Math.log2(r + 2));
  const ideal = new Float64Array(o.k + 1);
  for (let r = 0; r < o.k; r++) ideal[r + 1] = ideal[r] + disc[r];

  const scores = new Float32Array(nI);
  const lists = new Int32Array(nI);
  const mark = new Int32Array(nI).fill(-1);
  let users = 0;
  let precision = 0;
  let recall = 0;
  let ndcg = 0;
  let listUsers = 0;
  let popSum = 0;
  let slots = 0;
  for (let u = 0; u < nU; u++) {
    const own = seen[u];
    const rel = relevant[u];
    if (own.length === 0 && rel.length === 0) continue;
    scoreItems(w, trainedUser(w, u), scores);
    for (const i of own) mark[i] = u;
    const top = topK(scores, o.k, (i) => mark[i] === u);
    if (own.length > 0) {
      listUsers++;
      for (const i of top) {
        lists[i]++;
        popSum += popularity[i];
        slots++;
      }
    }
    if (rel.length === 0) continue;
    const relSet = new Set(rel);
    let hits = 0;
    let dcg = 0;
    top.forEach((i, r) => {
      if (relSet.has(i)) {
        hits++;
        dcg += disc[r];
      }
    });
    users++;
    precision += hits / o.k;
    recall += hits / relSet.size;
    ndcg += dcg / ideal[Math.min(o.k, relSet.size)];
  }
  let itemsRecommended = 0;
  for (let i = 0; i < nI; i++) if (lists[i] > 0) itemsRecommended++;
  let catalogue = 0;
  for (let i = 0; i < nI; i++) catalogue += popularity[i];
  const catalogueMeanPopularity = nI ? catalogue / nI : 0;
  const meanPopularity = slots ? popSum / slots : 0;
  const most = topK(lists, 10, (i) => lists[i] === 0).map((index) => ({ index, lists: lists[index] }));
  return {
    k: o.k,
    relevantThreshold: o.relevant,
    users,
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
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Items of each user (optionally only ratings ≥ min), as arrays indexed by user. */
function groupByUser(c: Columns, nUsers: number, min = -Infinity): number[][] {
  const out: number[][] = Array.from({ length: nUsers }, () => []);
  for (let r = 0; r < c.users.length; r++) {
    if (c.ratings[r] < min) continue;
    const u = c.users[r];
    if (u >= 0 && u < nUsers) out[u].push(c.items[r]);
  }
  return out;
}
