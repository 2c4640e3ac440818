/**
 * The search's own validation set, carved from the training ratings only: a seeded share of split.train
 * becomes the validation rows, the rest the search's training rows. The split's test rows (split.valid)
 * are not an input here, so no trial can see them; they are used once, by tune.ts, for the winner.
 */
import type { Split } from '../../data/types.js';
import { mulberry32, shuffle } from '../engine/random.js';

export interface Holdout {
  /** Rows the trials train on (a subset of split.train). */
  train: Int32Array;
  /** Rows the trials are judged on (the rest of split.train). */
  valid: Int32Array;
}

/** A seeded `share` of the training rows as validation (at least one row each side). */
export function carveHoldout(trainRows: Int32Array, share: number, seed: number): Holdout {
  if (!(share > 0 && share < 1)) throw new Error(`the search's validation share must be between 0 and 1, got ${share}`);
  const n = trainRows.length;
  if (n < 2) throw new Error(`too few training ratings to carve a validation set from: ${n}`);
  const nValid = Math.min(n - 1, Math.max(1, Math.round(n * share)));
  const order = Int32Array.from(trainRows);
  shuffle(order, mulberry32(seed ^ 0x5eed7));
  return { valid: order.slice(0, nValid).sort(), train: order.slice(nValid).sort() };
}

/** The holdout as a Split the trainer takes (its name is the original split's, for messages). */
export function holdoutSplit(name: Split['name'], h: Holdout): Split {
  return { name, train: h.train, valid: h.valid, coldUserRows: 0, coldItemRows: 0, description: `the search's holdout: ${h.train.length} train, ${h.valid.length} valid` };
}
