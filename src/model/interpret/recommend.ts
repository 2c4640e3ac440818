/**
 * Recommendations for a new user: fold in their ratings, score every movie, explain the top. The list is
 * ranked by pick × like (pickAndLike.ts) when the model comes with its pick model, else by predicted
 * stars (with a little of your lift over the average-taste user); either is one option away.
 */
import { performance } from 'node:perf_hooks';
import { rankScores, scoreItems } from '../models/forward.js';
import { kindOf } from '../models/index.js';
import { ModelError } from '../errors.js';
import type { ModelWeights, Vocab } from '../types.js';
import { averageUser, foldIn, type FoldInOptions, type RatedItem } from './foldin.js';
import { explainPickAndLike, pickAndLikeScores, settingsForScale, specificity, type PickModel } from './pickAndLike.js';
import { topKDistinct } from './rank.js';
import { itemSimilarity } from './similar.js';

export interface RecommendOptions {
  top: number;
  /** Movies with fewer ratings than this are flagged lowEvidence. */
  lowEvidence: number;
  /** Movies with fewer ratings than this are not recommended at all (0 keeps all). */
  minRatings: number;
  /** Reasons kept per recommendation (0 skips explaining). */
  explain: number;
  /**
   * Ranking weight γ on your lift over the average-taste user: rank by r̂ + γ·(r̂ − r̂_avg).
   * γ = 0 ranks by predicted rating alone (the seeds), which the universally loved classics win
   * for almost anyone; a little lift lets your taste show without hurting ranking quality.
   * Measured on ML-100K u1 (dotbias, fold-in on 10 ratings, λ = 0.2): γ = 0.5 costs little ranking
   * quality (precision@10 over the catalogue 0.181 vs 0.185, NDCG@10 on test items 0.757 vs 0.762)
   * and lifts the action fan's top 10 (5×5 to Star Wars & co, 1 to two romances) from ~4 to ~7
   * action/adventure/sci-fi titles, over 80% of 465 romance pairs reaching ≥ 6.
   */
  personal: number;
  foldIn: Partial<FoldInOptions>;
  /** 'pick-like' (the default when `pick` is given) or 'stars'. */
  ranking: Ranking | null;
  /** The implicit half of pick × like, fitted on the model's training ratings; null: rank by stars. */
  pick: PickModel | null;
}

/** 'score': a rank-only model's own scores (popularity, EASE, iALS) — it has no stars to like or pick by. */
export type Ranking = 'pick-like' | 'stars' | 'score';

export const DEFAULT_RECOMMEND_OPTIONS: RecommendOptions = { top: 10, lowEvidence: 20, minRatings: 0, explain: 3, personal: 0.5, foldIn: {}, ranking: null, pick: null };

/**
 * A rated movie behind a recommendation. Under pick × like: its signed share of why you would pick it
 * (`share`). Under stars: factor cosine × how much you beat the average-taste user (`push`).
 */
export interface Reason {
  index: number;
  title: string;
  rating: number;
  /** What the average-taste user would have given it. */
  expected: number;
  similarity: number;
  push: number;
  /** pick × like: the share of P(pick) this rating holds (negative for a dislike pulling it down); null under stars. */
  share: number | null;
}

export interface Recommendation {
  index: number;
  title: string;
  predicted: number;
  nRatings: number;
  meanRating: number;
  genres: string[];
  year: number | null;
  lowEvidence: boolean;
  reasons: Reason[];
  /** pick × like: the share of why you would pick it that is the movie's popularity; null under stars. */
  popularityShare: number | null;
}

export interface RecommendResult {
  recommendations: Recommendation[];
  /** The folded-in user: factors, and bias for dotbias (null otherwise). */
  userFactors: number[];
  userBias: number | null;
  /** The model's fitted rating for each movie you rated, to show how well fold-in fits you. */
  fitted: { index: number; title: string; rating: number; predicted: number }[];
  iterations: number;
  /** How the list was ranked, and (pick × like) how strongly it leaned to your niche (γ, 0 for most people). */
  ranking: Ranking;
  nicheBoost: number;
}

const baselines = new WeakMap<ModelWeights, Float32Array>();

/** The average-taste user's predicted rating of every movie: the "expected" of every explanation. */
export function averageTasteScores(w: ModelWeights): Float32Array {
  let s = baselines.get(w);
  if (!s) baselines.set(w, (s = scoreItems(w, averageUser(w))));
  return s;
}

