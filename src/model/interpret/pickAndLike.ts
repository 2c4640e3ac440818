/**
 * "Would you pick it" × "would you like it": how a new user's list is ranked.
 *
 *   score_i = log P(pick_i) + β · log P(like_i) + γ · log(P(pick_i) / (α·(pop_i + m/N)))
 *   P(pick_i) = α·pop_i + Σ_{j rated} w(r_j) · S[j][i]          (popularity + one term per rated movie)
 *   P(like_i) = Φ((r̂_i − 3.5) / σ)                               (the explicit model's stars, any kind)
 *   γ = focusGain · clamp((focus − focusFrom) / (focusTo − focusFrom), 0, 1)   (0 for most users)
 *
 * Ranking by predicted stars answers only "how much would you like it if you watched it", so it
 * favours small, well-rated films a person would never pick; popularity answers only "would you pick
 * it". MovieLens ratings are missing not at random (Steck 2010; Cremonesi et al. 2010): a fan's "yes,
 * that one" is a movie they both watch and like, and a top-N list needs both halves.
 *
 * S is a "liked j → liked i" neighbourhood fitted once per training set from the ratings alone:
 * S[j][i] = (L[j][i] − c·liked_j·liked_i/N) / √(liked_j·liked_i), L = users who rated both ≥ 4, each row
 * kept to its `neighbours` largest positive entries; pop_i = the share of users who rated i. focus is
 * the mean pairwise log-lift of your liked movies: high only for a consistent niche taste (five
 * Disney films), which then outranks the universal favourites. w(r) = 1 + ½(r − 4) for a liked movie,
 * −½ for a disliked one (a 1★ romance makes its neighbours less likely picks).
 *
 * Tuned on the validation users of the new-user benchmark (evaluate/newUsers.ts) for the best mean
 * NDCG@10 over 5/10/20 earliest and random ratings, among settings whose top 10 passes the sci-fi,
 * romance and children's personas and covers at least as much of the catalogue as plain stars.
 * Explanations fall out of the sum: each rated movie's share of P(pick), popularity's, and the stars.
 */
import type { Dataset, Split } from '../../data/types.js';
import { selectRows } from '../evaluate/metrics.js';

export interface PickAndLikeSettings {
  /** A rating at or above this is "liked" (4 on 1–5 stars). */
  likedMin: number;
  /** Neighbours kept per movie. */
  neighbours: number;
  /** Share of the chance co-liking (liked_j·liked_i/N) removed, so popularity lives in α alone. */
  center: number;
  /** Weight of popularity in P(pick). */
  alpha: number;
  /** Extra weight per star above likedMin (a 5★ counts 1.5). */
  fiveBoost: number;
  /** Weight (subtracted) of a rated movie below likedMin. */
  dislike: number;
  /** Weight of log P(like). */
  beta: number;
  /** P(like) = Φ((r̂ − likeAt) / σ), σ ≈ a new user's rating noise in stars. */
  likeAt: number;
  sigma: number;
  /** Pseudo-raters smoothing the popularity prior of γ's ratio (a film two people rated cannot win on it). */
  smoothing: number;
  /** γ grows by focusGain as focus rises from focusFrom to focusTo (typical users ~0.5). */
  focusGain: number;
  focusFrom: number;
  focusTo: number;
  /** focus looks at this many liked ratings at most (it is quadratic in them). */
  focusRatings: number;
}

export const PICK_AND_LIKE: PickAndLikeSettings = {
  likedMin: 4,
  neighbours: 100,
  center: 0.75,
  alpha: 3,
  fiveBoost: 0.5,
  dislike: 0.5,
  beta: 0.5,
  likeAt: 3.5,
  sigma: 1,
  smoothing: 10,
  focusGain: 2,
  focusFrom: 0.9,
  focusTo: 1.05,
  focusRatings: 30,
};

