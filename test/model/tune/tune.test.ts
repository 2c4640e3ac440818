/**
 * The search on tiny planted data, in this thread: its validation rows come from the training rows only
 * (the test rows carry a rating of 1000, so any trial that trained or validated on one would show it),
 * the test rows are scored once at the end, the whole search is reproducible, and a budget is honoured.
 */
import { describe, expect, it } from 'vitest';
import type { Dataset, Split } from '../../../src/data/types.js';
import { mulberry32 } from '../../../src/model/engine/random.js';
import { inProcessPool, type TunePool } from '../../../src/model/runtime/tunePool.js';
import type { Holdout } from '../../../src/model/tune/holdout.js';
import { tuneModel } from '../../../src/model/tune/tune.js';

const SENTINEL = 1000;

/** Planted 2-factor ratings in 1..5; every fifth row is a test row, its rating replaced by the sentinel. */
function marked(nUsers = 60, nItems = 40, seed = 1): { ds: Dataset; split: Split } {
  const rng = mulberry32(seed);
  const U = Array.from({ length: nUsers }, () => [rng() * 2 - 1, rng() * 2 - 1]);
  const M = Array.from({ length: nItems }, () => [rng() * 2 - 1, rng() * 2 - 1]);
  const users: number[] = [];
  const items: number[] = [];
  const ratings: number[] = [];
  for (let u = 0; u < nUsers; u++)
    for (let i = 0; i < nItems; i++)
      if (rng() < 0.6) {
        users.push(u);
        items.push(i);
        ratings.push(1 + 4 / (1 + Math.exp(-3 * (U[u][0] * M[i][0] + U[u][1] * M[i][1]))));
      }
  const n = ratings.length;
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  const test = idx.filter((i) => i % 5 === 0);
  for (const r of test) ratings[r] = SENTINEL;
  const ds = {
    name: 'marked', nRatings: n, nUsers, nItems, users: Int32Array.from(users), items: Int32Array.from(items), ratings: Float32Array.from(ratings), timestamps: Float64Array.from({ length: n }, (_, i) => i),
    scale: { min: 1, max: 5, step: 0.001 }, userIds: Array.from({ length: nUsers }, (_, i) => String(i)), itemIds: Array.from({ length: nItems }, (_, i) => String(i)),
    titles: Array.from({ length: nItems }, (_, i) => `m${i}`), years: Array.from({ length: nItems }, () => null), genres: Array.from({ length: nItems }, () => []),
    itemCount: new Int32Array(nItems), itemMean: new Float32Array(nItems), userCount: new Int32Array(nUsers), userMean: new Float32Array(nUsers), hash: 'marked',
  } as unknown as Dataset;
  return { ds, split: { name: 'random', train: idx.filter((i) => i % 5 !== 0), valid: test, coldUserRows: 0, coldItemRows: 0, description: 'marked' } };
}

const PLAN = { eta: 3, rungs: [1 / 3, 1], bracketSize: 4 };

/** The in-process pool, recording what it is handed. */
function spyPool(ds: Dataset, slots: number) {
  const seen = { holdout: null as Holdout | null, finalRows: [] as Int32Array[] };
  const make = (h: Holdout): TunePool => {
    seen.holdout = h;
    const p = inProcessPool(ds, h, 'rmse', slots);
    return {
      ...p,
      final: (options, split, onEvent, signal, withPick) => {
        seen.finalRows.push(split.train);
        return p.final(options, split, onEvent, signal, withPick);
      },
    };
  };
  return { seen, make };
}