export function recommend(
  w: ModelWeights,
  vocab: Vocab,
  ratings: readonly RatedItem[],
  options: Partial<RecommendOptions> = {},
): RecommendResult {
  const o = { ...DEFAULT_RECOMMEND_OPTIONS, ...options };
  if (!Number.isInteger(o.top) || o.top < 1) throw new ModelError(`top must be a whole number of at least 1, got ${o.top}`);
  const kind = kindOf(w);
  if (!kind.shows.ranking) throw new ModelError(`the ${w.kind} model scores every movie the same: recommendations are not available for this model`);
  const fold = foldIn(w, ratings, o.foldIn);
  const scores = scoreItems(w, fold.theta);
  // the order: the same scores, unclipped where the output is a clipped rating (see rankScores)
  const order = kind.output === 'rating' ? rankScores(w, fold.theta) : scores;
  // a rated film is not recommended back, under any of its ids (ML-100K lists a few films twice)
  const rated = new Set(ratings.map((r) => r.item));
  const ratedTitles = new Set(ratings.map((r) => vocab.titles[r.item]).filter((t) => t !== undefined));
  const skip = (i: number) => rated.has(i) || ratedTitles.has(vocab.titles[i]) || (vocab.itemCount[i] ?? 0) < o.minRatings;
  const expected = averageTasteScores(w);
  const ranking: Ranking = kind.shows.ratings ? o.ranking ?? (o.pick ? 'pick-like' : 'stars') : 'score';
  if (ranking === 'pick-like' && !o.pick) throw new ModelError('pick × like needs the pick model fitted on the training ratings; rank by stars instead');
  const settings = settingsForScale(vocab.scale);
  const key = (i: number) => vocab.titles[i] ?? String(i);
  let chosen: number[];
  if (ranking === 'score') {
    chosen = topKDistinct(order, o.top, skip, key);
  } else if (ranking === 'pick-like') {
    // shown in the order of the score: what you would most likely pick and like first
    chosen = topKDistinct(pickAndLikeScores(o.pick!, scores, ratings, settings), o.top, skip, key);
  } else {
    const base = order === scores ? expected : rankScores(w, averageUser(w));
    const rank = o.personal === 0 ? order : order.map((s, i) => s + o.personal * (s - base[i]));
    // the blend picks which movies make the list; they are shown in order of the rating you'd give them
    chosen = topKDistinct(rank, o.top, skip, key).sort((a, b) => order[b] - order[a]);
  }
  const recommendations = chosen.map((i) => {
    const pickWhy = ranking === 'pick-like' && o.explain > 0 ? explainPickAndLike(o.pick!, scores, ratings, i, settings, o.explain) : null;
    return {
    index: i,
    title: vocab.titles[i] ?? '',
    predicted: scores[i],
    nRatings: vocab.itemCount[i] ?? 0,
    meanRating: vocab.itemMean[i] ?? 0,
    genres: vocab.genres[i] ?? [],
    year: vocab.years[i] ?? null,
    lowEvidence: (vocab.itemCount[i] ?? 0) < o.lowEvidence,
    reasons: pickWhy ? pickReasons(w, vocab, i, pickWhy.because, expected) : o.explain > 0 ? explain(w, vocab, i, ratings, expected, o.explain) : [],
    popularityShare: pickWhy ? pickWhy.popularityShare : null,
    };
  });
  const you = kind.userParts(w, fold.theta);
  return {
    recommendations,
    userFactors: you.factors,
    userBias: you.bias,
    fitted: ratings.map((r) => ({ index: r.item, title: vocab.titles[r.item] ?? '', rating: r.rating, predicted: scores[r.item] })),
    iterations: fold.iterations,
    ranking,
    nicheBoost: ranking === 'pick-like' ? specificity(o.pick!, ratings, settings) : 0,
  };
}

/** pick × like's shares as reasons, with the similarity and expectation the stars explanation shows too. */
function pickReasons(w: ModelWeights, vocab: Vocab, item: number, because: { item: number; rating: number; share: number }[], expected: Float32Array): Reason[] {
  const sim = itemSimilarity(w);
  return because.map((b) => {
    const similarity = sim ? sim(item, b.item) : 0;
    return { index: b.item, title: vocab.titles[b.item] ?? '', rating: b.rating, expected: expected[b.item], similarity, push: similarity * (b.rating - expected[b.item]), share: b.share };
  });
}

/**
 * The rated movies that pushed `item` up most: the model's similarity of the two (its neighbours', else
 * factor cosine) × how much you beat the average-taste user; none when the model has no similarity.
 */
export function explain(
  w: ModelWeights,
  vocab: Vocab,
  item: number,
  ratings: readonly RatedItem[],
  expected: Float32Array,
  n: number,
): Reason[] {
  const sim = itemSimilarity(w);
  if (!sim) return [];
  const reasons = ratings.map(({ item: k, rating }) => {
    const similarity = sim(item, k);
    return { index: k, title: vocab.titles[k] ?? '', rating, expected: expected[k], similarity, push: similarity * (rating - expected[k]), share: null };
  });
  return reasons
    .filter((r) => r.push > 0)
    .sort((a, b) => b.push - a.push)
    .slice(0, n);
}

export interface LatencyReport {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/**
 * Times what a user feels in the Rate pane: after each added rating, fold in and re-rank.
 * Replays `ratings` one at a time (1, 2, … n ratings), `rounds` times.
 */
export function timeRecommend(
  w: ModelWeights,
  vocab: Vocab,
  ratings: readonly RatedItem[],
  rounds = 20,
  options: Partial<RecommendOptions> = {},
): LatencyReport {
  const times: number[] = [];
  recommend(w, vocab, ratings.slice(0, 1), options); // per-model caches are built once, not per keystroke
  for (let r = 0; r < rounds; r++) {
    for (let n = 1; n <= ratings.length; n++) {
      const t0 = performance.now();
      recommend(w, vocab, ratings.slice(0, n), options);
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  return { samples: times.length, p50Ms: q(0.5), p95Ms: q(0.95), maxMs: times[times.length - 1] ?? 0 };
}
