/**
 * The first seed's point, shown on the trained model: an embedding lookup is a one-hot vector times
 * the factor matrix, done by indexing. Builds both with tfjs, compares them, times them, and works out
 * what the one-hot way would cost in memory at MovieLens 100K and Netflix scale.
 */
import * as tf from '../runtime/tf.js';
import { initBackend } from '../runtime/backend.js';
import { ModelError } from '../errors.js';
import { kindOf } from '../models/index.js';
import type { BackendChoice, ModelWeights } from '../types.js';

export interface OneHotOptions {
  /** Timed repetitions of each method (the median is reported). */
  repeats: number;
  /** Batch size of the timed batch and of the memory arithmetic (the seeds' bs 64). */
  batch: number;
  seed: number;
  backend: BackendChoice;
}

export const DEFAULT_ONE_HOT: OneHotOptions = { repeats: 30, batch: 64, seed: 42, backend: 'auto' };

export interface ScaleCost {
  name: string;
  nUsers: number;
  nItems: number;
  /** float32 one-hot inputs of one batch: batch × (nUsers + nItems) × 4 bytes. */
  oneHotBytes: number;
  /** What the lookup reads instead: batch × 2 rows of `factors` float32s. */
  lookupBytes: number;
  /** Multiply-adds of one-hot × matrix for one batch (users and items), vs none for a lookup. */
  matMulFlops: number;
}

export interface OneHotReport {
  user: number;
  userId: string;
  nUsers: number;
  factors: number;
  /** U[u] via tf.gather and via tf.matMul(tf.oneHot(u), U). */
  lookup: number[];
  viaOneHot: number[];
  /** max |gather − matMul| over the chosen user's row and over the whole timed batch. */
  maxAbsDiff: number;
  batchMaxAbsDiff: number;
  /** How many entries of the one-hot vector are not zero (1, at index `user`). */
  oneHotNonZeros: number;
  timing: {
    repeats: number;
    batch: number;
    /** Median milliseconds per call, data read back included. */
    gatherMs: number;
    oneHotMatMulMs: number;
    /** oneHotMatMulMs / gatherMs. */
    ratio: number;
  };
  memory: ScaleCost[];
  backend: string;
}

/** The two scales the seeds talk about, and this model's. */
export function scaleCosts(batch: number, factors: number, own?: { nUsers: number; nItems: number }): ScaleCost[] {
  const scales = [
    { name: 'MovieLens 100K', nUsers: 943, nItems: 1682 },
    { name: 'Netflix Prize', nUsers: 480189, nItems: 17770 },
  ];
  if (own && !scales.some((s) => s.nUsers === own.nUsers && s.nItems === own.nItems)) scales.unshift({ name: 'this model', ...own });
  return scales.map((s) => ({
    ...s,
    oneHotBytes: batch * (s.nUsers + s.nItems) * 4,
    lookupBytes: batch * 2 * factors * 4,
    matMulFlops: batch * (s.nUsers + s.nItems) * factors,
  }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function oneHotVsLookup(w: ModelWeights, user: number, userId: string, options: Partial<OneHotOptions> = {}): Promise<OneHotReport> {
  const o = { ...DEFAULT_ONE_HOT, ...options };
  if (!Number.isInteger(user) || user < 0 || user >= w.nUsers) throw new ModelError(`user index ${user} is outside 0..${w.nUsers - 1}`);
  if (!Number.isInteger(o.repeats) || o.repeats < 1) throw new ModelError(`repeats must be a whole number of at least 1, got ${o.repeats}`);
  if (!Number.isInteger(o.batch) || o.batch < 1) throw new ModelError(`batch must be a whole number of at least 1, got ${o.batch}`);
  const users = kindOf(w).userVectors(w);
  if (!users) throw new ModelError(`the ${w.kind} model has no user embedding table: one_hot(u)·U is not available for this model`);
  const backend = await initBackend(o.backend);
  const n = w.nUsers;
  const d = users.dim;
  // A batch that starts with the chosen user, then pseudo-random others (deterministic per seed).
  const ids = new Int32Array(o.batch);
  let s = o.seed >>> 0;
  ids[0] = user;
  for (let i = 1; i < ids.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    ids[i] = s % n;
  }
  const U = tf.tensor2d(users.values, [n, d]);
  const one = tf.tensor1d([user], 'int32');
  const batch = tf.tensor1d(ids, 'int32');
  try {
    // One-hot rows must be float for matMul: tf.oneHot gives int32.
    const viaOneHot = (idx: tf.Tensor1D) => tf.tidy(() => tf.matMul(tf.cast(tf.oneHot(idx, n), 'float32'), U));
    const viaGather = (idx: tf.Tensor1D) => tf.gather(U, idx);
    const read = (t: tf.Tensor) => {
      const v = t.dataSync() as Float32Array;
      t.dispose();
      return v;
    };
    const nonZeros = tf.tidy(() => tf.sum(tf.notEqual(tf.oneHot(one, n), 0)).dataSync()[0]);
    const a = read(viaGather(one));
    const b = read(viaOneHot(one));
    const ab = read(viaGather(batch));
    const bb = read(viaOneHot(batch));
    const maxDiff = (x: Float32Array, y: Float32Array) => x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i])), 0);

    const time = (f: () => tf.Tensor) => {
      read(f()); // warm-up: the first call compiles / allocates
      const ms: number[] = [];
      for (let r = 0; r < o.repeats; r++) {
        const t0 = performance.now();
        read(f());
        ms.push(performance.now() - t0);
      }
      return median(ms);
    };
    const gatherMs = time(() => viaGather(batch));
    const oneHotMatMulMs = time(() => viaOneHot(batch));
    return {
      user,
      userId,
      nUsers: n,
      factors: d,
      lookup: Array.from(a),
      viaOneHot: Array.from(b),
      maxAbsDiff: maxDiff(a, b),
      batchMaxAbsDiff: maxDiff(ab, bb),
      oneHotNonZeros: nonZeros,
      timing: { repeats: o.repeats, batch: o.batch, gatherMs, oneHotMatMulMs, ratio: gatherMs > 0 ? oneHotMatMulMs / gatherMs : NaN },
      memory: scaleCosts(o.batch, d, { nUsers: w.nUsers, nItems: w.nItems }),
      backend,
    };
  } finally {
    U.dispose();
    one.dispose();
    batch.dispose();
  }
}
