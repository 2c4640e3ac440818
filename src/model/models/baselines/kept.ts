/**
 * What the baseline kinds share as model kinds: the training ratings that item-kNN and EASE keep with
 * their weights (their trained users *are* their ratings), as float32 arrays a snapshot stores and back;
 * the shape of a kind without factor tables; settings stored as a tiny array.
 */
import { ModelError } from '../../errors.js';
import type { ModelKind, TrainingRatings } from '../../types.js';
import type { KindShows, ModelShape, ParamDecl } from '../kind.js';
import { ratingMatrix, type RatingMatrix } from './ratings.js';

/** Nothing shown: each baseline turns on what it has. */
export const NO_SHOWS: KindShows = { ratings: false, ranking: false, biases: false, factors: false, neighbours: false, popularityInFactors: false };

export const ZEROS = { zeros: true } as const;

/** The shape of a kind without factor tables; `sizes` holds what its arrays need beyond users and items. */
export function plainShape(kind: ModelKind, nUsers: number, nItems: number, sizes: Record<string, number> = {}, dim = 0): ModelShape {
  return { kind, nUsers, nItems, userDim: dim, itemDim: dim, hidden: [], sizes };
}

export function noHiddenLayers(s: ModelShape): string | null {
  return s.hidden.length ? 'has dense layers' : null;
}

/** The kept training ratings of a matrix (per user, items ascending). Counts, not offsets: float32 is exact below 2^24. */
export function keepRatings(m: RatingMatrix, withRatings: boolean): TrainingRatings {
  const userCounts = new Float32Array(m.nUsers);
  for (let u = 0; u < m.nUsers; u++) userCounts[u] = m.userStart[u + 1] - m.userStart[u];
  return { userCounts, items: Float32Array.from(m.userItems), ...(withRatings ? { ratings: Float32Array.from(m.userRatings) } : {}) };
}

/** How many training ratings kept (the 'ratings' size of the shape). */
export function keptSize(t: TrainingRatings): Record<string, number> {
  return { ratings: t.items.length };
}

export function keptParams(s: ModelShape, withRatings: boolean): ParamDecl[] {
  const n = s.sizes.ratings ?? 0;
  return [
    { name: 'train_user_counts', shape: [s.nUsers], init: ZEROS },
    { name: 'train_items', shape: [n], init: ZEROS },
    ...(withRatings ? [{ name: 'train_ratings', shape: [n], init: ZEROS }] : []),
  ];
}

export function keptFromArrays(get: (name: string) => Float32Array, withRatings: boolean): TrainingRatings {
  return { userCounts: get('train_user_counts'), items: get('train_items'), ...(withRatings ? { ratings: get('train_ratings') } : {}) };
}

export function keptArrays(t: TrainingRatings): [string, Float32Array][] {
  return [['train_user_counts', t.userCounts], ['train_items', t.items], ...(t.ratings ? [['train_ratings', t.ratings] as [string, Float32Array]] : [])];
}

const offsets = new WeakMap<TrainingRatings, Int32Array>();

/** Where each user's kept ratings start (cached per weights). */
export function keptOffsets(t: TrainingRatings): Int32Array {
  let start = offsets.get(t);
  if (!start) {
    start = new Int32Array(t.userCounts.length + 1);
    for (let u = 0; u < t.userCounts.length; u++) start[u + 1] = start[u] + t.userCounts[u];
    if (start[t.userCounts.length] !== t.items.length) throw new ModelError(`the kept ratings are inconsistent: the users' counts add to ${start[t.userCounts.length]}, ${t.items.length} ratings are kept`);
    offsets.set(t, start);
  }
  return start;
}

const matrices = new WeakMap<TrainingRatings, RatingMatrix>();

/** The kept ratings as the cores' rating matrix again (cached per weights). */
export function keptMatrix(t: TrainingRatings, nItems: number): RatingMatrix {
  let m = matrices.get(t);
  if (!m) {
    const start = keptOffsets(t);
    const nUsers = t.userCounts.length;
    const users = new Int32Array(t.items.length);
    for (let u = 0; u < nUsers; u++) users.fill(u, start[u], start[u + 1]);
    m = ratingMatrix({ users, items: Int32Array.from(t.items), ratings: t.ratings ?? new Float32Array(t.items.length).fill(1) }, nUsers, nItems);
    matrices.set(t, m);
  }
  return m;
}
