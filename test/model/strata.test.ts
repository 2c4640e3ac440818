/**
 * The threaded trainer (engine/strata.ts): its kernels against a plain-JS reference of the same math,
 * its threads against running their blocks one after another (they must agree to the last bit: the
 * strata keep the threads' rows disjoint), and its quality against the one-thread solver on data with
 * a known answer.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PLANTED_SMALL, noiseFloor, plantedDataset, plantedMapRmse, usersOnlyOracleRmse } from '../../bench/planted.js';
import { makeSplit } from '../../src/data/index.js';
import { selectRows, type Columns } from '../../src/model/evaluate/metrics.js';
import { modelShape } from '../../src/model/engine/layout.js';
import { mulberry32, shuffle } from '../../src/model/engine/random.js';
import { SPARSE_WASM_BASE64 } from '../../src/model/engine/wasm/sparse.wasm.js';
import { StrataTrainer, balancedGroups, roundRange } from '../../src/model/engine/strata.js';
import { resolveOptions } from '../../src/model/train/defaults.js';
import { trainModel } from '../../src/model/train/train.js';
import type { DotBiasWeights, DotWeights, ModelKind } from '../../src/model/types.js';

const open: StrataTrainer[] = [];
afterAll(async () => {
  await Promise.all(open.map((t) => t.close()));
});

function tiny(nUsers: number, nItems: number, n: number, seed: number): Columns {
  const rng = mulberry32(seed);
  const users = Int32Array.from({ length: n }, () => Math.floor(rng() * nUsers));
  const items = Int32Array.from({ length: n }, () => Math.floor(Math.pow(rng(), 2) * nItems));
  const ratings = Float32Array.from({ length: n }, () => 1 + Math.floor(rng() * 5));
  return { users, items, ratings };
}

function trainer(kind: ModelKind, data: Columns, valid: Columns | null, o: { threads: number; bs: number; inline?: boolean; nUsers: number; nItems: number; factors: number; seed?: number }) {
  const opts = resolveOptions({ model: kind, factors: o.factors, bs: o.bs });
  const t = new StrataTrainer(modelShape(opts, o.nUsers, o.nItems), mulberry32(o.seed ?? 5), data, valid, {
    threads: o.threads,
    bs: o.bs,
    yRange: [0, 5.5],
    wd: 0.05,
    beta2: 0.99,
    eps: 1e-5,
    inline: o.inline,
  });
  open.push(t);
  return t;
}

describe('sparse kernels', () => {
  const mod = new WebAssembly.Module(Buffer.from(SPARSE_WASM_BASE64, 'base64'));
  const memory = new WebAssembly.Memory({ initial: 4, maximum: 4, shared: true });
  const k = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as { exp(x: number): number; shuffle(p: number, n: number, s: number): void };

  it('exp is exact to double rounding over the range training uses', () => {
    let worst = 0;
    for (let x = -60; x <= 60; x += 0.0173) worst = Math.max(worst, Math.abs(k.exp(x) / Math.exp(x) - 1));
    expect(worst).toBeLessThan(1e-14);
    expect(k.exp(0)).toBe(1);
  });

  it('the record shuffle is the permutation engine/random.ts makes with the same seed', () => {
    const n = 5000;
    const recs = new Int32Array(memory.buffer, 0, 3 * n);
    for (let i = 0; i < 3 * n; i++) recs[i] = i;
    k.shuffle(0, n, 0xdeadbeef | 0);
    const order = Int32Array.from({ length: n }, (_, i) => i);
    shuffle(order, mulberry32(0xdeadbeef));
    for (let i = 0; i < n; i++) expect([recs[3 * i], recs[3 * i + 1], recs[3 * i + 2]]).toEqual([3 * order[i], 3 * order[i] + 1, 3 * order[i] + 2]);
  });
});

/**
 * The textbook of what one thread computes: minibatch gradients of the MSE, then for every row the
 * batch touched the decay it owes (exactly, in double precision) and PyTorch's AdamW step on its own
 * moments; rows outside the batch stay as they are. Double precision throughout.
 */