/** The on-scale version for another rating scale: "liked" and "likeAt" move with the scale's top. */
export function settingsForScale(scale: { min: number; max: number } | undefined): PickAndLikeSettings {
  if (!scale || (scale.min >= 0.5 && scale.max === 5)) return PICK_AND_LIKE;
  const at = (x: number) => scale.min + ((x - 1) / 4) * (scale.max - scale.min);
  return { ...PICK_AND_LIKE, likedMin: at(4), likeAt: at(3.5), sigma: (scale.max - scale.min) / 4 };
}

/** The implicit half, fitted from training ratings: sparse neighbour rows, popularity, who liked what. */
export interface PickModel {
  nItems: number;
  /** Users with at least one training rating (N). */
  nRaters: number;
  /** Share of those users who rated each movie. */
  popularity: Float32Array;
  /** Row j's neighbours are neighbourIdx/neighbourVal[neighbourStart[j] .. neighbourStart[j+1]). */
  neighbourStart: Int32Array;
  neighbourIdx: Int32Array;
  neighbourVal: Float32Array;
  /** Movie i's likers (sorted user indices) are likers[likerStart[i] .. likerStart[i+1]): for focus. */
  likerStart: Int32Array;
  likers: Int32Array;
  /** The rating that counted as liked when fitted. */
  likedMin: number;
}

export interface RatingColumns {
  users: ArrayLike<number>;
  items: ArrayLike<number>;
  ratings: ArrayLike<number>;
}

/** A movie → rows index (CSR) of the rows that pass `keep`, rows in ascending user order per movie. */
function byItem(c: RatingColumns, nUsers: number, nItems: number, keep: (r: number) => boolean): { start: Int32Array; users: Int32Array } {
  const start = new Int32Array(nItems + 1);
  for (let r = 0; r < c.items.length; r++) if (keep(r)) start[c.items[r] + 1]++;
  for (let i = 0; i < nItems; i++) start[i + 1] += start[i];
  // filled in user order (a counting pass over users keeps each movie's list sorted)
  const byUser = new Int32Array(nUsers + 1);
  for (let r = 0; r < c.users.length; r++) if (keep(r)) byUser[c.users[r] + 1]++;
  for (let u = 0; u < nUsers; u++) byUser[u + 1] += byUser[u];
  const rowsByUser = new Int32Array(byUser[nUsers]);
  const fillU = byUser.slice(0, nUsers);
  for (let r = 0; r < c.users.length; r++) if (keep(r)) rowsByUser[fillU[c.users[r]]++] = r;
  const fill = start.slice(0, nItems);
  const users = new Int32Array(start[nItems]);
  for (const r of rowsByUser) users[fill[c.items[r]]++] = c.users[r];
  return { start, users };
}

/**
 * Fits the pick model: O(Σ_u liked_u²) time and O(nItems) scratch (an item → likers index, then one
 * accumulator row at a time; no n×n matrix is held). With likedMin −∞ and center 0 it is plain binary
 * cosine item-kNN on who rated what.
 */
