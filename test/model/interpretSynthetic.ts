/** Tiny synthetic models with planted factors, for the interpretation tests. */
import type { DenseWeights, ModelKind, ModelWeights, Vocab } from '../../src/model/types.js';
import { loose, type LooseWeights } from '../helpers/weights.js';

/** Deterministic normal(0,1) stream (mulberry32 + Box-Muller). */
export function normals(seed: number): () => number {
  let s = seed >>> 0;
  const uni = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uni() + 1e-12)) * Math.cos(2 * Math.PI * uni());
}

export function randomArray(n: number, rnd: () => number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => rnd() * scale);
}

export function denseLayer(inDim: number, outDim: number, rnd: () => number): DenseWeights {
  return { inDim, outDim, kernel: randomArray(inDim * outDim, rnd, 1 / Math.sqrt(inDim)), bias: randomArray(outDim, rnd, 0.1) };
}

export interface SyntheticOptions {
  kind: ModelKind;
  nUsers: number;
  nItems: number;
  dim: number;
  seed: number;
  /** nn hidden sizes. */
  hidden: number[];
}

export function syntheticModel(partial: Partial<SyntheticOptions> = {}): ModelWeights {
  const o: SyntheticOptions = { kind: 'dotbias', nUsers: 200, nItems: 120, dim: 4, seed: 1, hidden: [16, 8], ...partial };
  const rnd = normals(o.seed);
  const w: LooseWeights = {
    kind: o.kind,
    nUsers: o.nUsers,
    nItems: o.nItems,
    userDim: o.dim,
    itemDim: o.kind === 'nn' ? o.dim + 2 : o.dim,
    yRange: [0, 5.5],
    userFactors: randomArray(o.nUsers * o.dim, rnd, 0.6),
    itemFactors: randomArray(o.nItems * (o.kind === 'nn' ? o.dim + 2 : o.dim), rnd, 0.6),
  };
  if (o.kind === 'dotbias') {
    w.userBias = randomArray(o.nUsers, rnd, 0.3);
    w.itemBias = Float32Array.from({ length: o.nItems }, () => 0.4 + rnd() * 0.4);
  }
  if (o.kind === 'nn') {
    const sizes = [w.userDim + w.itemDim, ...o.hidden, 1];
    w.layers = sizes.slice(1).map((out, l) => denseLayer(sizes[l], out, rnd));
  }
  return w as ModelWeights;
}

export function syntheticVocab(nUsers: number, nItems: number, counts?: number[]): Vocab {
  const itemCount = counts ?? Array.from({ length: nItems }, (_, i) => 100 - (i % 97));
  return {
    userIds: Array.from({ length: nUsers }, (_, u) => String(u + 1)),
    itemIds: Array.from({ length: nItems }, (_, i) => String(i + 1)),
    titles: Array.from({ length: nItems }, (_, i) => `Movie ${i} (1990)`),
    years: Array.from({ length: nItems }, () => 1990),
    genres: Array.from({ length: nItems }, (_, i) => [i % 2 ? 'Drama' : 'Action']),
    itemCount,
    itemMean: Array.from({ length: nItems }, (_, i) => 1 + (i % 5)),
    userCount: Array.from({ length: nUsers }, (_, u) => 20 + u),
    userMean: Array.from({ length: nUsers }, (_, u) => 2 + (u % 3)),
  };
}

/** The nn forward pass the slow, obvious way: concat, dense, ReLU, …, sigmoid_range. */
export function naiveNnPredict(w: ModelWeights, userVec: ArrayLike<number>, item: number): number {
  let x = [...Array.from(userVec).slice(0, loose(w).userDim), ...Array.from(loose(w).itemFactors.subarray(item * loose(w).itemDim, (item + 1) * loose(w).itemDim))];
  const layers = loose(w).layers!;
  layers.forEach((l, li) => {
    const y = Array.from(l.bias);
    for (let i = 0; i < l.inDim; i++) for (let o = 0; o < l.outDim; o++) y[o] += x[i] * l.kernel[i * l.outDim + o];
    x = li < layers.length - 1 ? y.map((v) => Math.max(0, v)) : y;
  });
  return w.yRange[0] + (w.yRange[1] - w.yRange[0]) / (1 + Math.exp(-x[0]));
}
