/** Fold-in quality on real users, shared by the interpretation and AutoRec tests. */
import type { Dataset, Split } from '../../src/data/types.js';
import { predictRows, scoreItems } from '../../src/model/models/forward.js';
import { foldIn, type RatedItem } from '../../src/model/interpret/index.js';
import { mulberry32 } from '../../src/model/engine/random.js';
import type { TrainResult } from '../../src/model/types.js';

/**
 * Fold each u1 test user in from 10 of their training ratings (a seeded sample) and predict their
 * u1.test ratings; compare with the trained model's own predictions for the same ratings.
 */
export function foldInGap(ds: Dataset, split: Split, res: TrainResult): { model: number; folded: number; n: number } {
  const w = res.weights;
  const train = new Map<number, RatedItem[]>();
  for (const r of split.train) {
    const u = ds.users[r];
    if (!train.has(u)) train.set(u, []);
    train.get(u)!.push({ item: ds.items[r], rating: ds.ratings[r] });
  }
  const test = new Map<number, number[]>();
  for (const r of split.valid) {
    const u = ds.users[r];
    if (!test.has(u)) test.set(u, []);
    test.get(u)!.push(r);
  }
  const rnd = mulberry32(7);
  let seModel = 0;
  let seFold = 0;
  let n = 0;
  for (const [u, rows] of test) {
    const given = (train.get(u) ?? []).slice();
    if (given.length < 10) continue;
    for (let i = given.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [given[i], given[j]] = [given[j], given[i]];
    }
    const scores = scoreItems(w, foldIn(w, given.slice(0, 10)).theta);
    for (const r of rows) {
      seModel += (predictRows(w, { users: Int32Array.of(u), items: Int32Array.of(ds.items[r]) })[0] - ds.ratings[r]) ** 2;
      seFold += (scores[ds.items[r]] - ds.ratings[r]) ** 2;
      n++;
    }
  }
  return { model: Math.sqrt(seModel / n), folded: Math.sqrt(seFold / n), n };
}

