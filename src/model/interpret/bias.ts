/** The learned biases: which movies (and users) the model rates up or down regardless of taste. */
import { ModelError } from '../errors.js';
import { kindOf } from '../models/index.js';
import type { ModelWeights, Vocab } from '../types.js';
import { bottomK, topK } from './rank.js';

export type BiasKind = 'movie' | 'user';

export interface BiasOptions {
  kind: BiasKind;
  top: number;
  /** Leave out movies/users with fewer ratings (0 keeps all, as the seeds do). */
  minRatings: number;
}

export const DEFAULT_BIAS_OPTIONS: BiasOptions = { kind: 'movie', top: 5, minRatings: 0 };

export interface BiasEntry {
  index: number;
  /** Movie title, or "user <id>" for users. */
  name: string;
  bias: number;
  nRatings: number;
  meanRating: number;
}

export interface BiasRanking {
  kind: BiasKind;
  top: BiasEntry[];
  bottom: BiasEntry[];
}

export function biasRanking(w: ModelWeights, vocab: Vocab, options: Partial<BiasOptions> = {}): BiasRanking {
  const o = { ...DEFAULT_BIAS_OPTIONS, ...options };
  const both = kindOf(w).biases(w);
  const biases = o.kind === 'movie' ? both?.item : both?.user;
  if (!biases) {
    throw new ModelError(`model ${w.kind} has no bias terms; train dotbias (--model dotbias) to rank by bias`);
  }
  if (!Number.isInteger(o.top) || o.top < 1) throw new ModelError(`top must be a whole number of at least 1, got ${o.top}`);
  const counts = o.kind === 'movie' ? vocab.itemCount : vocab.userCount;
  const skip = (i: number) => (counts[i] ?? 0) < o.minRatings;
  const entry = (i: number): BiasEntry => ({
    index: i,
    name: o.kind === 'movie' ? vocab.titles[i] || `movie ${vocab.itemIds[i]}` : `user ${vocab.userIds[i]}`,
    bias: biases[i],
    nRatings: counts[i] ?? 0,
    meanRating: (o.kind === 'movie' ? vocab.itemMean[i] : vocab.userMean[i]) ?? 0,
  });
  return { kind: o.kind, top: topK(biases, o.top, skip).map(entry), bottom: bottomK(biases, o.top, skip).map(entry) };
}
