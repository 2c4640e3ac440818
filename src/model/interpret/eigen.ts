/**
 * The few largest eigenpairs of a symmetric positive semi-definite matrix, for PCA of wide factors:
 * ml-pca's full SVD of 1000 movies × 550 factors takes ~5 s (a frozen screen); the top components by
 * subspace iteration on the covariance take a few hundred milliseconds.
 */
import { mulberry32 } from '../engine/random.js';

export interface Eigen {
  /** Largest first. */
  values: number[];
  /** Unit vectors, one per value. */
  vectors: Float64Array[];
}

/** Top `k` eigenpairs of the d×d symmetric matrix `a` (row-major), to about 1e-10 relative. */
export function topEigen(a: Float64Array, d: number, k: number, maxIter = 500): Eigen {
  const b = Math.min(d, k + 8); // a few extra vectors speed convergence (rate λ_{b+1} / λ_k)
  const rng = mulberry32(1);
  let v: Float64Array[] = Array.from({ length: b }, () => Float64Array.from({ length: d }, () => rng() - 0.5));
  orthonormalize(v);
  let last = new Float64Array(k).fill(NaN);
  for (let it = 0; it < maxIter; it++) {
    v = v.map((x) => multiply(a, d, x));
    const norms = v.map((x) => Math.sqrt(dot(x, x)));
    orthonormalize(v);
    if (it % 5 === 4) {
      // ‖A v‖ of the orthonormalised block settles on the eigenvalues as the block converges
      const now = Float64Array.from(norms.slice(0, k));
      let change = 0;
      for (let j = 0; j < k; j++) change = Math.max(change, Math.abs(now[j] - last[j]) / Math.max(now[0], 1e-300));
      last = now;
      if (change < 1e-11) break;
    }
  }
  // Rayleigh–Ritz: the best eigenvectors inside the converged block
  const av = v.map((x) => multiply(a, d, x));
  const h = Array.from({ length: b }, (_, i) => Array.from({ length: b }, (_, j) => dot(v[i], av[j])));
  const ritz = jacobiEigen(h);
  return {
    values: ritz.values.slice(0, k).map((x) => Math.max(0, x)),
    vectors: ritz.vectors.slice(0, k).map((coef) => {
      const out = new Float64Array(d);
      for (let j = 0; j < b; j++) for (let t = 0; t < d; t++) out[t] += coef[j] * v[j][t];
      return out;
    }),
  };
}

function multiply(a: Float64Array, d: number, x: Float64Array): Float64Array {
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    const row = i * d;
    for (let j = 0; j < d; j++) s += a[row + j] * x[j];
    out[i] = s;
  }
  return out;
}

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/** Modified Gram–Schmidt, twice for stability; a vector that vanishes is replaced by a unit axis. */
function orthonormalize(v: Float64Array[]): void {
  for (let pass = 0; pass < 2; pass++) {
    v.forEach((x, i) => {
      for (let j = 0; j < i; j++) {
        const p = dot(v[j], x);
        for (let t = 0; t < x.length; t++) x[t] -= p * v[j][t];
      }
      const n = Math.sqrt(dot(x, x));
      if (n > 1e-300) for (let t = 0; t < x.length; t++) x[t] /= n;
      else {
        x.fill(0);
        x[i % x.length] = 1;
      }
    });
  }
}

/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations: values largest first,
 * vectors[i] the unit eigenvector of values[i]. (Also the tests' independent check on ml-pca.)
 */
export function jacobiEigen(a: number[][]): { values: number[]; vectors: number[][] } {
  const n = a.length;
  const m = a.map((r) => r.slice());
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p][q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(m[p][q]) < 1e-300) continue;
        const theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k][p];
          const mkq = m[k][q];
          m[k][p] = c * mkp - s * mkq;
          m[k][q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p][k];
          const mqk = m[q][k];
          m[p][k] = c * mpk - s * mqk;
          m[q][k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[j][j] - m[i][i]);
  return { values: order.map((i) => m[i][i]), vectors: order.map((i) => v.map((row) => row[i])) };
}