export function fitPickModel(c: RatingColumns, nUsers: number, nItems: number, settings: Partial<PickAndLikeSettings> = {}): PickModel {
  const o = { ...PICK_AND_LIKE, ...settings };
  const rated = new Float64Array(nItems);
  const hasRating = new Uint8Array(nUsers);
  for (let r = 0; r < c.items.length; r++) {
    rated[c.items[r]]++;
    hasRating[c.users[r]] = 1;
  }
  let nRaters = 0;
  for (let u = 0; u < nUsers; u++) nRaters += hasRating[u];
  nRaters = Math.max(1, nRaters);
  const liked = (r: number) => c.ratings[r] >= o.likedMin;
  const L = byItem(c, nUsers, nItems, liked);
  // user → liked movies
  const uStart = new Int32Array(nUsers + 1);
  for (let i = 0; i < nItems; i++) for (let k = L.start[i]; k < L.start[i + 1]; k++) uStart[L.users[k] + 1]++;
  for (let u = 0; u < nUsers; u++) uStart[u + 1] += uStart[u];
  const uFill = uStart.slice(0, nUsers);
  const uItems = new Int32Array(uStart[nUsers]);
  for (let i = 0; i < nItems; i++) for (let k = L.start[i]; k < L.start[i + 1]; k++) uItems[uFill[L.users[k]]++] = i;

  const count = (i: number) => L.start[i + 1] - L.start[i];
  const acc = new Float64Array(nItems);
  const touched = new Int32Array(nItems);
  const start = new Int32Array(nItems + 1);
  const idxParts: Int32Array[] = [];
  const valParts: Float32Array[] = [];
  let total = 0;
  for (let j = 0; j < nItems; j++) {
    let nt = 0;
    for (let k = L.start[j]; k < L.start[j + 1]; k++) {
      const u = L.users[k];
      for (let m = uStart[u]; m < uStart[u + 1]; m++) {
        const i = uItems[m];
        if (i === j) continue;
        if (acc[i] === 0) touched[nt++] = i;
        acc[i] += 1;
      }
    }
    const nj = count(j);
    const chance = (o.center * nj) / nRaters;
    const cand: { i: number; v: number }[] = [];
    for (let t = 0; t < nt; t++) {
      const i = touched[t];
      const v = (acc[i] - chance * count(i)) / Math.sqrt(count(i) * nj);
      acc[i] = 0;
      if (v > 0) cand.push({ i, v });
    }
    // ties broken by index so the fit is deterministic
    cand.sort((a, b) => b.v - a.v || a.i - b.i);
    const keep = o.neighbours > 0 ? cand.slice(0, o.neighbours) : cand;
    idxParts.push(Int32Array.from(keep, (x) => x.i));
    valParts.push(Float32Array.from(keep, (x) => x.v));
    total += keep.length;
    start[j + 1] = total;
  }
  const neighbourIdx = new Int32Array(total);
  const neighbourVal = new Float32Array(total);
  for (let j = 0; j < nItems; j++) {
    neighbourIdx.set(idxParts[j], start[j]);
    neighbourVal.set(valParts[j], start[j]);
  }
  return {
    nItems,
    nRaters,
    popularity: Float32Array.from(rated, (n) => n / nRaters),
    neighbourStart: start,
    neighbourIdx,
    neighbourVal,
    likerStart: L.start,
    likers: L.users,
    likedMin: o.likedMin,
  };
}

/** The pick model of a split: fitted on its training ratings, with the settings for the data's scale. */
export function pickModelFor(ds: Dataset, split: Split): PickModel {
  return fitPickModel(selectRows(ds, split.train), ds.nUsers, ds.nItems, settingsForScale(ds.scale));
}

export interface Rated {
  item: number;
  rating: number;
}

/** How much a rated movie says about what you would pick: w(r). */
export function pickWeight(rating: number, s: PickAndLikeSettings): number {
  return rating >= s.likedMin ? 1 + s.fiveBoost * (rating - s.likedMin) : -s.dislike;
}

