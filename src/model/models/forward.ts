/**
 * Predictions of any model kind, all through its one forward pass (kind.logits) and what its output
 * means (kind.output): sigmoid_range of a logit, a rating clipped to the scale, or a score that only
 * ranks. `scoreItems` scores every movie for one user; `predictRows` scores (user, movie) pairs, a user
 * at a time.
 */
import { ModelError } from '../errors.js';
import type { ModelWeights } from '../types.js';
import { kindOf } from './index.js';
import type { KindOutput } from './kind.js';

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** fastai's sigmoid_range: squashes a logit into (low, high). */
export function sigmoidRange(x: number, yRange: readonly [number, number]): number {
  return yRange[0] + (yRange[1] - yRange[0]) * sigmoid(x);
}

/** The logits `z` as the kind's output, in place. */
export function applyOutput(output: KindOutput, yRange: readonly [number, number], z: Float32Array | Float64Array): void {
  if (output === 'rank') return;
  const [lo, hi] = yRange;
  if (output === 'rating') {
    for (let k = 0; k < z.length; k++) z[k] = z[k] < lo ? lo : z[k] > hi ? hi : z[k];
    return;
  }
  for (let k = 0; k < z.length; k++) z[k] = sigmoidRange(z[k], yRange);
}

const allItemsCache = new Map<number, Int32Array>();

/** 0..n-1, shared. */
export function allItems(n: number): Int32Array {
  let a = allItemsCache.get(n);
  if (!a) {
    a = Int32Array.from({ length: n }, (_, i) => i);
    if (allItemsCache.size > 8) allItemsCache.clear();
    allItemsCache.set(n, a);
  }
  return a;
}

/** A trained user's parameter vector θ, in the layout fold-in uses. */
export function trainedUser(w: ModelWeights, user: number): Float64Array {
  checkIndex(user, w.nUsers, 'user');
  return kindOf(w).trainedUser(w, user);
}

/** Every movie's output for a user θ: the predicted rating (a score, for the rank-only kinds). */
export function scoreItems(w: ModelWeights, theta: ArrayLike<number>, out?: Float32Array): Float32Array {
  const res = out ?? new Float32Array(w.nItems);
  const kind = kindOf(w);
  kind.logits(w, theta, allItems(w.nItems), res);
  applyOutput(kind.output, w.yRange, res);
  return res;
}

/**
 * Every movie's score to rank by: the output, except that a clipped rating ranks by its value before
 * clipping (clipping at the scale's top would tie every movie a model rates above it, and a tie is
 * broken by index, not by the model).
 */
export function rankScores(w: ModelWeights, theta: ArrayLike<number>, out?: Float32Array): Float32Array {
  const res = out ?? new Float32Array(w.nItems);
  const kind = kindOf(w);
  kind.logits(w, theta, allItems(w.nItems), res);
  if (kind.output !== 'rating') applyOutput(kind.output, w.yRange, res);
  return res;
}

export interface RowColumns {
  users: Int32Array;
  items: Int32Array;
}

/** Predicted ratings (scores, for the rank-only kinds) of (user, movie) pairs of trained users, grouped by user so each θ is prepared once. */
export function predictRows(w: ModelWeights, rows: RowColumns, out?: Float32Array): Float32Array {
  const n = rows.users.length;
  if (rows.items.length !== n) throw new ModelError(`predictRows: ${n} users but ${rows.items.length} items`);
  const res = out ?? new Float32Array(n);
  const kind = kindOf(w);
  // counting sort of the rows by user
  const start = new Int32Array(w.nUsers + 1);
  for (let r = 0; r < n; r++) {
    checkIndex(rows.users[r], w.nUsers, 'user');
    checkIndex(rows.items[r], w.nItems, 'item');
    start[rows.users[r] + 1]++;
  }
  for (let u = 0; u < w.nUsers; u++) start[u + 1] += start[u];
  const fill = start.slice(0, w.nUsers);
  const order = new Int32Array(n);
  for (let r = 0; r < n; r++) order[fill[rows.users[r]]++] = r;
  const items = new Int32Array(n);
  for (let k = 0; k < n; k++) items[k] = rows.items[order[k]];
  const z = new Float64Array(n);
  for (let u = 0; u < w.nUsers; u++) {
    const a = start[u];
    const b = start[u + 1];
    if (a === b) continue;
    kind.logits(w, kind.trainedUser(w, u), items.subarray(a, b), z.subarray(a, b));
  }
  applyOutput(kind.output, w.yRange, z);
  for (let k = 0; k < n; k++) res[order[k]] = z[k];
  return res;
}

function checkIndex(i: number, n: number, what: string): void {
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new ModelError(`${what} index ${i} is outside 0..${n - 1}`);
}

const transposes = new WeakMap<ModelWeights, ModelWeights>();

/**
 * The model seen from its movies (kind.transposed), made once per weights so its fold-in prior and
 * caches are too: a movie's φ is a user θ of it. Throws for a kind without per-movie parameters.
 */
export function transposedWeights(w: ModelWeights): ModelWeights {
  let t = transposes.get(w);
  if (!t) {
    const kind = kindOf(w);
    if (!kind.transposed) throw new ModelError(`a ${w.kind} model has no per-movie parameters to start a new movie from`);
    t = kind.transposed(w);
    transposes.set(w, t);
    transposes.set(t, w);
  }
  return t;
}

/** A trained movie's parameters φ (its factors, and bias where the kind has one). */
export function trainedItem(w: ModelWeights, item: number): Float64Array {
  return trainedUser(transposedWeights(w), item);
}

/** The predicted rating of a movie with parameters φ for every trained user. */
export function scoreUsers(w: ModelWeights, phi: ArrayLike<number>, out?: Float32Array): Float32Array {
  return scoreItems(transposedWeights(w), phi, out);
}

/** The weights with movies appended (each by its φ). */
export function withItems(w: ModelWeights, items: readonly ArrayLike<number>[]): ModelWeights {
  const kind = kindOf(w);
  if (!kind.withItems) throw new ModelError(`a ${w.kind} model cannot take a new movie`);
  return kind.withItems(w, items);
}
