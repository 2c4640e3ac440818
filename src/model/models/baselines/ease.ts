/**
 * EASE^R (Steck 2019): a linear item-item model on the binary "rated it" matrix X, in closed form,
 *   P = (XᵀX + λI)⁻¹,   B = I − P·diag(1/diag(P))   (so B_ii = 0, B_ij = −P_ij / P_jj),
 * the least-squares B with a zero diagonal. A user's scores are x_u·B: the sum of the rows of B of the
 * items they rated. Rank only (it predicts no rating). Fold-in is that same sum for a new user's items.
 * Cost: XᵀX O(Σ_u n_u²), the inverse O(items³) (~2 s for 1682 items), memory O(items²). ML-25M's 59k
 * items would need 28 GB: there EASE must be restricted to the most-rated ~10–20k items.
 */
import { ModelError } from '../../errors.js';
import { SPD_PHASES, SpdInverse } from '../../interpret/linalg.js';
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
  const fit = new EaseFit(m, options);
  for (let s = 0; s < fit.steps; s++) {
    fit.step(s);
    onProgress?.((s + 1) / fit.steps);
  }
  return fit.model();
}

/**
 * The closed form in steps, for a trainer that reports progress and can stop between them: XᵀX + λI,
 * then the inverse's three phases (Cholesky, L⁻¹, L⁻ᵀL⁻¹) in `slices` row ranges of equal work each,
 * then B. Until the last step the model is B = 0 (it scores every movie 0).
 */
export class EaseFit {
  readonly steps: number;
  readonly options: EaseOptions;
  private readonly n: number;
  private readonly bounds: number[];
  private inverse: SpdInverse | null = null;
  private readonly weights: Float32Array;

  constructor(private readonly m: RatingMatrix, options: Partial<EaseOptions> = {}, private readonly slices = 10) {
    this.options = { ...EASE_DEFAULTS, ...options };
    if (!(this.options.lambda > 0)) throw new ModelError(`EASE's lambda must be above 0, got ${this.options.lambda}`);
    this.n = m.nItems;
    // row i of each phase costs ~i²: equal work per slice puts the bounds at n·∛(k/slices), on multiples of 4
    this.bounds = Array.from({ length: slices + 1 }, (_, k) => Math.min(this.n, 4 * Math.ceil((this.n * Math.cbrt(k / slices)) / 4)));
    this.steps = 2 + SPD_PHASES.length * slices;
    this.weights = new Float32Array(this.n * this.n);
  }

  step(s: number): void {
    const { m, n } = this;
    if (s === 0) {
      const gram = new Float64Array(n * n);
      for (let u = 0; u < m.nUsers; u++) {
        const a = m.userStart[u];
        const b = m.userStart[u + 1];
        for (let p = a; p < b; p++) {
          const row = m.userItems[p] * n;
          for (let q = a; q < b; q++) gram[row + m.userItems[q]] += 1;
        }
      }
      for (let i = 0; i < n; i++) gram[i * n + i] += this.options.lambda;
      this.inverse = new SpdInverse(gram, n);
      return;
    }
    if (!this.inverse) throw new ModelError('EASE: steps must run in order');
    if (s <= SPD_PHASES.length * this.slices) {
      const phase = SPD_PHASES[Math.floor((s - 1) / this.slices)];
      const k = (s - 1) % this.slices;
      if (!this.inverse.run(phase, this.bounds[k], this.bounds[k + 1])) {
        throw new ModelError('EASE: XᵀX + λI is not positive definite (λ too small for float64?)');
      }
      return;
    }
    const p = this.inverse.result();
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) this.weights[i * n + j] = i === j ? 0 : -p[i * n + j] / p[j * n + j];
    }
    this.inverse = null;
  }

  model(): EaseModel {
    return { nItems: this.n, weights: this.weights, options: this.options };
  }
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
