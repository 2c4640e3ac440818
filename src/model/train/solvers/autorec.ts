/**
 * I-AutoRec and U-AutoRec (Sedhain et al. 2015) on plain typed arrays, trained so that they export as dotbias models.
 *
 * Each item i is encoded from its vector of training ratings r_i (observed users only):
 *   h_i = σ(W1ᵀ r_i + b1)                       (H hidden units)
 * and user u's rating of it is decoded as
 *   r̂_ui = sigmoid_range(W2[u] · h_i + b2[u], yRange)
 * with the loss on observed ratings only. That is exactly factorlens's dotbias forward with
 * userFactors = W2, userBias = b2, itemFactors = h_i and itemBias = 0, so a trained AutoRec is handed
 * on as DotBiasWeights of kind 'dotbias' and every pane of the app (biases, PCA, similar, fold-in) works
 * on it unchanged. Items without training ratings get h = σ(b1).
 *
 * U-AutoRec is the same network on the transposed ratings: each user is encoded from their vector of
 * ratings, h_u = σ(W1ᵀ r_u + b1), and decoded per item, r̂_ui = sigmoid_range(h_u · W2[i] + b2[i]) — again a
 * dotbias forward (userFactors = h_u, itemFactors = W2, itemBias = b2, userBias = 0), so the one solver
 * trains it with users and items swapped and the export is transposed back (userAutorecSolver).
 */
import { AdamW, TouchedRanges } from '../../engine/optimizer.js';
import { FlatParams } from '../../engine/params.js';
import type { Columns } from '../../evaluate/metrics.js';
import { fillNormal, mulberry32, shuffle, type Rng } from '../../engine/random.js';
import { predictRows } from '../../models/forward.js';
import type { DotBiasWeights, ModelWeights, Schedule } from '../../types.js';
import { runStages, type TrainHooks } from '../loop.js';
import type { Solver } from './solver.js';

export interface AutoRecOptions {
  hidden: number;
  epochs: number;
  lr: number;
  /** Coupled L2 on W1 and W2, in the paper's units: loss = Σ_observed err² + λ/2 (‖W1‖² + ‖W2‖²). */
  lambda: number;
  /** Decoupled (AdamW) weight decay on W1 and W2 (not the biases). */
  wd: number;
  /** Items per optimizer step. */
  bs: number;
  schedule: Schedule;
  yRange: [number, number];
  seed: number;
}

export const AUTOREC_DEFAULTS: AutoRecOptions = {
  hidden: 500,
  epochs: 60,
  lr: 3e-3,
  lambda: 1,
  wd: 0,
  bs: 64,
  schedule: 'one-cycle',
  yRange: [0, 5.5],
  seed: 42,
};

export interface AutoRecEpoch {
  epoch: number;
  trainLoss: number;
  validRmse: number;
  seconds: number;
}

export interface AutoRecResult {
  weights: DotBiasWeights;
  epochs: AutoRecEpoch[];
  seconds: number;
  /** True when the signal stopped it (the weights are those trained so far). */
  cancelled: boolean;
}

/** Item → (user, rating) compressed rows of the training ratings. */
interface ItemRows {
  start: Int32Array;
  users: Int32Array;
  ratings: Float32Array;
}

function itemRows(train: Columns, nItems: number): ItemRows {
  const start = new Int32Array(nItems + 1);
  for (let r = 0; r < train.items.length; r++) start[train.items[r] + 1]++;
  for (let i = 0; i < nItems; i++) start[i + 1] += start[i];
  const fill = start.slice(0, nItems);
  const users = new Int32Array(train.items.length);
  const ratings = new Float32Array(train.items.length);
  for (let r = 0; r < train.items.length; r++) {
    const k = fill[train.items[r]]++;
    users[k] = train.users[r];
    ratings[k] = train.ratings[r];
  }
  return { start, users, ratings };
}

/**
 * I-AutoRec's arithmetic as a solver for the training loop: a step is one batch of items, encoded,
 * decoded for their observed users, backpropagated, then AdamW. `handOn` turns the AutoRec's dotbias
 * weights into the model being trained (itself, or a blend with another model) for validation and output.
 */
