/**
 * Multi-output ridge regression: Y (n×D) ≈ X (n×p) · B, B = (XᵀX + λ·I₀)⁻¹ XᵀY, with I₀ the identity
 * except on the intercept column, which is not shrunk. λ is chosen by K-fold cross-validation on a loss
 * the caller defines over held-out rows (e.g. the RMSE of a held-out movie's ratings predicted from its
 * predicted factors) — fitted, never set by hand. The spread of the rows around their prediction is the
 * residual covariance: the prior a new row's fold-in starts from.
 */
import { mulberry32 } from '../engine/random.js';
import { ModelError } from '../errors.js';
import { cholesky, choleskySolve } from '../interpret/linalg.js';

/** Rows of features and targets, row-major. */
export interface RidgeData {
  n: number;
  p: number;
  D: number;
  X: Float64Array;
  Y: Float64Array;
}

export interface RidgeFit {
  p: number;
  D: number;
  lambda: number;
  /** B, row-major p×D. */
  coef: Float64Array;
}

/** The rows `rows` of the data (all when absent), fitted at λ; column `intercept` is not penalised. */
export function fitRidge(d: RidgeData, lambda: number, rows?: ArrayLike<number>, intercept = 0): RidgeFit {
  if (!(lambda >= 0)) throw new ModelError(`ridge λ must be 0 or more, got ${lambda}`);
  const { p, D, X, Y } = d;
  const idx = rows ?? Int32Array.from({ length: d.n }, (_, i) => i);
  const A = new Float64Array(p * p);
  const B = new Float64Array(p * D);
  for (let k = 0; k < idx.length; k++) {
    const r = idx[k];
    const xo = r * p;
    const yo = r * D;
    for (let a = 0; a < p; a++) {
      const xa = X[xo + a];
      if (xa === 0) continue;
      for (let b = 0; b <= a; b++) A[a * p + b] += xa * X[xo + b];
      for (let j = 0; j < D; j++) B[a * D + j] += xa * Y[yo + j];
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) A[b * p + a] = A[a * p + b];
  // a feature no row has would make A singular at λ = 0: a tiny floor keeps it solvable (its coefficient is 0)
  for (let a = 0; a < p; a++) A[a * p + a] += (a === intercept ? 0 : lambda) + 1e-9;
  if (!cholesky(A, p)) throw new ModelError('ridge regression: the features are degenerate (XᵀX is not positive definite)');
  const coef = new Float64Array(p * D);
  const col = new Float64Array(p);
  for (let j = 0; j < D; j++) {
    for (let a = 0; a < p; a++) col[a] = B[a * D + j];
    choleskySolve(A, p, col);
    for (let a = 0; a < p; a++) coef[a * D + j] = col[a];
  }
  return { p, D, lambda, coef };
}

/** x · B for one row of features. */
export function predictRidge(fit: RidgeFit, x: ArrayLike<number>, out = new Float64Array(fit.D)): Float64Array {
  out.fill(0);
  for (let a = 0; a < fit.p; a++) {
    const xa = x[a];
    if (xa === 0) continue;
    for (let j = 0; j < fit.D; j++) out[j] += xa * fit.coef[a * fit.D + j];
  }
  return out;
}

/** The held-out loss of a prediction for some rows, as a sum and a count (pooled over the folds). */
export type HeldOutLoss = (rows: readonly number[], predicted: Float64Array) => { sum: number; count: number };

export interface LambdaChoice {
  lambda: number;
  /** The cross-validated loss (sum / count over every held-out row) at each λ tried. */
  curve: { lambda: number; loss: number }[];
}

export const LAMBDA_GRID = [0.01, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3000];

/** λ with the lowest K-fold loss over `rows` (seeded folds); ties go to the larger λ (the simpler model). */
export function chooseLambda(d: RidgeData, rows: readonly number[], loss: HeldOutLoss, options: { folds?: number; seed?: number; grid?: readonly number[] } = {}): LambdaChoice {
  const K = options.folds ?? 5;
  const grid = options.grid ?? LAMBDA_GRID;
  if (rows.length < K) throw new ModelError(`choosing the ridge λ needs at least ${K} rows, got ${rows.length}`);
  const order = rows.slice();
  const rand = mulberry32(options.seed ?? 19);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const folds = Array.from({ length: K }, (_, f) => order.filter((_, k) => k % K === f));
  const curve = grid.map((lambda) => {
    let sum = 0;
    let count = 0;
    for (let f = 0; f < K; f++) {
      const train = folds.flatMap((rs, g) => (g === f ? [] : rs));
      const fit = fitRidge(d, lambda, train);
      const pred = new Float64Array(folds[f].length * d.D);
      folds[f].forEach((r, k) => predictRidge(fit, d.X.subarray(r * d.p, (r + 1) * d.p), pred.subarray(k * d.D, (k + 1) * d.D)));
      const l = loss(folds[f], pred);
      sum += l.sum;
      count += l.count;
    }
    return { lambda, loss: count ? sum / count : NaN };
  });
  let best = curve[0];
  for (const c of curve) if (c.loss <= best.loss) best = c;
  return { lambda: best.lambda, curve };
}

/** Covariance (D×D) of Y − X·B over `rows`: how far real rows lie from what their features predict. */
export function residualCovariance(d: RidgeData, fit: RidgeFit, rows: readonly number[]): Float64Array {
  const { p, D } = d;
  const cov = new Float64Array(D * D);
  const pred = new Float64Array(D);
  const e = new Float64Array(D);
  const n = rows.length;
  for (const r of rows) {
    predictRidge(fit, d.X.subarray(r * p, (r + 1) * p), pred);
    for (let j = 0; j < D; j++) e[j] = d.Y[r * D + j] - pred[j];
    for (let a = 0; a < D; a++) for (let b = 0; b <= a; b++) cov[a * D + b] += (e[a] * e[b]) / Math.max(1, n - 1);
  }
  for (let a = 0; a < D; a++) for (let b = 0; b < a; b++) cov[b * D + a] = cov[a * D + b];
  return cov;
}
