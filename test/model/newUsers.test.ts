/**
 * New users: the pick × like ranking on a hand-computed example, its explanations, the personas on
 * ML-100K (the app's default model), and the new-user benchmark's protocol.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshot, saveSnapshot } from '../../src/model/snapshot/index.js';
import { loadDataset, makeSplit } from '../../src/data/index.js';
import type { Dataset } from '../../src/data/types.js';
import { withoutUsers } from '../../src/data/subset.js';
import { explainPickAndLike, fitPickModel, pickAndLikeScores, pickModelFor, PICK_AND_LIKE, type PickModel } from '../../src/model/interpret/pickAndLike.js';
import { recommend } from '../../src/model/interpret/recommend.js';
import { newUserBenchmark, revealRatings } from '../../src/model/evaluate/newUsers.js';
import { trainModel } from '../../src/model/train/train.js';
import type { TrainResult } from '../../src/model/types.js';
import { testDataDir } from '../helpers/data.js';
import { PERSONAS, personaVerdict } from '../helpers/personas.js';

describe('the pick model', () => {
  // users 0..3; movies 0..2. Liked (≥ 4): u0 {0,1}, u1 {0,1}, u2 {1,2}, u3 {2}; u3 also rated 0 with 2★.
  const cols = {
    users: [0, 0, 1, 1, 2, 2, 3, 3],
    items: [0, 1, 0, 1, 1, 2, 2, 0],
    ratings: [5, 4, 4, 5, 4, 4, 5, 2],
  };
  const m = fitPickModel(cols, 4, 3, { center: 0 });

  it('popularity is the share of raters, neighbours are co-liking over √(liked_j·liked_i)', () => {
    // movie 0 rated by u0, u1, u3 of 4 raters; 1 by u0, u1, u2; 2 by u2, u3
    expect(Array.from(m.popularity)).toEqual([0.75, 0.75, 0.5]);
    // liked: 0 by {u0,u1} (2), 1 by {u0,u1,u2} (3), 2 by {u2,u3} (2); co-liked 0&1: 2, 1&2: 1, 0&2: 0
    const row = (j: number) => Object.fromEntries(Array.from(m.neighbourIdx.subarray(m.neighbourStart[j], m.neighbourStart[j + 1]), (i, k) => [i, m.neighbourVal[m.neighbourStart[j] + k]]));
    expect(row(0)[1]).toBeCloseTo(2 / Math.sqrt(2 * 3), 6);
    expect(row(0)[2]).toBeUndefined();
    expect(row(1)[2]).toBeCloseTo(1 / Math.sqrt(3 * 2), 6);
    expect(Array.from(m.likers.subarray(m.likerStart[1], m.likerStart[2]))).toEqual([0, 1, 2]);
  });

  it('removing chance co-liking keeps only what beats independence', () => {
    const centred = fitPickModel(cols, 4, 3, { center: 1 });
    // 1&2: 1 co-liker against 3·2/4 = 1.5 by chance → dropped; 0&1: 2 against 2·3/4 = 1.5 → kept
    const has = (j: number, i: number) => Array.from(centred.neighbourIdx.subarray(centred.neighbourStart[j], centred.neighbourStart[j + 1])).includes(i);
    expect(has(1, 2)).toBe(false);
    expect(has(0, 1)).toBe(true);
  });

  it("explanations add up: popularity's share and every rating's share of P(pick) sum to 1", () => {
    const stars = [4, 3.5, 4.5];
    const rated = [{ item: 0, rating: 5 }];
    const why = explainPickAndLike(m, stars, rated, 1, PICK_AND_LIKE, 5);
    expect(why.popularityShare + why.because.reduce((s, b) => s + b.share, 0)).toBeCloseTo(1, 10);
    expect(why.because[0]).toMatchObject({ item: 0, rating: 5 });
    // a higher liked weight on the rated neighbour raises the neighbour's score
    const s5 = pickAndLikeScores(m, stars, [{ item: 0, rating: 5 }]);
    const s4 = pickAndLikeScores(m, stars, [{ item: 0, rating: 4 }]);
    expect(s5[1]).toBeGreaterThan(s4[1]);
  });
});

describe('personas on ML-100K (the default model, the app\'s random split)', () => {
  let ds: Dataset;
  let run: TrainResult;
  let pick: PickModel;
  beforeAll(async () => {
    ds = await loadDataset(testDataDir());
    const split = makeSplit(ds, 'random', { validPct: 0.2, seed: 42 });
    run = await trainModel(ds, split, {});
    pick = pickModelFor(ds, split);
  }, 120_000);

  it.each(PERSONAS.map((p) => [p.name, p] as const))('%s: ≥ 7 of the top 10 in their genres, no film twice, none they rated', (_, p) => {
    const ratings = p.ratings.map(([title, rating]) => ({ item: ds.titles.indexOf(title), rating }));
    expect(ratings.every((r) => r.item >= 0)).toBe(true);
    const list = recommend(run.weights, run.vocab, ratings, { top: 10, pick }).recommendations;
    expect(list).toHaveLength(10);
    const v = personaVerdict(p, list);
    expect(v.inGenre, list.map((x) => x.title).join('; ')).toBeGreaterThanOrEqual(7);
    expect(v.distinct).toBe(10);
    expect(v.rated).toBe(0);
  });

  it('a snapshot keeps the pick model: the same list without the dataset', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'factorlens-pick-'));
    await saveSnapshot('with-pick', { ...run, pick }, { dir });
    const loaded = await loadSnapshot('with-pick', { dir });
    expect(loaded.pick).toBeDefined();
    for (const k of ['popularity', 'neighbourStart', 'neighbourIdx', 'neighbourVal', 'likerStart', 'likers'] as const) {
      expect(Array.from(loaded.pick![k])).toEqual(Array.from(pick[k]));
    }
    const p = PERSONAS[2];
    const ratings = p.ratings.map(([title, rating]) => ({ item: ds.titles.indexOf(title), rating }));
    const before = recommend(run.weights, run.vocab, ratings, { pick }).recommendations.map((x) => x.index);
    const after = recommend(loaded.weights, loaded.vocab, ratings, { pick: loaded.pick! }).recommendations.map((x) => x.index);
    expect(after).toEqual(before);
    await rm(dir, { recursive: true, force: true });
  });

  it('the plain predicted-stars list is one option away and differs', () => {
    const p = PERSONAS[0];
    const ratings = p.ratings.map(([title, rating]) => ({ item: ds.titles.indexOf(title), rating }));
    const a = recommend(run.weights, run.vocab, ratings, { pick }).recommendations.map((x) => x.index);
    const b = recommend(run.weights, run.vocab, ratings, { pick, ranking: 'stars' }).recommendations.map((x) => x.index);
    expect(a).not.toEqual(b);
  });
});

describe('the new-user benchmark protocol', () => {
  it('held-out users have no rating in the training data, and earliest means earliest', async () => {
    const ds = await loadDataset(testDataDir());
    const out = [3, 10, 41];
    const rest = withoutUsers(ds, out);
    expect(rest.nUsers).toBe(ds.nUsers - 3);
    expect(rest.nItems).toBe(ds.nItems);
    expect(rest.userIds).not.toContain(ds.userIds[10]);
    expect(rest.nRatings).toBe(ds.nRatings - out.reduce((n, u) => n + ds.userCount[u], 0));
    const rows = [
      { item: 5, rating: 4 },
      { item: 9, rating: 2 },
      { item: 1, rating: 5 },
    ];
    const { revealed, hidden } = revealRatings({ id: 1, rows }, 2, 'earliest', 14);
    expect(revealed).toEqual(rows.slice(0, 2));
    expect(hidden).toEqual(rows.slice(2));
    const random = revealRatings({ id: 1, rows }, 2, 'random', 14);
    expect([...random.revealed, ...random.hidden].sort((a, b) => a.item - b.item)).toEqual([...rows].sort((a, b) => a.item - b.item));
  });
});

describe('the new-user benchmark with the questionnaire', () => {
  it('reveal 0 is the questionnaire alone; its lists beat popularity; answers from half the ratings score only the other half', async () => {
    const ds = await loadDataset(testDataDir());
    const base = { reveal: [0], modes: ['earliest' as const], groupSize: 60, validationGroups: 1, reportGroups: 1, questionnaire: true, answersFrom: 'hidden' as const };
    const r = await newUserBenchmark(ds, {}, base);
    const cell = r.cells[0];
    expect(cell.reveal).toBe(0);
    expect(cell.ours).toBe('questionnaire');
    const ndcg = (m: string) => cell.rows.find((x) => x.method === m)!.ndcg;
    expect(ndcg('questionnaire')).toBeGreaterThan(ndcg('popularity'));
    expect(cell.vsPopularity.ratio).toBeCloseTo(ndcg('questionnaire') / ndcg('popularity'), 10);
    const row = cell.rows.find((x) => x.method === 'questionnaire')!;
    expect(row.ndcgInterval.low).toBeLessThan(row.ndcg);
    expect(row.ndcgInterval.high).toBeGreaterThan(row.ndcg);
    const half = await newUserBenchmark(ds, {}, { ...base, answersFrom: 'half' });
    const recall = (c: typeof cell, m: string) => c.rows.find((x) => x.method === m)!.recall;
    // half the hidden ratings are scored: popularity's precision roughly halves, its recall does not
    const p = (c: typeof cell) => c.rows.find((x) => x.method === 'popularity')!.precision;
    expect(p(half.cells[0])).toBeLessThan(0.7 * p(cell));
    expect(recall(half.cells[0], 'popularity')).toBeGreaterThan(0.7 * recall(cell, 'popularity'));
  }, 240_000);
});

describe('the pick model on large data', () => {
  it("keeps each user's most recent ratings when every pair would cost too much, and everything when it fits", async () => {
    const { recentRatings } = await import('../../src/model/interpret/pickAndLike.js');
    // user 0 has 6 ratings (timestamps 1..6), user 1 has 2: 36 + 4 = 40 pairs
    const c = { users: [0, 0, 0, 0, 0, 0, 1, 1], items: [0, 1, 2, 3, 4, 5, 0, 1], ratings: [5, 4, 3, 2, 1, 5, 4, 4], timestamps: [6, 5, 4, 3, 2, 1, 1, 2] };
    expect(recentRatings(c, 2, 40)).toBe(c);
    // a budget of 20 pairs allows a cap of 4 (16 + 4): user 0 keeps timestamps 3..6, rows 0..3
    const cut = recentRatings(c, 2, 20);
    expect(Array.from(cut.items)).toEqual([0, 1, 2, 3, 0, 1]);
    expect(Array.from(cut.timestamps!)).toEqual([6, 5, 4, 3, 1, 2]);
  });
});
