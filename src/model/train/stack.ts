/**
 * Stacking weights for models that share one output, sigmoid_range(z): the weights w_k and the bias c of
 * sigmoid_range(Σ_k w_k·z_k + c) that minimise the squared error on a validation set, fitted by damped
 * Gauss–Newton (a handful of parameters: it converges in a few steps). A small ridge pulls the weights
 * towards zero so that two near-identical models share their weight instead of cancelling out.
 * The result is applied to dotbias models exactly by stackDotbias (solvers/autorec.ts).
 */

export interface StackFit {
  weights: number[];
  bias: number;
  /** RMSE of the fitted stack on the rows it was fitted on. */
  rmse: number;
}

/** Ridge on the weights, per rating (the squared error is a mean over ratings). */
const RIDGE = 1e-4;

/** Inverse sigmoid_range, clipped just inside the range (float32 predictions saturate). */
export function logitsOf(pred: Float32Array, yRange: readonly [number, number]): Float64Array {
  const [lo, hi] = yRange;
  const out = new Float64Array(pred.length);
  for (let i = 0; i < pred.length; i++) {
    const q = Math.min(1 - 1e-7, Math.max(1e-7, (pred[i] - lo) / (hi - lo)));
    out[i] = Math.log(q / (1 - q));
  }
  return out;
}

/** Mean squared error (plus the ridge) of weights `p` (the bias last) on the rows. */
function loss(z: readonly Float64Array[], y: ArrayLike<number>, p: readonly number[], lo: number, span: number, ridge: number): { mse: number; objective: number } {
  const K = z.length;
  let se = 0;
  for (let i = 0; i < y.length; i++) {
    let s = p[K];
    for (let k = 0; k < K; k++) s += p[k] * z[k][i];
    const e = lo + span / (1 + Math.exp(-s)) - y[i];
    se += e * e;
  }
  const mse = se / Math.max(1, y.length);
  let reg = 0;
  for (let k = 0; k < K; k++) reg += p[k] * p[k];
  return { mse, objective: mse + ridge * reg };
}

/**
 * The stack of the models whose logits on the validation rows are `z` (one array per model), against the
 * ratings `y`. Starts from the plain average (weights 1/K, bias 0), so it never ends worse than that.
 */
export function fitStack(z: readonly Float64Array[], y: ArrayLike<number>, yRange: readonly [number, number], ridge = RIDGE): StackFit {
  const K = z.length;
  if (K === 0) throw new Error('fitStack: no models');
  for (const zk of z) if (zk.length !== y.length) throw new Error(`fitStack: ${zk.length} logits for ${y.length} ratings`);
  const [lo, hi] = yRange;
  const span = hi - lo;
  const n = Math.max(1, y.length);
  let p = [...new Array<number>(K).fill(1 / K), 0];
  let cur = loss(z, y, p, lo, span, ridge);
  let damping = 1e-6;
  for (let it = 0; it < 50; it++) {
    // normal equations of the linearised residuals: (JᵀJ/n + ridge + damping) δ = −(Jᵀe/n + ridge·w)
    const A = Array.from({ length: K + 1 }, () => new Float64Array(K + 1));
    const b = new Float64Array(K + 1);
    const g = new Float64Array(K + 1);
    for (let i = 0; i < y.length; i++) {
      let s = p[K];
      for (let k = 0; k < K; k++) s += p[k] * z[k][i];
      const sg = 1 / (1 + Math.exp(-s));
      const e = lo + span * sg - y[i];
      const d = span * sg * (1 - sg);
      for (let k = 0; k < K; k++) g[k] = d * z[k][i];
      g[K] = d;
      for (let a = 0; a <= K; a++) {
        b[a] += g[a] * e;
        for (let c = a; c <= K; c++) A[a][c] += g[a] * g[c];
      }
    }
    for (let a = 0; a <= K; a++) for (let c = 0; c < a; c++) A[a][c] = A[c][a];
    for (let a = 0; a <= K; a++) {
      for (let c = 0; c <= K; c++) A[a][c] /= n;
      b[a] /= n;
      if (a < K) {
        A[a][a] += ridge;
        b[a] += ridge * p[a];
      }
    }
    let improved = false;
    while (damping < 1e6) {
      const M = A.map((row, a) => Float64Array.from(row, (v, c) => (a === c ? v + damping * (1 + v) : v)));
      const step = solve(M, b);
      const next = p.map((v, j) => v - step[j]);
      const l = loss(z, y, next, lo, span, ridge);
      if (Number.isFinite(l.objective) && l.objective <= cur.objective) {
        improved = cur.objective - l.objective > 1e-12 * Math.max(1, cur.objective);
        p = next;
        cur = l;
        damping = Math.max(1e-9, damping / 10);
        break;
      }
      damping *= 10;
    }
    if (!improved) break;
  }
  return { weights: p.slice(0, K), bias: p[K], rmse: Math.sqrt(cur.mse) };
}

/** Gaussian elimination with partial pivoting (a small dense system). */
function solve(A: Float64Array[], b: Float64Array): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    [M[c], M[piv]] = [M[piv], M[c]];
    const d = M[c][c] || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c] / d;
      if (f !== 0) for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((row, i) => row[n] / (row[i] || 1e-12));
}
