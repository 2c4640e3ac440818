/**
 * EASE^R (Steck 2019): a linear item-item model on the binary "rated it" matrix X, in closed form,
 *   P = (XᵀX + λI)⁻¹,   B = I − P·diag(1/diag(P))   (so B_ii = 0, B_ij = −P_ij / P_jj),
 * the least-squares B with a zero diagonal. A user's scores are x_u·B: the sum of the rows of B of the
 * items they rated. Rank only (it predicts no rating). Fold-in is that same sum for a new user's items.
 * Cost: XᵀX O(Σ_u n_u²), the inverse O(items³) (~2 s for 1682 items), memory O(items²). ML-25M's 59k
 * items would need 28 GB: there EASE must be restricted to the most-rated ~10–20k items.
 */
import { ModelError } from '../../errors.js';
import { spdInverse } from '../../interpret/linalg.js';
import type { RatedItems, RatingMatrix } from './ratings.js';
import { checkIndex, checkRated } from './ratings.js';

export interface EaseOptions {
  /** The L2 weight λ on B; it grows with the data (Steck used 200–1000 on larger sets). */
  lambda: number;
}

// Tuned on ML-100K: trained on 80 % of u1.base, ranked against the other 20 % (never u1.test):
// NDCG@10 λ 100 → 0.248, 200 → 0.261, 300 → 0.264, 500 → 0.265, 800 → 0.263, 1200 → 0.259.
// u1.base has 25 % more ratings than that tuning set, so a little more λ.
export const EASE_DEFAULTS: EaseOptions = { lambda: 400 };

export interface EaseModel {
  nItems: number;
  /** B row-major [items, items]. */
  weights: Float32Array;
  options: EaseOptions;
}

export function fitEase(m: RatingMatrix, options: Partial<EaseOptions> = {}, onProgress?: (fraction: number) => void): EaseModel {
  const o = { ...EASE_DEFAULTS, ...options };
  if (!(o.lambda > 0)) throw new ModelError(`EASE's lambda must be above 0, got ${o.lambda}`);
  const n = m.nItems;
  const gram = new Float64Array(n * n);
  for (let u = 0; u < m.nUsers; u++) {
    const a = m.userStart[u];
    const b = m.userStart[u + 1];
    for (let p = a; p < b; p++) {
      const row = m.userItems[p] * n;
      for (let q = a; q < b; q++) gram[row + m.userItems[q]] += 1;
    }
  }
  for (let i = 0; i < n; i++) gram[i * n + i] += o.lambda;
  onProgress?.(0.1);
  const p = spdInverse(gram, n);
  if (!p) throw new ModelError('EASE: XᵀX + λI is not positive definite (λ too small for float64?)');
  onProgress?.(0.9);
  const weights = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) weights[i * n + j] = i === j ? 0 : -p[i * n + j] / p[j * n + j];
  }
  onProgress?.(1);
  return { nItems: n, weights, options: o };
}

/** A trained user is their rated items (EASE ignores the rating values). */
export function easeTrainedUser(m: RatingMatrix, user: number): Int32Array {
  checkIndex(user, m.nUsers, 'user');
  return m.userItems.subarray(m.userStart[user], m.userStart[user + 1]);
}

/** A new user is the items they rated. */
export function easeFoldIn(model: EaseModel, rated: RatedItems): Int32Array {
  checkRated(rated, model.nItems);
  return Int32Array.from(rated.items);
}

/** x_u·B: the sum of B's rows of the user's items. */
export function scoreEase(model: EaseModel, items: Int32Array, out: Float32Array = new Float32Array(model.nItems)): Float32Array {
  const n = model.nItems;
  out.fill(0);
  for (const j of items) {
    const row = model.weights.subarray(j * n, (j + 1) * n);
    for (let i = 0; i < n; i++) out[i] += row[i];
  }
  return out;
}