function referenceRun(kind: ModelKind, start: DotWeights | DotBiasWeights, data: Columns, batches: Int32Array[], lrs: number[], wd: number) {
  const k = start.userDim;
  const bias = kind === 'dotbias';
  const rows = (n: number) => Array.from({ length: n }, () => ({ w: new Float64Array(k + 1), m: new Float64Array(k + 1), v: new Float64Array(k + 1), g: new Float64Array(k + 1), last: 0 }));
  const U = rows(start.nUsers);
  const I = rows(start.nItems);
  U.forEach((r, u) => {
    for (let j = 0; j < k; j++) r.w[j] = start.userFactors[u * k + j];
    if (bias) r.w[k] = (start as DotBiasWeights).userBias[u];
  });
  I.forEach((r, i) => {
    for (let j = 0; j < k; j++) r.w[j] = start.itemFactors[i * k + j];
    if (bias) r.w[k] = (start as DotBiasWeights).itemBias[i];
  });
  let logDecay = 0;
  batches.forEach((batch, s) => {
    const t = s + 1;
    const lr = lrs[s];
    const b1 = 0.9;
    const touched = new Set<(typeof U)[number]>();
    for (const row of batch) {
      const u = U[data.users[row]];
      const it = I[data.items[row]];
      let z = 0;
      for (let j = 0; j < k; j++) z += u.w[j] * it.w[j];
      if (bias) z += u.w[k] + it.w[k];
      const sg = 1 / (1 + Math.exp(-z));
      const err = 5.5 * sg - data.ratings[row];
      const dz = (2 / batch.length) * err * 5.5 * sg * (1 - sg);
      for (let j = 0; j < k; j++) {
        u.g[j] += dz * it.w[j];
        it.g[j] += dz * u.w[j];
      }
      if (bias) {
        u.g[k] += dz;
        it.g[k] += dz;
      }
      touched.add(u).add(it);
    }
    logDecay += Math.log(1 - lr * wd);
    const a = lr / (1 - Math.pow(b1, t));
    const c = 1 / Math.sqrt(1 - Math.pow(0.99, t));
    for (const r of touched) {
      const f = Math.exp(logDecay - r.last);
      r.last = logDecay;
      for (let j = 0; j <= k; j++) {
        r.m[j] = b1 * r.m[j] + (1 - b1) * r.g[j];
        r.v[j] = 0.99 * r.v[j] + 0.01 * r.g[j] * r.g[j];
        r.w[j] = r.w[j] * f - (a * r.m[j]) / (Math.sqrt(r.v[j]) * c + 1e-5);
        r.g[j] = 0;
      }
    }
  });
  for (const r of [...U, ...I]) {
    const f = Math.exp(logDecay - r.last);
    for (let j = 0; j <= k; j++) r.w[j] *= f;
  }
  return { U, I };
}