describe('tune', () => {
  it('judges trials on rows carved from the training set and scores the test rows once, at the end', async () => {
    const { ds, split } = marked();
    const spy = spyPool(ds, 2);
    const r = await tuneModel(ds, split, { model: 'dotbias', budgetSeconds: 120, maxTrials: 5, plan: PLAN, seed: 3, members: 2 }, spy.make);
    const testRows = new Set(split.valid);
    const h = spy.seen.holdout!;
    expect([...h.train, ...h.valid].some((row) => testRows.has(row))).toBe(false);
    expect([...h.train, ...h.valid].sort((a, b) => a - b)).toEqual([...split.train]);
    expect(h.valid.length).toBe(Math.round(split.train.length * 0.1));
    // no trial saw a sentinel: every finished metric is an RMSE on the 1..5 scale
    const finished = r.trials.filter((t) => Number.isFinite(t.metric));
    expect(finished.length).toBeGreaterThan(0);
    for (const t of finished) expect(t.metric).toBeLessThan(2);
    // the final members trained on exactly the training rows, and only the test score sees the sentinels
    expect(spy.seen.finalRows).toHaveLength(2);
    for (const rows of spy.seen.finalRows) expect([...rows]).toEqual([...split.train]);
    expect(r.finalFrom).toBe('retrained');
    expect(r.test!.rmse).toBeGreaterThan(SENTINEL - 10);
    expect(r.test!.n).toBe(split.valid.length);
    // the final run validated on nothing: only its last row carries the (test) numbers
    const rows = r.model!.epochs;
    expect(rows.slice(0, -1).every((e) => Number.isNaN(e.validRmse))).toBe(true);
    expect(rows.at(-1)!.validRmse).toBeCloseTo(r.test!.rmse, 6);
    expect(r.winner!.options.members).toBe(2);
    // the new-user ranking's pick model comes with it, fitted on the same training rows
    expect(r.model!.pick).toBeDefined();
  });

  it('fits the blend’s stack (dotbias, I-AutoRec, U-AutoRec) on the holdout alone; the final model is the stack retrained', async () => {
    const { ds, split } = marked();
    const spy = spyPool(ds, 1);
    const r = await tuneModel(ds, split, { model: 'autorec', budgetSeconds: 120, maxTrials: 1, plan: PLAN, seed: 3, members: 1 }, spy.make);
    expect(r.trials).toHaveLength(1);
    // a trial that had trained or validated on a sentinel row would be off the 1..5 scale
    expect(r.trials[0].metric).toBeLessThan(2);
    const stack = r.winner!.options.autorec!.stack!;
    for (const v of Object.values(stack)) expect(Number.isFinite(v)).toBe(true);
    expect(stack.users).not.toBe(0);
    expect(r.winner!.config).toContain('U-AR 500h');
    // the final model is one dotbias model: 50 + 500 + 500 factors, trained on the training rows only
    expect(r.model!.weights).toMatchObject({ kind: 'dotbias', userDim: 1050, itemDim: 1050 });
    for (const rows of spy.seen.finalRows) expect([...rows]).toEqual([...split.train]);
    expect(r.test!.rmse).toBeGreaterThan(SENTINEL - 10);
  }, 120_000);

  it('is reproducible: the same seed gives the same trials, decisions and winner (two slots, one thread)', async () => {
    const { ds, split } = marked(50, 30, 4);
    const run = () => tuneModel(ds, split, { model: 'dot,dotbias', budgetSeconds: 120, maxTrials: 10, plan: PLAN, seed: 9, members: 1 }, (h) => inProcessPool(ds, h, 'rmse', 2));
    const a = await run();
    const b = await run();
    const strip = (r: typeof a) => r.trials.map(({ seconds: _s, ...t }) => t);
    expect(strip(b)).toEqual(strip(a));
    expect(b.winner).toEqual(a.winner);
    expect(b.test).toEqual(a.test);
    const c = await tuneModel(ds, split, { model: 'dot,dotbias', budgetSeconds: 120, maxTrials: 10, plan: PLAN, seed: 10, members: 1 }, (h) => inProcessPool(ds, h, 'rmse', 2));
    expect(strip(c)).not.toEqual(strip(a));
  });

  it('a stop ends the search and still retrains the best; quitting stops the final run too', async () => {
    const { ds, split } = marked(80, 50, 6);
    const stop = new AbortController();
    const r = await tuneModel(ds, split, { model: 'dotbias', budgetSeconds: 120, plan: PLAN, seed: 2, members: 2 }, (h) => inProcessPool(ds, h, 'rmse', 2), {
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'trials' && e.best.length > 0) stop.abort();
      },
      throttleMs: 0,
    });
    expect(r.ended).toBe('stopped');
    expect(r.finalFrom, r.message).toBe('retrained');
    const quit = new AbortController();
    const q = await tuneModel(ds, split, { model: 'dotbias', budgetSeconds: 120, plan: PLAN, seed: 2, members: 2 }, (h) => inProcessPool(ds, h, 'rmse', 2), {
      quit: quit.signal,
      onEvent: (e) => {
        if (e.type === 'trials' && e.best.length > 0) quit.abort();
      },
      throttleMs: 0,
    });
    expect(q.ended).toBe('stopped');
    expect(q.finalFrom).toBe('trial');
  });

  it('searches a baseline by its own settings; a rank-only kind only in an NDCG search, reported without an RMSE', async () => {
    const { ds, split } = marked(60, 40, 7);
    const r = await tuneModel(ds, split, { model: 'mean,baseline', budgetSeconds: 120, maxTrials: 6, plan: PLAN, seed: 3, members: 2 }, (h) => inProcessPool(ds, h, 'rmse', 2));
    expect(new Set(r.trials.map((t) => t.candidate))).toEqual(new Set(['mean', 'baseline']));
    // nothing to search in the global mean: its anchor is its only trial
    expect(r.trials.filter((t) => t.candidate === 'mean')).toHaveLength(1);
    const baselines = r.trials.filter((t) => t.candidate === 'baseline');
    expect(baselines.length).toBeGreaterThan(1);
    for (const t of baselines) {
      expect(t.options.lr).toBeUndefined();
      expect(t.options.baseline!.regU).toBeGreaterThan(0);
    }
    expect(['mean', 'baseline']).toContain(r.winner!.candidate);
    expect(r.winner!.options.members).toBeUndefined();
    expect(r.test!.rmse).toBeGreaterThan(SENTINEL - 10);
    await expect(tuneModel(ds, split, { model: 'ease', budgetSeconds: 120, maxTrials: 2, plan: PLAN, seed: 3 }, (h) => inProcessPool(ds, h, 'rmse', 2))).rejects.toThrow(/predicts no rating/);
    const n = await tuneModel(ds, split, { model: 'popularity,ease', metric: 'ndcg', budgetSeconds: 120, maxTrials: 6, plan: PLAN, seed: 3, members: 2 }, (h) => inProcessPool(ds, h, 'ndcg', 2));
    expect(n.winner, n.message).not.toBeNull();
    expect(Number.isNaN(n.test!.rmse)).toBe(true);
    expect(n.test!.ndcg).toBeGreaterThan(0);
    expect(n.message).toMatch(/test NDCG@10/);
    expect(n.message).not.toMatch(/RMSE/);
  });

  it('honours a budget (search, final run and test together) within 5 %', async () => {
    const { ds, split } = marked(120, 80, 5);
    const t0 = performance.now();
    const r = await tuneModel(ds, split, { model: 'dotbias', budgetSeconds: 4, plan: PLAN, seed: 1, members: 2 }, (h) => inProcessPool(ds, h, 'rmse', 2));
    const wall = (performance.now() - t0) / 1000;
    expect(wall).toBeLessThan(4 * 1.05);
    expect(r.ended).toBe('budget');
    expect(r.trials.length).toBeGreaterThan(3);
    expect(r.test).not.toBeNull();
  });
});
