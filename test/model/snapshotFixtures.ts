import { loose } from '../helpers/weights.js';
/** Hand-built TrainResults for the snapshot tests: small random weights, a vocab with accented titles. */
import type { DenseWeights, ModelKind, ModelWeights, TrainResult } from '../../src/model/types.js';
import { DEFAULT_TRAIN_OPTIONS, resolveOptions } from '../../src/model/train/defaults.js';
import { solverFor } from '../../src/model/train/solvers/index.js';
import { mulberry32 } from '../../src/model/engine/random.js';
import { type LooseWeights } from '../helpers/weights.js';
import { kindOf } from '../../src/model/models/index.js';

/** mulberry32: a seeded stream, so a version number alone says what its weights must be. */
const rng = mulberry32;

function randArray(n: number, next: () => number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (next() - 0.5) * 0.2;
  return a;
}

export interface FixtureOptions {
  nUsers?: number;
  nItems?: number;
  factors?: number;
  seed?: number;
  layers?: number[];
}

/** The kinds whose weights are factor tables made here at random; the baselines are fitted (fitBaseline). */
export const FACTOR_KINDS: ModelKind[] = ['dot', 'dotbias', 'nn'];

/**
 * A baseline kind fitted on random ratings (each user rates about half the movies, 1–5 stars) by its own
 * solver, stepped the way the training loop steps it.
 */
export function fitBaseline(kind: ModelKind, o: FixtureOptions = {}): ModelWeights {
  const next = rng(o.seed ?? 1);
  const nUsers = o.nUsers ?? 7;
  const nItems = o.nItems ?? 5;
  const users: number[] = [];
  const items: number[] = [];
  const ratings: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    for (let i = 0; i < nItems; i++) {
      // everyone rates movie u % nItems, so no user is without ratings
      if (i !== u % nItems && next() < 0.5) continue;
      users.push(u);
      items.push(i);
      ratings.push(1 + Math.floor(next() * 5));
    }
  }
  const train = { users: Int32Array.from(users), items: Int32Array.from(items), ratings: Float32Array.from(ratings) };
  const opts = resolveOptions({ model: kind, ials: { factors: o.factors ?? 3, reg: 1, alpha: 5, epochs: 3, cgSteps: 3 }, ease: { lambda: 2 } });
  const entry = solverFor(kind);
  const solver = entry.make(opts, nUsers, nItems, train, mulberry32(o.seed ?? 1), [1, 5]);
  for (let e = 0; e < entry.epochs(opts); e++) {
    solver.beginEpoch();
    for (let s = 0; s < solver.steps; s++) solver.step(s, { lr: opts.lr, beta1: 0.9 });
    solver.keep();
  }
  return solver.weights();
}

export function makeWeights(kind: ModelKind, o: FixtureOptions = {}): ModelWeights {
  if (!FACTOR_KINDS.includes(kind)) return fitBaseline(kind, o);
  const next = rng(o.seed ?? 1);
  const nUsers = o.nUsers ?? 7;
  const nItems = o.nItems ?? 5;
  const userDim = kind === 'nn' ? 4 : (o.factors ?? 3);
  const itemDim = kind === 'nn' ? 6 : userDim;
  const w: LooseWeights = {
    kind,
    nUsers,
    nItems,
    userDim,
    itemDim,
    yRange: [0, 5.5],
    userFactors: randArray(nUsers * userDim, next),
    itemFactors: randArray(nItems * itemDim, next),
  };
  if (kind === 'dotbias') {
    w.userBias = randArray(nUsers, next);
    w.itemBias = randArray(nItems, next);
  }
  if (kind === 'nn') {
    const sizes = [userDim + itemDim, ...(o.layers ?? [8, 3]), 1];
    w.layers = sizes.slice(1).map(
      (outDim, i): DenseWeights => ({ inDim: sizes[i], outDim, kernel: randArray(sizes[i] * outDim, next), bias: randArray(outDim, next) }),
    );
  }
  return w as ModelWeights;
}

export function makeResult(kind: ModelKind, o: FixtureOptions = {}): TrainResult {
  const weights = makeWeights(kind, o);
  const { nUsers, nItems } = weights;
  const titles = Array.from({ length: nItems }, (_, i) => (i === 0 ? 'Misérables, Les (1995)' : `Movie ${i} (19${50 + i})`));
  return {
    weights,
    vocab: {
      userIds: Array.from({ length: nUsers }, (_, i) => String(i + 1)),
      itemIds: Array.from({ length: nItems }, (_, i) => String(100 + i)),
      titles,
      years: titles.map((_, i) => (i === 1 ? null : 1950 + i)),
      genres: titles.map((_, i) => (i % 2 ? ['Drama'] : ['Comedy', 'Romance'])),
      itemCount: titles.map((_, i) => i + 1),
      itemMean: titles.map((_, i) => 3 + i / 10),
      userCount: Array.from({ length: nUsers }, (_, i) => 20 + i),
      userMean: Array.from({ length: nUsers }, (_, i) => 3.5 + i / 100),
    },
    options: {
      ...resolveOptions({ model: kind }),
      factors: loose(weights).userDim || DEFAULT_TRAIN_OPTIONS.factors,
      layers: kind === 'nn' ? (o.layers ?? [8, 3]) : DEFAULT_TRAIN_OPTIONS.layers,
      seed: o.seed ?? 1,
    },
    epochs: [
      { epoch: 1, trainLoss: 1.1, validLoss: 1.0, validRmse: 1.0, validMae: 0.8, seconds: 0.5 },
      { epoch: 2, trainLoss: 0.85, validLoss: 0.9, validRmse: 0.9486832980505138, validMae: 0.75, seconds: 0.25 },
    ],
    batchLosses: [1.3, 1.2, 1.0 / 3, 0.9, 0.1 + 0.2],
    backend: 'cpu',
    reason: 'completed',
    message: `fixture seed ${o.seed ?? 1}`,
    seconds: 0.75,
    dataset: { name: 'fixture', nRatings: 42, nUsers, nItems, hash: 'ab'.repeat(32) },
    split: 'random',
  };
}

/** The raw bytes of every weight array, for bit-identical comparison (NaN payloads included). */
export function weightBytes(w: ModelWeights): Buffer[] {
  return [...kindOf(w).arrays(w).values()].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
}

/** Bit-identical weights? (Buffer.equals: vitest's deep equality is far too slow on 100k-element arrays.) */
export function sameWeights(a: ModelWeights, b: ModelWeights): boolean {
  const x = weightBytes(a);
  const y = weightBytes(b);
  return x.length === y.length && x.every((buf, i) => buf.equals(y[i]));
}
