/**
 * Similar movies: the model's own neighbours when its kind has them (item-kNN's similarities), else
 * movies whose factor vectors point the same way (cosine similarity in factor space).
 */
import { ModelError } from '../errors.js';
import { kindOf } from '../models/index.js';
import type { ModelWeights, Vocab } from '../types.js';
import { topKDistinct } from './rank.js';

export interface SimilarOptions {
  top: number;
  /**
   * Candidates need at least this many ratings. A movie rated once or twice keeps a vector close
   * to its random start shrunk by weight decay, and its cosine with anything is noise.
   */
  minRatings: number;
}

export const DEFAULT_SIMILAR_OPTIONS: SimilarOptions = { top: 10, minRatings: 20 };

export interface SimilarMovie {
  index: number;
  title: string;
  similarity: number;
  nRatings: number;
}

/**
 * Why cosine reads differently on the neural model: with no bias terms, its movie embeddings also carry
 * how well liked a movie is, and that shared direction dominates (Star Wars' nearest are other
 * well-liked films, cosine ~0.99). Measured on u1: centring the vectors does not change that.
 */
export const NN_SIMILARITY_NOTE =
  'nn embeddings also encode how well liked a movie is, so cosine here mostly finds other well-liked films; dotbias keeps that in its biases and its factors for taste';

const normCache = new WeakMap<ModelWeights, Float64Array>();

function vectorsOf(w: ModelWeights): { dim: number; values: Float32Array } {
  const v = kindOf(w).itemVectors(w);
  if (!v) throw new ModelError(`the ${w.kind} model has no movie vectors: cosine similarity is not available for this model`);
  return v;
}

/** L2 norm of every movie's factor vector, cached per model. */
export function itemNorms(w: ModelWeights): Float64Array {
  let norms = normCache.get(w);
  if (norms) return norms;
  const { dim: d, values } = vectorsOf(w);
  norms = new Float64Array(w.nItems);
  for (let i = 0; i < w.nItems; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += values[i * d + k] ** 2;
    norms[i] = Math.sqrt(s);
  }
  normCache.set(w, norms);
  return norms;
}

/** Cosine of two movies' factor vectors (0 when either is the zero vector). */
export function itemCosine(w: ModelWeights, a: number, b: number): number {
  const norms = itemNorms(w);
  const { dim: d, values } = vectorsOf(w);
  let dot = 0;
  for (let k = 0; k < d; k++) dot += values[a * d + k] * values[b * d + k];
  const den = norms[a] * norms[b];
  return den > 0 ? dot / den : 0;
}

/** What "similar" means for this model ("cosine of the movie factors", the kind's own measure), or null when nothing. */
export function similarityName(w: ModelWeights): string | null {
  const kind = kindOf(w);
  if (kind.neighbours) return kind.neighbours.name(w);
  return kind.itemVectors(w) ? 'cosine of the movie factors' : null;
}

/**
 * The model's similarity of two movies (its neighbours', else factor cosine), or null when it has
 * none. The row of the last first movie asked about is kept, so explaining one movie is cheap.
 */
export function itemSimilarity(w: ModelWeights): ((a: number, b: number) => number) | null {
  const kind = kindOf(w);
  const nb = kind.neighbours;
  if (nb) {
    let at = -1;
    let row: Float64Array = new Float64Array(0);
    return (a, b) => {
      if (a !== at) row = nb.row(w, (at = a));
      return row[b];
    };
  }
  return kind.itemVectors(w) ? (a, b) => itemCosine(w, a, b) : null;
}

export function similarMovies(w: ModelWeights, vocab: Vocab, item: number, options: Partial<SimilarOptions> = {}): SimilarMovie[] {
  const o = { ...DEFAULT_SIMILAR_OPTIONS, ...options };
  if (!Number.isInteger(item) || item < 0 || item >= w.nItems) throw new ModelError(`movie index ${item} is outside 0..${w.nItems - 1}`);
  if (!Number.isInteger(o.top) || o.top < 1) throw new ModelError(`top must be a whole number of at least 1, got ${o.top}`);
  const kind = kindOf(w);
  let sims: Float64Array;
  if (kind.neighbours) sims = kind.neighbours.row(w, item);
  else {
    if (!kind.itemVectors(w)) throw new ModelError(`the ${w.kind} model has neither movie vectors nor neighbours: similar movies are not available for this model`);
    sims = new Float64Array(w.nItems);
    for (let i = 0; i < w.nItems; i++) sims[i] = itemCosine(w, item, i);
  }
  // the same film under another id (ML-100K has a few) is not "similar" to itself
  const own = vocab.titles[item];
  const skip = (i: number) => i === item || (own !== undefined && vocab.titles[i] === own) || (vocab.itemCount[i] ?? 0) < o.minRatings;
  return topKDistinct(sims, o.top, skip, (i) => vocab.titles[i] ?? String(i)).map((i) => ({
    index: i,
    title: vocab.titles[i] ?? '',
    similarity: sims[i],
    nRatings: vocab.itemCount[i] ?? 0,
  }));
}
