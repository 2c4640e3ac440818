/** The feedback-loop simulation: its world (who watches what), the cap, the diversity re-ranking, and determinism given its seed on ML-100K. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/index.js';
import type { Dataset } from '../../src/data/types.js';
import { diversify, simulate, type SimulationReport } from '../../src/model/evaluate/simulate.js';
import { buildWorld, cappedRows, worldDataset } from '../../src/model/evaluate/simulationWorld.js';
import { testDataDir } from '../helpers/data.js';

let ds: Dataset;
beforeAll(async () => {
  ds = await loadDataset(testDataDir());
});

const worldOptions = { users: 40, measure: 30, known: 10, minRatings: 40, testShare: 0.1, enthusiasts: 3, genre: 'Horror', seed: 5 };

describe('the simulated world', () => {
  it('simulated users start with their earliest ratings and hold the rest back; ordinary users hold out a tenth; enthusiasts rated every movie of the genre 5★', () => {
    const w = buildWorld(ds, worldOptions);
    expect(w.simulated).toHaveLength(40);
    expect(w.ordinary).toHaveLength(ds.nUsers - 40);
    const u = w.simulated[0];
    const known = w.rows.filter((r) => r.user === u);
    expect(known).toHaveLength(10);
    expect(known.length + w.pools.get(u)!.size).toBe(ds.userCount[u]);
    // the known ones are the earliest
    const ts = new Map<number, number>();
    for (let r = 0; r < ds.nRatings; r++) if (ds.users[r] === u) ts.set(ds.items[r], ds.timestamps[r]);
    const lastKnown = Math.max(...known.map((r) => ts.get(r.item)!));
    expect([...w.pools.get(u)!.keys()].every((i) => ts.get(i)! >= lastKnown)).toBe(true);
    const heldShare = w.test.length / (w.test.length + w.rows.filter((r) => !w.simulated.includes(r.user) && r.user < ds.nUsers).length);
    expect(heldShare).toBeGreaterThan(0.08);
    expect(heldShare).toBeLessThan(0.12);
    expect(w.test.every((t) => !w.simulated.includes(t.user))).toBe(true);
    const horror = ds.genres.filter((g) => g.includes('Horror')).length;
    for (const e of w.enthusiasts) {
      const theirs = w.rows.filter((r) => r.user === e);
      expect(theirs).toHaveLength(horror);
      expect(theirs.every((r) => r.rating === 5 && ds.genres[r.item].includes('Horror'))).toBe(true);
    }
    expect(w.measured).toHaveLength(30);
    expect(w.measured.every((m) => w.ordinary.includes(m))).toBe(true);
  });

  it('the cap keeps at most cap ratings of anyone, and all of everyone under it', () => {
    const w = buildWorld(ds, worldOptions);
    const capped = cappedRows(w, 30, 1);
    const count = new Map<number, number>();
    for (const r of capped) count.set(r.user, (count.get(r.user) ?? 0) + 1);
    expect(Math.max(...count.values())).toBe(30);
    const u = w.simulated[0];
    expect(count.get(u)).toBe(10);
    expect(cappedRows(w, 30, 1)).toEqual(capped);
    expect(cappedRows(w, null, 1)).toBe(w.rows);
  });

  it('the world as a dataset: enthusiasts get ids of their own, training rows first and the held-out ratings as validation', () => {
    const w = buildWorld(ds, worldOptions);
    const { ds: world, split } = worldDataset(ds, w, w.rows);
    expect(world.nUsers).toBe(ds.nUsers + 3);
    expect(world.userIds.at(-1)).toBe('enthusiast-3');
    expect(split.train.length).toBe(w.rows.length);
    expect(split.valid.length).toBe(w.test.length);
    expect(world.ratings[split.valid[0]]).toBe(w.test[0].rating);
  });

  it('refuses a genre the catalogue does not have', () => {
    expect(() => buildWorld(ds, { ...worldOptions, genre: 'Anime' })).toThrow(/unknown genre "Anime"/);
  });
});

describe('diversity re-ranking', () => {
  it('takes the best, then passes over a movie that repeats its genres for one that does not, when the scores are close', () => {
    const genres = [['Horror'], ['Horror'], ['Comedy'], ['Horror'], ['Drama']];
    const scores = [1.0, 0.98, 0.9, 0.7, 0.1];
    expect(diversify(scores, [0, 1, 2, 3, 4], genres, 3, 0)).toEqual([0, 1, 2]);
    expect(diversify(scores, [0, 1, 2, 3, 4], genres, 3, 1)).toEqual([0, 2, 1]);
    // a very strong penalty reaches even the worst-scored new genre
    expect(diversify(scores, [0, 1, 2, 3, 4], genres, 3, 10)).toEqual([0, 2, 4]);
  });
});

describe('rounds on ML-100K', () => {
  const run = () => simulate(ds, { epochs: 1, seed: 3 }, { rounds: 2, users: 30, measure: 30, enthusiasts: 2, seed: 8 });
  let a: SimulationReport;
  beforeAll(async () => {
    a = await run();
  }, 180_000);

  it('is deterministic given its seed', async () => {
    const b = await run();
    const strip = (r: SimulationReport) => r.rounds.map(({ seconds: _s, ...x }) => x);
    expect(strip(b)).toEqual(strip(a));
  }, 180_000);

  it('people watch only what they had rated, so each round trains on more; the numbers are in range', () => {
    expect(a.rounds).toHaveLength(2);
    const [r1, r2] = a.rounds;
    expect(r1.watched).toBeGreaterThan(0);
    expect(r2.trainRatings).toBe(r1.trainRatings + r1.watched);
    for (const r of a.rounds) {
      expect(r.coverage).toBeGreaterThan(0);
      expect(r.coverage).toBeLessThanOrEqual(1);
      expect(r.genreShare).toBeGreaterThanOrEqual(0);
      expect(r.ndcg).toBeGreaterThan(0);
      expect(r.rmse).toBeGreaterThan(0.8);
      expect(r.rmse).toBeLessThan(1.2);
      expect(r.meanPopularity).toBeGreaterThan(20);
    }
  });

  it('a model that only ranks (iALS) has no RMSE to report, only its ranking numbers', async () => {
    const r = await simulate(ds, { model: 'ials', epochs: 1, seed: 3 }, { rounds: 1, users: 30, measure: 30, enthusiasts: 0, seed: 8 });
    expect(r.rounds[0].rmse).toBeNaN();
    expect(r.rounds[0].ndcg).toBeGreaterThan(0);
  }, 180_000);
});