/** P(pick) of every movie before the log: α·pop_i + Σ_j w_j S[j][i]. */
export function pickScores(m: PickModel, rated: readonly Rated[], s: PickAndLikeSettings = PICK_AND_LIKE, out?: Float64Array): Float64Array {
  const pick = out ?? new Float64Array(m.nItems);
  for (let i = 0; i < m.nItems; i++) pick[i] = s.alpha * m.popularity[i];
  for (const { item, rating } of rated) {
    const w = pickWeight(rating, s);
    for (let k = m.neighbourStart[item]; k < m.neighbourStart[item + 1]; k++) pick[m.neighbourIdx[k]] += w * m.neighbourVal[k];
  }
  return pick;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 on erf, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

export function likeProbability(stars: number, s: PickAndLikeSettings = PICK_AND_LIKE): number {
  return normalCdf((stars - s.likeAt) / s.sigma);
}

const FLOOR = 1e-6;

/**
 * The ranking score of every movie for a new user: `stars` are the explicit model's predicted ratings
 * after folding in `rated` (scoreItems(w, foldIn(w, rated).theta), for any model kind).
 */
export function pickAndLikeScores(m: PickModel, stars: ArrayLike<number>, rated: readonly Rated[], s: PickAndLikeSettings = PICK_AND_LIKE): Float64Array {
  const score = pickScores(m, rated, s);
  const smooth = s.smoothing / m.nRaters;
  const gamma = specificity(m, rated, s);
  for (let i = 0; i < m.nItems; i++) {
    const like = s.beta === 0 ? 0 : s.beta * Math.log(Math.max(1e-12, likeProbability(stars[i], s)));
    const logPick = Math.log(Math.max(FLOOR, score[i]));
    const lift = gamma === 0 ? 0 : gamma * (logPick - Math.log(s.alpha * (m.popularity[i] + smooth)));
    score[i] = logPick + like + lift;
  }
  return score;
}

/** γ for these ratings: 0 unless the liked movies are a consistent niche. */
export function specificity(m: PickModel, rated: readonly Rated[], s: PickAndLikeSettings = PICK_AND_LIKE): number {
  if (s.focusGain === 0) return 0;
  const x = (focus(m, rated, s) - s.focusFrom) / (s.focusTo - s.focusFrom);
  return s.focusGain * (x < 0 ? 0 : x > 1 ? 1 : x);
}

export interface PickAndLikeReason {
  item: number;
  rating: number;
  /** Signed share of P(pick) this rating holds (negative: a dislike pulled it down). */
  share: number;
}

export interface PickAndLikeExplanation {
  /** The share of P(pick) that popularity holds. */
  popularityShare: number;
  /** Each rated movie's share, largest |share| first. */
  because: PickAndLikeReason[];
  /** P(pick_i) / (α·pop_i): how much likelier a pick for you than for anyone. */
  lift: number;
  /** The explicit model's stars and P(like) from them. */
  stars: number;
  like: number;
}

/** Why `item` is on the list: the exact decomposition of its P(pick), plus the like half. */
export function explainPickAndLike(m: PickModel, stars: ArrayLike<number>, rated: readonly Rated[], item: number, s: PickAndLikeSettings = PICK_AND_LIKE, top = 3): PickAndLikeExplanation {
  const prior = s.alpha * m.popularity[item];
  const parts = rated.map(({ item: j, rating }) => ({ item: j, rating, value: pickWeight(rating, s) * neighbourValue(m, j, item) }));
  const pick = prior + parts.reduce((a, x) => a + x.value, 0);
  const denom = pick > 0 ? pick : 1;
  return {
    popularityShare: prior / denom,
    because: parts
      .filter((x) => x.value !== 0)
      .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
      .slice(0, top)
      .map((x) => ({ item: x.item, rating: x.rating, share: x.value / denom })),
    lift: prior > 0 ? pick / prior : Infinity,
    stars: stars[item],
    like: likeProbability(stars[item], s),
  };
}

/** S[j][i] (0 when i is not among j's neighbours). */
export function neighbourValue(m: PickModel, j: number, i: number): number {
  for (let k = m.neighbourStart[j]; k < m.neighbourStart[j + 1]; k++) if (m.neighbourIdx[k] === i) return m.neighbourVal[k];
  return 0;
}

/** Mean pairwise log-lift of the liked rated movies: log((both·N + 1) / (liked_j·liked_k + 1)). */
export function focus(m: PickModel, rated: readonly Rated[], s: PickAndLikeSettings = PICK_AND_LIKE): number {
  const liked = rated.filter((r) => r.rating >= s.likedMin).map((r) => r.item);
  const recent = liked.slice(-s.focusRatings);
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < recent.length; a++) {
    for (let b = a + 1; b < recent.length; b++) {
      const x0 = m.likerStart[recent[a]];
      const x1 = m.likerStart[recent[a] + 1];
      const y0 = m.likerStart[recent[b]];
      const y1 = m.likerStart[recent[b] + 1];
      if (x0 === x1 || y0 === y1) continue;
      let both = 0;
      for (let i = x0, j = y0; i < x1 && j < y1; ) {
        const p = m.likers[i];
        const q = m.likers[j];
        if (p === q) {
          both++;
          i++;
          j++;
        } else if (p < q) i++;
        else j++;
      }
      sum += Math.log((both * m.nRaters + 1) / ((x1 - x0) * (y1 - y0) + 1));
      pairs++;
    }
  }
  return pairs ? sum / pairs : 0;
}
