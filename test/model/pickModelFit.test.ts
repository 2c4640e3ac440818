/**
 * The pick model's fit at any size: each movie's kept neighbours are exactly the best of all its
 * neighbours (values first, ties to the smaller index), and a user's ratings cut to the most recent keep
 * exactly the newest ones.
 */
import { describe, expect, it } from 'vitest';
import { fitPickModel, recentRatings, type Neighbours } from '../../src/model/interpret/pickAndLike.js';
import { mulberry32 } from '../../src/model/engine/random.js';

/** A random set with many equal counts (so ties decide), timestamps shuffled against row order. */
function ratings(nUsers: number, nItems: number, seed: number) {
  const rng = mulberry32(seed);
  const users: number[] = [];
  const items: number[] = [];
  const stars: number[] = [];
  const timestamps: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    const n = 2 + Math.floor(rng() * 12);
    const seen = new Set<number>();
    while (seen.size < n) seen.add(Math.floor(Math.pow(rng(), 1.6) * nItems));
    for (const i of seen) {
      users.push(u);
      items.push(i);
      stars.push(1 + Math.floor(rng() * 5));
      timestamps.push(Math.floor(rng() * 50));
    }
  }
  return { users: Int32Array.from(users), items: Int32Array.from(items), ratings: Float32Array.from(stars), timestamps: Float64Array.from(timestamps) };
}

const rowOf = (n: Neighbours, j: number) => Array.from(n.idx.subarray(n.start[j], n.start[j + 1]), (i, k) => ({ i, v: n.val[n.start[j] + k] }));

describe('the pick model fit', () => {
  const cols = ratings(300, 80, 7);
  const all = fitPickModel(cols, 300, 80, { neighbours: 0 });
  const kept = fitPickModel(cols, 300, 80, { neighbours: 5 });

  it('keeps, for every movie and every neighbourhood, the 5 best of all its neighbours in order', () => {
    let ties = 0;
    for (const pick of [(m: typeof all) => ({ start: m.neighbourStart, idx: m.neighbourIdx, val: m.neighbourVal }), (m: typeof all) => m.rated!, (m: typeof all) => m.early!]) {
      const a = pick(all);
      const b = pick(kept);
      for (let j = 0; j < 80; j++) {
        const full = rowOf(a, j);
        // the full list is sorted best first (values compared before rounding to float32, so equal
        // stored values may come in either index order)
        for (let k = 1; k < full.length; k++) {
          expect(full[k - 1].v).toBeGreaterThanOrEqual(full[k].v);
          if (full[k - 1].v === full[k].v) ties++;
        }
        expect(rowOf(b, j)).toEqual(full.slice(0, 5));
      }
    }
    // the check means something only if equal values had to be ordered
    expect(ties).toBeGreaterThan(50);
  });

  it('cuts each user to their most recent ratings when the pairs exceed the budget', () => {
    const cut = recentRatings(cols, 300, 3000);
    expect(cut.users.length).toBeLessThan(cols.users.length);
    // the cap: every user keeps min(n, cap) ratings, and the cap is the largest within the budget
    const count = (c: { users: ArrayLike<number> }) => {
      const n = new Array(300).fill(0);
      for (let r = 0; r < c.users.length; r++) n[c.users[r]]++;
      return n;
    };
    const before = count(cols);
    const after = count(cut);
    const cap = Math.max(...after);
    const pairs = (c: number) => before.reduce((s, n) => s + Math.min(n, c) ** 2, 0);
    expect(pairs(cap)).toBeLessThanOrEqual(3000);
    expect(pairs(cap + 1)).toBeGreaterThan(3000);
    for (let u = 0; u < 300; u++) expect(after[u]).toBe(Math.min(before[u], cap));
    // the kept ones are the newest (ties: the later row), in row order
    for (let u = 0; u < 300; u++) {
      const rows = [...Array(cols.users.length).keys()].filter((r) => cols.users[r] === u);
      const newest = [...rows].sort((a, b) => cols.timestamps[a] - cols.timestamps[b] || a - b).slice(-after[u]).sort((a, b) => a - b);
      const keptItems = [...Array(cut.users.length).keys()].filter((r) => cut.users[r] === u).map((r) => [cut.items[r], cut.timestamps![r]]);
      expect(keptItems).toEqual(newest.map((r) => [cols.items[r], cols.timestamps[r]]));
    }
    expect(recentRatings(cols, 300, 1e9)).toBe(cols);
  });
});
