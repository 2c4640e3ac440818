/**
 * A model trained elsewhere, as a snapshot: user and movie factor tables (Spark ALS's userFactors /
 * itemFactors written out as CSV, or any matrix factorisation's) become a dot or dotbias model that
 * every pane and command explores like one trained here.
 *
 * A table is one row per id: `id,f1,…,fk` (comma, tab or space separated; a header line — names after
 * the id, a column named "bias" among them — and Spark's `[f1, f2, …]` array text are understood). A
 * global mean, if the model has one, belongs in the user biases. Two links:
 *  - 'logit': the factors score in factorlens' own space, rating = sigmoid_range(u·m + b_u + b_m) —
 *    what a fastai / PyTorch DotProductBias learned.
 *  - 'linear': the factors predict the rating itself, rating = u·m (+ b_u + b_m + offset) — what ALS
 *    learns. A wide sigmoid_range is linear to within float precision near its middle, so the import
 *    scales the factors into it: y_range = mid ± W/2 with W = 1000, u' = u·√(4/W), m' = m·√(4/W),
 *    b' = 4(b − mid)/W; the largest difference from u·m over the ratings' scale is reported.
 */
import { readFile } from 'node:fs/promises';
import type { Dataset } from '../../data/types.js';
import { ModelError } from '../errors.js';
import { vocabFromDataset } from '../models/vocab.js';
import { resolveOptions } from '../train/defaults.js';
import type { DotBiasWeights, DotWeights, TrainResult, Vocab } from '../types.js';
import { sha256 } from './manifest.js';

export type FactorLink = 'logit' | 'linear';

export interface FactorTable {
  ids: string[];
  /** Row-major [ids.length, dim]. */
  factors: Float64Array;
  dim: number;
  /** Per row, when the table has a "bias" column. */
  bias: Float64Array | null;
}

/** Width of the sigmoid_range a linear model is placed in (see the header). */
export const LINEAR_WIDTH = 1000;

