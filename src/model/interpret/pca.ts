/** PCA of the movie factors, as in the seeds: the most-rated movies' vectors, centred, top K axes. */
import { PCA } from 'ml-pca';
import { ModelError } from '../errors.js';
import { kindOf } from '../models/index.js';
import type { ModelWeights, Vocab } from '../types.js';
import { topEigen } from './eigen.js';
import { topK } from './rank.js';

export interface PcaOptions {
  /** How many of the most-rated movies to analyse. */
  movies: number;
  components: number;
}

export const DEFAULT_PCA_OPTIONS: PcaOptions = { movies: 1000, components: 3 };

export interface PcaMovie {
  index: number;
  title: string;
  nRatings: number;
  /** Coordinates on the K components. */
  coords: number[];
}

export interface PcaResult {
  /** Share of the total variance of the centred factors carried by each component. */
  explainedVariance: number[];
  /** K unit vectors in factor space; the sign is fixed so each one's largest entry is positive. */
  components: number[][];
  /** The mean of the analysed movies' factors: what the coordinates are measured from. */
  center: number[];
  movies: PcaMovie[];
}

export function moviePca(w: ModelWeights, vocab: Vocab, options: Partial<PcaOptions> = {}): PcaResult {
  const o = { ...DEFAULT_PCA_OPTIONS, ...options };
  const factors = kindOf(w).itemVectors(w);
  if (!factors) throw new ModelError(`the ${w.kind} model has no movie factor vectors: PCA is not available for this model`);
  const d = factors.dim;
  if (!Number.isInteger(o.movies) || o.movies < 2) throw new ModelError(`movies must be a whole number of at least 2, got ${o.movies}`);
  if (!Number.isInteger(o.components) || o.components < 1 || o.components > d) {
    throw new ModelError(`components must be a whole number from 1 to ${d} (the factor size), got ${o.components}`);
  }
  const chosen = mostRated(vocab, w.nItems, o.movies);
  // n centred points span at most n − 1 directions: more components would be noise around zero
  if (o.components > chosen.length - 1) {
    throw new ModelError(`components must be at most ${chosen.length - 1} for ${chosen.length} movies (n points span n − 1 directions), got ${o.components}`);
  }
  const rows = chosen.map((i) => Array.from(factors.values.subarray(i * d, (i + 1) * d)));
  const { ratios, vectors } = d > WIDE ? covariancePca(rows, d, o.components) : svdPca(rows, o.components);
  const components: number[][] = [];
  for (const v of vectors) {
    let big = 0;
    for (const x of v) if (Math.abs(x) > Math.abs(big)) big = x;
    components.push(big < 0 ? v.map((x) => -x) : v);
  }
  const means = new Array<number>(d).fill(0);
  for (const r of rows) for (let k = 0; k < d; k++) means[k] += r[k] / rows.length;
  const movies = chosen.map((index, n) => ({
    index,
    title: vocab.titles[index] ?? '',
    nRatings: vocab.itemCount[index] ?? 0,
    coords: components.map((v) => v.reduce((s, x, k) => s + x * (rows[n][k] - means[k]), 0)),
  }));
  return { explainedVariance: ratios, components, center: means, movies };
}

/** Any factor vector on the same map (a new movie's, say): its coordinates on the result's components. */
export function pcaProject(result: PcaResult, factors: ArrayLike<number>): number[] {
  if (factors.length !== result.center.length) throw new ModelError(`a ${factors.length}-factor vector cannot go on a map of ${result.center.length}-factor movies`);
  return result.components.map((v) => v.reduce((s, x, k) => s + x * (factors[k] - result.center[k]), 0));
}

/** Factor sizes above this use the covariance's top eigenpairs instead of a full SVD (which takes seconds). */
const WIDE = 64;

/**
 * ml-pca's default SVD path: centred data, right singular vectors = covariance eigenvectors,
 * eigenvalues s²/(n−1) sorted descending (checked against a Jacobi eigen-decomposition in tests).
 */
function svdPca(rows: number[][], k: number): { ratios: number[]; vectors: number[][] } {
  const pca = new PCA(rows, { method: 'SVD', center: true, scale: false });
  const K = Math.min(k, pca.getEigenvalues().length);
  const m = pca.getEigenvectors();
  return { ratios: pca.getExplainedVariance().slice(0, K), vectors: Array.from({ length: K }, (_, c) => m.getColumn(c)) };
}

/** The same PCA for wide factors: covariance (d×d) of the centred rows, its top k eigenpairs, ratios to its trace. */
function covariancePca(rows: number[][], d: number, k: number): { ratios: number[]; vectors: number[][] } {
  const n = rows.length;
  const mean = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j] / n;
  const cov = new Float64Array(d * d);
  const x = new Float64Array(d);
  for (const r of rows) {
    for (let j = 0; j < d; j++) x[j] = r[j] - mean[j];
    for (let i = 0; i < d; i++) {
      const xi = x[i] / (n - 1);
      const row = i * d;
      for (let j = i; j < d; j++) cov[row + j] += xi * x[j];
    }
  }
  let trace = 0;
  for (let i = 0; i < d; i++) {
    trace += cov[i * d + i];
    for (let j = i + 1; j < d; j++) cov[j * d + i] = cov[i * d + j];
  }
  const { values, vectors } = topEigen(cov, d, k);
  return { ratios: values.map((v) => (trace > 0 ? v / trace : 0)), vectors: vectors.map((v) => Array.from(v)) };
}

/** The movies at both ends of one component: what the axis "means". */
export function pcaExtremes(result: PcaResult, component: number, n: number): { positive: PcaMovie[]; negative: PcaMovie[] } {
  const scores = result.movies.map((m) => m.coords[component]);
  return {
    positive: topK(scores, n).map((i) => result.movies[i]),
    negative: topK(scores.map((s) => -s), n).map((i) => result.movies[i]),
  };
}

function mostRated(vocab: Vocab, nItems: number, n: number): number[] {
  const counts = Float64Array.from({ length: nItems }, (_, i) => vocab.itemCount[i] ?? 0);
  return topK(counts, Math.min(n, nItems));
}