export function autorecSolver(
  nUsers: number,
  nItems: number,
  train: Columns,
  o: AutoRecOptions,
  rng: Rng,
  handOn: (w: DotBiasWeights) => ModelWeights = (w) => w,
): Solver {
  const H = o.hidden;
  const [lo, hi] = o.yRange;
  const span = hi - lo;
  const rows = itemRows(train, nItems);
  const p = new FlatParams([
    { name: 'W1', shape: [nUsers, H] },
    { name: 'b1', shape: [H] },
    { name: 'W2', shape: [nUsers, H] },
    { name: 'b2', shape: [nUsers] },
  ]);
  const W1 = p.weight('W1');
  const b1 = p.weight('b1');
  const W2 = p.weight('W2');
  const b2 = p.weight('b2');
  const gW1 = p.grad('W1');
  const gb1 = p.grad('b1');
  const gW2 = p.grad('W2');
  const gb2 = p.grad('b2');
  const std = Math.sqrt(2 / (nUsers + H));
  fillNormal(W1, rng, std);
  fillNormal(W2, rng, std);
  let mean = 0;
  for (let r = 0; r < train.ratings.length; r++) mean += train.ratings[r];
  mean = train.ratings.length ? mean / train.ratings.length : (lo + hi) / 2;
  const q = Math.min(0.99, Math.max(0.01, (mean - lo) / span));
  // W2·h starts near 0 ± small; the bias starts at the logit of the mean rating
  b2.fill(Math.log(q / (1 - q)));

  const items = new Int32Array(nItems);
  for (let i = 0; i < nItems; i++) items[i] = i;
  const bs = Math.max(1, Math.min(o.bs, nItems));
  const opt = new AdamW(p);
  const touched = new TouchedRanges();
  touched.push(0, p.size);
  const l2 = o.lambda / Math.max(1, train.ratings.length);
  const a = new Float32Array(H);
  const h = new Float32Array(H);
  const dh = new Float32Array(H);
  let epochSum = 0;
  let lastGood = p.w.slice();
  const exported = () => exportAutoRec(p, rows, nUsers, nItems, H, o.yRange);

  /** Forward and backward of one item's observed ratings into the gradients; returns its squared error. */
  const item = (it: number, scale: number): number => {
    const r0 = rows.start[it];
    const r1 = rows.start[it + 1];
    if (r0 === r1) return 0;
    let se = 0;
    encode(W1, b1, H, rows, r0, r1, a, h);
    dh.fill(0);
    for (let r = r0; r < r1; r++) {
      const u = rows.users[r];
      const off = u * H;
      let z = b2[u];
      for (let j = 0; j < H; j++) z += W2[off + j] * h[j];
      const sg = 1 / (1 + Math.exp(-z));
      const err = lo + span * sg - rows.ratings[r];
      se += err * err;
      const dz = scale * err * span * sg * (1 - sg);
      gb2[u] += dz;
      for (let j = 0; j < H; j++) {
        gW2[off + j] += dz * h[j];
        dh[j] += dz * W2[off + j];
      }
    }
    for (let j = 0; j < H; j++) {
      const da = dh[j] * h[j] * (1 - h[j]);
      dh[j] = da;
      gb1[j] += da;
    }
    for (let r = r0; r < r1; r++) {
      const x = rows.ratings[r];
      const off = rows.users[r] * H;
      for (let j = 0; j < H; j++) gW1[off + j] += x * dh[j];
    }
    return se;
  };

  return {
    steps: Math.ceil(nItems / bs),
    nParams: p.size,
    weightsIn: 'own',
    threads: 1,
    beginEpoch() {
      shuffle(items, rng);
      epochSum = 0;
    },
    step(s, { lr, beta1 }) {
      const from = s * bs;
      const to = Math.min(nItems, from + bs);
      let nObs = 0;
      for (let k = from; k < to; k++) nObs += rows.start[items[k] + 1] - rows.start[items[k]];
      if (nObs === 0) return 0;
      let se = 0;
      for (let k = from; k < to; k++) se += item(items[k], 2 / nObs);
      epochSum += se;
      if (l2 > 0) {
        // per-rating objective: mean err² + λ/(2N)‖W‖², whose gradient adds (λ/N)·W
        for (let j = 0; j < W1.length; j++) gW1[j] += l2 * W1[j];
        for (let j = 0; j < W2.length; j++) gW2[j] += l2 * W2[j];
      }
      if (o.wd > 0) {
        // decoupled weight decay on the two weight matrices only (AdamW's, applied before its update)
        const decay = 1 - lr * o.wd;
        for (let j = 0; j < W1.length; j++) W1[j] *= decay;
        for (let j = 0; j < W2.length; j++) W2[j] *= decay;
      }
      opt.step({ lr, beta1, beta2: 0.99, eps: 1e-5, wd: 0 }, touched);
      return se / nObs;
    },
    epochLoss: () => epochSum / Math.max(1, train.ratings.length),
    predict: (valid) => predictRows(handOn(exported()), valid),
    keep: () => (lastGood = p.w.slice()),
    restore: () => p.w.set(lastGood),
    weights: () => handOn(exported()),
    dispose: () => p.dispose(),
  };
}