describe('the threaded trainer', () => {
  for (const kind of ['dot', 'dotbias'] as const) {
    it(`${kind}: one thread's steps are sparse AdamW with exact lazy decay (a plain-JS reference in double precision)`, () => {
      const data = tiny(40, 25, 600, 3);
      const t = trainer(kind, data, null, { threads: 1, bs: 48, nUsers: 40, nItems: 25, factors: 6 });
      const start = t.weights() as DotWeights;
      const epochRng = mulberry32(77);
      const seed = Math.floor(mulberry32(77)() * 4294967296);
      t.beginEpoch(epochRng);
      const lrs = Array.from({ length: t.plan.steps }, (_, s) => 0.01 + 0.002 * s);
      for (let s = 0; s < t.plan.steps; s++) t.step(s, (s2) => ({ lr: lrs[s2], beta1: 0.9 }));
      // the same batches: one block holds the rows in order, shuffled with the epoch's seed
      const order = Int32Array.from({ length: data.ratings.length }, (_, i) => i);
      shuffle(order, mulberry32(seed));
      const batches = Array.from({ length: t.plan.steps }, (_, s) => {
        const [lo, hi] = roundRange(t.plan, 0, Math.floor(s / t.plan.rounds), s % t.plan.rounds);
        return order.slice(lo, hi);
      });
      expect(batches.reduce((n, b) => n + b.length, 0)).toBe(data.ratings.length);
      const ref = referenceRun(kind, start, data, batches, lrs, 0.05);
      const got = t.weights() as DotBiasWeights;
      let worst = 0;
      ref.U.forEach((r, u) => {
        for (let j = 0; j < 6; j++) worst = Math.max(worst, Math.abs(r.w[j] - got.userFactors[u * 6 + j]));
        if (kind === 'dotbias') worst = Math.max(worst, Math.abs(r.w[6] - got.userBias[u]));
      });
      ref.I.forEach((r, i) => {
        for (let j = 0; j < 6; j++) worst = Math.max(worst, Math.abs(r.w[j] - got.itemFactors[i * 6 + j]));
        if (kind === 'dotbias') worst = Math.max(worst, Math.abs(r.w[6] - got.itemBias[i]));
      });
      // the weights moved (lr ~0.01 for 12 steps) and agree with the reference to float32 rounding
      const moved = Math.max(...Array.from(got.userFactors, (x, i) => Math.abs(x - start.userFactors[i])));
      expect(moved).toBeGreaterThan(0.01);
      expect(worst).toBeLessThan(2e-5);
    });
  }

  it('N threads compute exactly what their blocks give one after another on one thread (no lost or torn updates)', async () => {
    const data = tiny(300, 120, 20_000, 9);
    const valid = tiny(300, 120, 2000, 10);
    const run = (inline: boolean) => {
      const t = trainer('dotbias', data, valid, { threads: 2, bs: 256, inline, nUsers: 300, nItems: 120, factors: 8 });
      const rng = mulberry32(3);
      for (let e = 0; e < 2; e++) {
        t.beginEpoch(rng);
        for (let s = 0; s < t.plan.steps; s++) t.step(s, () => ({ lr: 0.02, beta1: 0.9 }));
      }
      return { w: t.weights() as DotBiasWeights, pred: t.predictValid(), t };
    };
    const threaded = run(false);
    const serial = run(true);
    expect(threaded.t.threadCount).toBe(2);
    expect(Array.from(threaded.w.userFactors)).toEqual(Array.from(serial.w.userFactors));
    expect(Array.from(threaded.w.itemFactors)).toEqual(Array.from(serial.w.itemFactors));
    expect(Array.from(threaded.w.itemBias)).toEqual(Array.from(serial.w.itemBias));
    expect(Array.from(threaded.pred)).toEqual(Array.from(serial.pred));
  });

  it('the strata cover every rating once an epoch, in blocks of balanced size', () => {
    const data = tiny(500, 200, 30_000, 4);
    const t = trainer('dot', data, null, { threads: 3, bs: 512, nUsers: 500, nItems: 200, factors: 4 });
    const { plan } = t;
    let covered = 0;
    for (let s = 0; s < plan.steps; s++) {
      const stratum = Math.floor(s / plan.rounds);
      for (let th = 0; th < 3; th++) {
        const [lo, hi] = roundRange(plan, th * 3 + ((th + (stratum % 3)) % 3), Math.floor(stratum / 3), s % plan.rounds);
        covered += hi - lo;
      }
    }
    expect(covered).toBe(30_000);
    const sizes = Array.from({ length: 9 }, (_, b) => plan.blockStart[b + 1] - plan.blockStart[b]);
    expect(Math.max(...sizes) / Math.min(...sizes)).toBeLessThan(1.5);
    // groups balance ratings, not heads: 10+3+2+1 against 9+8
    const counts = [10, 1, 9, 2, 8, 3];
    const groups = balancedGroups(Int32Array.from(counts), 2);
    expect([0, 1].map((g) => counts.reduce((s, c, i) => s + (groups[i] === g ? c : 0), 0))).toEqual([16, 17]);
  });
});

