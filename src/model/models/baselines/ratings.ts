/**
 * The training ratings every baseline fits on, grouped both ways (CSR): per user its items, per item its
 * users, each list sorted by index. Typed arrays only — no object per rating — so ML-25M's 25M ratings
 * take ~300 MB here rather than gigabytes, and the fitting loops stream through memory.
 */
import { ModelError } from '../../errors.js';
import { countingOrder } from '../../../data/index.js';

/** Ratings as parallel columns (a split's training rows, or a new user's few). */
export interface RatingColumns {
  users: Int32Array;
  items: Int32Array;
  ratings: Float32Array;
}

/** Some items and their ratings: one user's, e.g. a new user's for fold-in. */
export interface RatedItems {
  items: Int32Array;
  ratings: Float32Array;
}

export interface RatingMatrix {
  nUsers: number;
  nItems: number;
  nRatings: number;
  /** The global mean rating μ. */
  mean: number;
  /** User u's items are userItems[userStart[u] .. userStart[u+1]), ascending, with their ratings. */
  userStart: Int32Array;
  userItems: Int32Array;
  userRatings: Float32Array;
  /** Item i's users, the same way. */
  itemStart: Int32Array;
  itemUsers: Int32Array;
  itemRatings: Float32Array;
}

/** O(n + users + items): two counting sorts (by user, then stably by item, and back). */
export function ratingMatrix(c: RatingColumns, nUsers: number, nItems: number): RatingMatrix {
  const n = c.users.length;
  if (c.items.length !== n || c.ratings.length !== n) throw new ModelError(`ratings: ${n} users, ${c.items.length} items, ${c.ratings.length} ratings`);
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const u = c.users[r];
    const i = c.items[r];
    if (!(u >= 0 && u < nUsers)) throw new ModelError(`user index ${u} is outside 0..${nUsers - 1}`);
    if (!(i >= 0 && i < nItems)) throw new ModelError(`item index ${i} is outside 0..${nItems - 1}`);
    sum += c.ratings[r];
  }
  // rows ordered by user (stable), then that order re-sorted by item: each item's users come out ascending
  const byUser = countingOrder(c.users, nUsers, null);
  const byItem = countingOrder(c.items, nItems, byUser.order);
  // and by item then by user, so each user's items are ascending too
  const byUserSorted = countingOrder(c.users, nUsers, byItem.order);
  const userItems = new Int32Array(n);
  const userRatings = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const r = byUserSorted.order[k];
    userItems[k] = c.items[r];
    userRatings[k] = c.ratings[r];
  }
  const itemUsers = new Int32Array(n);
  const itemRatings = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const r = byItem.order[k];
    itemUsers[k] = c.users[r];
    itemRatings[k] = c.ratings[r];
  }
  return {
    nUsers,
    nItems,
    nRatings: n,
    mean: n ? sum / n : 0,
    userStart: byUserSorted.start,
    userItems,
    userRatings,
    itemStart: byItem.start,
    itemUsers,
    itemRatings,
  };
}


/** A trained user's ratings (views into the matrix, not copies). */
export function userRatings(m: RatingMatrix, user: number): RatedItems {
  checkIndex(user, m.nUsers, 'user');
  const a = m.userStart[user];
  const b = m.userStart[user + 1];
  return { items: m.userItems.subarray(a, b), ratings: m.userRatings.subarray(a, b) };
}

/** A new user's ratings, checked: known items, each at most once, finite ratings. */
export function checkRated(r: RatedItems, nItems: number): void {
  if (r.items.length !== r.ratings.length) throw new ModelError(`${r.items.length} items but ${r.ratings.length} ratings`);
  const seen = new Set<number>();
  for (let k = 0; k < r.items.length; k++) {
    checkIndex(r.items[k], nItems, 'item');
    if (seen.has(r.items[k])) throw new ModelError(`item ${r.items[k]} is rated twice`);
    seen.add(r.items[k]);
    if (!Number.isFinite(r.ratings[k])) throw new ModelError(`rating ${r.ratings[k]} of item ${r.items[k]} is not a number`);
  }
}

export function checkIndex(i: number, n: number, what: string): void {
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new ModelError(`${what} index ${i} is outside 0..${n - 1}`);
}