/** Users and items swapped: a model of the transposed ratings read the right way round (and back). */
export function transposeDotbias(w: DotBiasWeights): DotBiasWeights {
  return { ...w, nUsers: w.nItems, nItems: w.nUsers, userDim: w.itemDim, itemDim: w.userDim, userFactors: w.itemFactors, itemFactors: w.userFactors, userBias: w.itemBias, itemBias: w.userBias };
}

/** The (user, item) columns with users and items swapped. */
export const transposeColumns = (c: Columns): Columns => ({ users: c.items, items: c.users, ratings: c.ratings });

/**
 * U-AutoRec as a solver: autorecSolver on the transposed training ratings (a step is a batch of users),
 * its export transposed back into a dotbias model of (user, item) before it is handed on or validated.
 */
export function userAutorecSolver(
  nUsers: number,
  nItems: number,
  train: Columns,
  o: AutoRecOptions,
  rng: Rng,
  handOn: (w: DotBiasWeights) => ModelWeights = (w) => w,
): Solver {
  return autorecSolver(nItems, nUsers, transposeColumns(train), o, rng, (w) => handOn(transposeDotbias(w)));
}

/** Trains I-AutoRec on `train` alone; `valid` (optional) is only evaluated after each epoch, never trained on. */
export async function trainAutoRec(
  nUsers: number,
  nItems: number,
  train: Columns,
  partial: Partial<AutoRecOptions> = {},
  valid?: Columns,
  hooks: TrainHooks = {},
  /** U-AutoRec (users encoded) instead of I-AutoRec. */
  users = false,
): Promise<AutoRecResult> {
  const o: AutoRecOptions = { ...AUTOREC_DEFAULTS, ...partial };
  let weights: DotBiasWeights | null = null;
  const solver = () => (users ? userAutorecSolver : autorecSolver)(nUsers, nItems, train, o, mulberry32(o.seed));
  const r = await runStages(
    { stages: [() => ({ solver: solver(), epochs: o.epochs, lr: o.lr, schedule: o.schedule, name: '' })], totalEpochs: o.epochs, valid: valid ?? null, yRange: o.yRange, backend: 'js' },
    hooks,
    (_, s) => (weights = s.weights() as DotBiasWeights),
  );
  return {
    weights: weights!,
    epochs: r.epochs.map((e) => ({ epoch: e.epoch, trainLoss: e.trainLoss, validRmse: e.validRmse, seconds: e.seconds })),
    seconds: r.seconds,
    cancelled: r.reason === 'cancelled',
  };
}

function encode(W1: Float32Array, b1: Float32Array, H: number, rows: ItemRows, r0: number, r1: number, a: Float32Array, h: Float32Array): void {
  a.set(b1);
  for (let r = r0; r < r1; r++) {
    const x = rows.ratings[r];
    const off = rows.users[r] * H;
    for (let j = 0; j < H; j++) a[j] += x * W1[off + j];
  }
  for (let j = 0; j < H; j++) h[j] = 1 / (1 + Math.exp(-a[j]));
}

/** The trained AutoRec as dotbias weights: users W2 / b2, items their codes h_i, item bias 0. */
function exportAutoRec(p: FlatParams, rows: ItemRows, nUsers: number, nItems: number, H: number, yRange: [number, number]): DotBiasWeights {
  const W1 = p.weight('W1');
  const b1 = p.weight('b1');
  const itemFactors = new Float32Array(nItems * H);
  const a = new Float32Array(H);
  const h = new Float32Array(H);
  for (let i = 0; i < nItems; i++) {
    encode(W1, b1, H, rows, rows.start[i], rows.start[i + 1], a, h);
    itemFactors.set(h, i * H);
  }
  return {
    kind: 'dotbias',
    nUsers,
    nItems,
    userDim: H,
    itemDim: H,
    yRange: [yRange[0], yRange[1]],
    userFactors: p.weight('W2').slice(),
    itemFactors,
    userBias: p.weight('b2').slice(),
    itemBias: new Float32Array(nItems),
  };
}