/** Reads a factor table (see the header for the format); errors name the file and line. */
export async function readFactorTable(file: string): Promise<FactorTable> {
  const text = await readFile(file, 'utf8');
  const lines = text.split(/\r?\n/);
  const split = (line: string) =>
    line
      .replace(/[[\]"]/g, ' ')
      .split(/[,\t ]+/)
      .filter((f) => f !== '');
  let biasCol = -1;
  let first = 0;
  const head = split(lines[0] ?? '');
  if (head.length > 1 && head.slice(1).every((f) => !Number.isFinite(Number(f)))) {
    biasCol = head.findIndex((f) => f.toLowerCase() === 'bias');
    first = 1;
  }
  const ids: string[] = [];
  const rows: number[][] = [];
  const biases: number[] = [];
  let dim = -1;
  for (let i = first; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const f = split(lines[i]);
    const values = f.slice(1).map(Number);
    if (f.length < 2 || values.some((x) => !Number.isFinite(x))) throw new ModelError(`${file}, line ${i + 1}: expected an id and numbers, got "${lines[i].slice(0, 80)}"`);
    let factors = values;
    if (biasCol > 0) {
      biases.push(values[biasCol - 1]);
      factors = values.filter((_, k) => k !== biasCol - 1);
    }
    if (dim < 0) dim = factors.length;
    if (factors.length !== dim) throw new ModelError(`${file}, line ${i + 1}: ${factors.length} factors where the first row has ${dim}`);
    ids.push(f[0]);
    rows.push(factors);
  }
  if (ids.length === 0) throw new ModelError(`${file} has no rows`);
  if (dim < 1) throw new ModelError(`${file}: a row needs at least one factor`);
  const factors = new Float64Array(ids.length * dim);
  rows.forEach((r, i) => factors.set(r, i * dim));
  return { ids, factors, dim, bias: biasCol > 0 ? Float64Array.from(biases) : null };
}

export interface ImportOptions {
  link: FactorLink;
  /** 'logit': the model's y_range (default 0..5.5); 'linear': the ratings' scale (default 0.5..5). */
  scale?: [number, number];
  /** The dataset the factors were trained on: titles, counts, and the identity eval checks. */
  dataset?: Dataset;
  /** Where the tables came from, for the snapshot's message. */
  source: string;
}

export interface ImportReport {
  result: TrainResult;
  /** Dataset users / movies without a row in the tables (their factors are zero). */
  missingUsers: number;
  missingItems: number;
  /** Table rows whose id the dataset does not have (left out). */
  unknownUsers: number;
  unknownItems: number;
  /** 'linear': the largest |prediction − u·m| the placement costs over the scale (in rating units). */
  linearError: number | null;
}

/** The tables as a model and everything a snapshot holds (TrainResult), ready for saveSnapshot. */
export function importFactors(users: FactorTable, items: FactorTable, o: ImportOptions): ImportReport {
  if (users.dim !== items.dim) throw new ModelError(`the user table has ${users.dim} factors and the movie table ${items.dim}: they must match`);
  const k = users.dim;
  const bias = users.bias !== null || items.bias !== null || o.link === 'linear';
  const vocab = o.dataset ? vocabFromDataset(o.dataset) : vocabFromIds(users.ids, items.ids);
  const userIndex = new Map(vocab.userIds.map((id, i) => [id, i]));
  const itemIndex = new Map(vocab.itemIds.map((id, i) => [id, i]));
  const nUsers = vocab.userIds.length;
  const nItems = vocab.itemIds.length;
  const [lo, hi] = o.scale ?? (o.link === 'linear' ? [vocab.scale?.min ?? 0.5, vocab.scale?.max ?? 5] : [0, 5.5]);
  const mid = (lo + hi) / 2;
  const c = o.link === 'linear' ? 4 / LINEAR_WIDTH : 1;
  const scaleF = Math.sqrt(c);
  const place = (t: FactorTable, index: Map<string, number>, n: number, extra: number) => {
    const f = new Float32Array(n * k);
    const b = new Float32Array(n).fill(extra);
    const seen = new Uint8Array(n);
    let unknown = 0;
    t.ids.forEach((id, r) => {
      const i = index.get(id);
      if (i === undefined) return void unknown++;
      seen[i] = 1;
      for (let j = 0; j < k; j++) f[i * k + j] = t.factors[r * k + j] * scaleF;
      if (t.bias) b[i] = extra + t.bias[r] * c;
    });
    return { f, b, missing: n - seen.reduce((a, x) => a + x, 0), unknown };
  };
  // a linear model's offset (the middle of the scale) goes into the user biases
  const U = place(users, userIndex, nUsers, o.link === 'linear' ? -c * mid : 0);
  const I = place(items, itemIndex, nItems, 0);
  const yRange: [number, number] = o.link === 'linear' ? [mid - LINEAR_WIDTH / 2, mid + LINEAR_WIDTH / 2] : [lo, hi];
  const base = { nUsers, nItems, yRange, userDim: k, itemDim: k, userFactors: U.f, itemFactors: I.f };
  const weights: DotWeights | DotBiasWeights = bias ? { ...base, kind: 'dotbias', userBias: U.b, itemBias: I.b } : { ...base, kind: 'dot' };
  // sigmoid_range(c·(p − mid)) against p over the scale, with room for predictions a little outside it
  let linearError: number | null = null;
  if (o.link === 'linear') {
    linearError = 0;
    for (let p = lo - 2; p <= hi + 2; p += (hi - lo + 4) / 400) {
      const z = Math.fround(c * (p - mid));
      const pred = yRange[0] + LINEAR_WIDTH / (1 + Math.exp(-z));
      linearError = Math.max(linearError, Math.abs(pred - p));
    }
  }
  const ds = o.dataset;
  const message = `imported from ${o.source} (${o.link} link, ${k} factors${bias ? ', biases' : ''})`;
  const result: TrainResult = {
    weights,
    vocab,
    options: resolveOptions({ model: weights.kind, factors: k, epochs: 1, yRange }),
    epochs: [],
    batchLosses: [],
    backend: 'import',
    reason: 'completed',
    message,
    seconds: 0,
    dataset: ds
      ? { name: ds.name, nRatings: ds.nRatings, nUsers: ds.nUsers, nItems: ds.nItems, hash: ds.hash }
      : { name: 'imported', nRatings: 0, nUsers, nItems, hash: sha256(`${users.ids.join(',')}\n${items.ids.join(',')}`) },
    split: 'random',
  };
  return { result, missingUsers: U.missing, missingItems: I.missing, unknownUsers: U.unknown, unknownItems: I.unknown, linearError };
}

/** A vocabulary from the tables' ids alone (no dataset): titles are the ids, counts unknown (0). */
function vocabFromIds(userIds: string[], itemIds: string[]): Vocab {
  const zeros = (n: number) => new Array<number>(n).fill(0);
  return {
    userIds: [...userIds],
    itemIds: [...itemIds],
    titles: itemIds.map((id) => `item ${id}`),
    years: itemIds.map(() => null),
    genres: itemIds.map(() => []),
    itemCount: zeros(itemIds.length),
    itemMean: zeros(itemIds.length),
    userCount: zeros(userIds.length),
    userMean: zeros(userIds.length),
  };
}