describe('threads in training, on data with a known answer', () => {
  const { ds, model } = plantedDataset(PLANTED_SMALL);
  const split = makeSplit(ds, 'random');
  const floor = noiseFloor(model, ds, split.valid).rmse;

  it('two threads train as well as one (sparse AdamW, its weight decay), near the noise floor', async () => {
    const events: string[] = [];
    const two = await trainModel(ds, split, { threads: 2, bs: 64, wd: 0.01 }, { onEvent: (e) => e.type === 'start' && events.push(`${e.weightsIn} ${e.threads}`) });
    const one = await trainModel(ds, split, { threads: 1, bs: 64 });
    const rmse2 = two.epochs.at(-1)!.validRmse;
    const rmse1 = one.epochs.at(-1)!.validRmse;
    expect(events).toEqual(['shared 2']);
    expect(floor).toBeGreaterThan(0.69);
    expect(rmse2).toBeLessThan(floor + 0.06);
    expect(Math.abs(rmse2 - rmse1)).toBeLessThan(0.02);
    // what training reported is what the handed-on weights predict
    const { evaluateWeights } = await import('../../src/model/evaluate/metrics.js');
    expect(evaluateWeights(two.weights, ds, split).rmse).toBeCloseTo(rmse2, 5);
    // and the planted biases are found: learned movie biases follow the planted ones
    const w = two.weights as DotBiasWeights;
    const planted = Array.from({ length: ds.nItems }, (_, i) => model.movieBias[Number(ds.itemIds[i]) - 1]);
    expect(correlation(Array.from(w.itemBias), planted)).toBeGreaterThan(0.8);
  });

  it('the bounds of what can be reached: the floor, then the users fitted to the true movies, then the planted model\'s own MAP fit', async () => {
    const usersOnly = usersOnlyOracleRmse(model, ds, split.train, split.valid);
    const map = plantedMapRmse(model, ds, split.train, split.valid);
    expect(usersOnly).toBeGreaterThan(floor);
    // estimating the movies too costs something, but a MAP fit that knows the rank stays close to the oracle
    expect(map).toBeGreaterThan(usersOnly - 0.005);
    expect(map).toBeLessThan(usersOnly + 0.03);
    // a trainer that knows neither the rank nor the priors does not beat it
    const r = await trainModel(ds, split, { threads: 2, bs: 64, wd: 0.01 });
    expect(r.epochs.at(-1)!.validRmse).toBeGreaterThan(map - 0.005);
  });

  it('a cancelled threaded run keeps the last finished epoch and ends its threads', async () => {
    const controller = new AbortController();
    let epochs = 0;
    const r = await trainModel(ds, split, { threads: 2, bs: 64, wd: 0.01, epochs: 5 }, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'epoch' && ++epochs === 2) controller.abort();
      },
    });
    expect(r.reason).toBe('cancelled');
    expect(r.epochs).toHaveLength(2);
    const { evaluateWeights } = await import('../../src/model/evaluate/metrics.js');
    expect(evaluateWeights(r.weights, ds, split).rmse).toBeCloseTo(r.epochs[1].validRmse, 5);
  });

  it('refuses threads for the nn model and out-of-range counts, naming the value', () => {
    expect(() => resolveOptions({ model: 'nn', threads: 2 })).toThrow(/nn model trains on one thread/);
    expect(() => resolveOptions({ threads: 0 })).toThrow(/threads must be a whole number from 1 to 64, got 0/);
  });
});

function correlation(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((x, y) => x + y, 0) / n;
  const mb = b.reduce((x, y) => x + y, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}