/**
 * The logit-space stack Σ_k w_k·z_k + bias of dotbias models over the same users, items and yRange, as one
 * dotbias model (exact): factors side by side, model k's scaled by √|w_k| on both sides (its user side
 * negated when w_k < 0), biases mixed by the weights, `bias` added to every user's.
 */
export function stackDotbias(models: readonly DotBiasWeights[], weights: readonly number[], bias = 0): DotBiasWeights {
  if (models.length === 0 || models.length !== weights.length) throw new Error(`stackDotbias: ${models.length} models, ${weights.length} weights`);
  const a = models[0];
  for (const m of models) {
    if (m.nUsers !== a.nUsers || m.nItems !== a.nItems) throw new Error('stackDotbias: the models cover different users or items');
    if (m.yRange[0] !== a.yRange[0] || m.yRange[1] !== a.yRange[1]) throw new Error('stackDotbias: the models have different y ranges');
    if (m.userDim !== m.itemDim) throw new Error('stackDotbias: a model with different user and item dimensions');
  }
  for (const w of weights) if (!Number.isFinite(w)) throw new Error(`stackDotbias: weight ${w} is not a number`);
  if (!Number.isFinite(bias)) throw new Error(`stackDotbias: bias ${bias} is not a number`);
  const d = models.reduce((n, m) => n + m.userDim, 0);
  const cat = (side: 'user' | 'item', n: number): Float32Array => {
    const out = new Float32Array(n * d);
    let at = 0;
    models.forEach((m, k) => {
      const s = Math.sqrt(Math.abs(weights[k])) * (side === 'user' && weights[k] < 0 ? -1 : 1);
      const f = side === 'user' ? m.userFactors : m.itemFactors;
      for (let r = 0; r < n; r++) for (let j = 0; j < m.userDim; j++) out[r * d + at + j] = s * f[r * m.userDim + j];
      at += m.userDim;
    });
    return out;
  };
  const mix = (pick: (m: DotBiasWeights) => Float32Array, n: number, plus: number) => {
    const out = new Float32Array(n).fill(plus);
    models.forEach((m, k) => {
      const b = pick(m);
      for (let i = 0; i < n; i++) out[i] += weights[k] * b[i];
    });
    return out;
  };
  return {
    kind: 'dotbias',
    nUsers: a.nUsers,
    nItems: a.nItems,
    userDim: d,
    itemDim: d,
    yRange: [a.yRange[0], a.yRange[1]],
    userFactors: cat('user', a.nUsers),
    itemFactors: cat('item', a.nItems),
    userBias: mix((m) => m.userBias, a.nUsers, bias),
    itemBias: mix((m) => m.itemBias, a.nItems, 0),
  };
}

/**
 * The logit-space blend w·z_a + (1−w)·z_b of two dotbias models over the same users, items and yRange,
 * as one dotbias model (exact): factors are concatenated, scaled by √w and √(1−w), biases mixed.
 */
export function blendDotbias(a: DotBiasWeights, b: DotBiasWeights, w: number): DotBiasWeights {
  if (a.nUsers !== b.nUsers || a.nItems !== b.nItems) throw new Error('blendDotbias: the models cover different users or items');
  if (a.yRange[0] !== b.yRange[0] || a.yRange[1] !== b.yRange[1]) throw new Error('blendDotbias: the models have different y ranges');
  if (!(w >= 0 && w <= 1)) throw new Error(`blendDotbias: weight must be in [0, 1], got ${w}`);
  const sa = Math.sqrt(w);
  const sb = Math.sqrt(1 - w);
  const d = a.userDim + b.userDim;
  const cat = (fa: Float32Array, fb: Float32Array, n: number): Float32Array => {
    const out = new Float32Array(n * d);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < a.userDim; j++) out[r * d + j] = sa * fa[r * a.userDim + j];
      for (let j = 0; j < b.userDim; j++) out[r * d + a.userDim + j] = sb * fb[r * b.userDim + j];
    }
    return out;
  };
  const mix = (x: Float32Array, y: Float32Array) => x.map((v, i) => w * v + (1 - w) * y[i]);
  return {
    kind: 'dotbias',
    nUsers: a.nUsers,
    nItems: a.nItems,
    userDim: d,
    itemDim: d,
    yRange: [a.yRange[0], a.yRange[1]],
    userFactors: cat(a.userFactors, b.userFactors, a.nUsers),
    itemFactors: cat(a.itemFactors, b.itemFactors, a.nItems),
    userBias: mix(a.userBias, b.userBias),
    itemBias: mix(a.itemBias, b.itemBias),
  };
}
