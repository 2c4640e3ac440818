/**
 * Tiny dense linear algebra on Float64Array (row-major n×n): fold-in's (dim+1)-sized systems, and EASE's
 * item×item inverse (1682² on ML-100K). The loops work on four rows at once: each pass over the matrix
 * then serves four rows, which is what keeps an n = 1682 inverse from waiting on memory.
 */

/** In-place Cholesky factorisation A = L·Lᵀ (lower triangle of `a` becomes L). False if not positive definite. */
export function cholesky(a: Float64Array, n: number): boolean {
  return choleskyRows(a, n, 0, n);
}

/**
 * Rows from..to of the Cholesky factor, rows before `from` already done (`from` a multiple of 4): a
 * large factorisation in slices, so a caller can report progress and stop between them.
 */
export function choleskyRows(a: Float64Array, n: number, from: number, to: number): boolean {
  // row-oriented (Cholesky–Crout): L[i][j] = (A[i][j] − L[i][:j]·L[j][:j]) / L[j][j], rows i in blocks of 4
  for (let i0 = from; i0 < to; i0 += 4) {
    const rows = Math.min(4, n - i0);
    const r0 = i0 * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    // columns left of the block: one pass over row j for all four rows
    for (let j = 0; j < i0; j++) {
      const rj = j * n;
      let s0 = a[r0 + j];
      let s1 = rows > 1 ? a[r1 + j] : 0;
      let s2 = rows > 2 ? a[r2 + j] : 0;
      let s3 = rows > 3 ? a[r3 + j] : 0;
      if (rows === 4) {
        for (let k = 0; k < j; k++) {
          const l = a[rj + k];
          s0 -= a[r0 + k] * l;
          s1 -= a[r1 + k] * l;
          s2 -= a[r2 + k] * l;
          s3 -= a[r3 + k] * l;
        }
      } else {
        for (let k = 0; k < j; k++) {
          const l = a[rj + k];
          s0 -= a[r0 + k] * l;
          if (rows > 1) s1 -= a[r1 + k] * l;
          if (rows > 2) s2 -= a[r2 + k] * l;
        }
      }
      const inv = 1 / a[rj + j];
      a[r0 + j] = s0 * inv;
      if (rows > 1) a[r1 + j] = s1 * inv;
      if (rows > 2) a[r2 + j] = s2 * inv;
      if (rows > 3) a[r3 + j] = s3 * inv;
    }
    // the small triangle inside the block, one entry at a time
    for (let t = 0; t < rows; t++) {
      const ri = (i0 + t) * n;
      for (let j = i0; j <= i0 + t; j++) {
        const rj = j * n;
        let s = a[ri + j];
        for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
        if (j === i0 + t) {
          if (!(s > 0)) return false;
          a[ri + j] = Math.sqrt(s);
        } else {
          a[ri + j] = s / a[rj + j];
        }
      }
    }
  }
  return true;
}

/** Solves L·Lᵀ x = b in place (b becomes x), given the factor from cholesky(). */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * b[k];
    b[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

/**
 * Inverse of a symmetric positive definite matrix (null when it is not): A⁻¹ = L⁻ᵀ·L⁻¹ from the
 * Cholesky factor, ~n³/2 multiply-adds in all (an n = 1682 inverse: ~2.4·10⁹).
 */
export function spdInverse(a: Float64Array, n: number): Float64Array | null {
  const inv = new SpdInverse(a, n);
  for (const phase of SPD_PHASES) if (!inv.run(phase, 0, n)) return null;
  return inv.result();
}

export type SpdPhase = 'cholesky' | 'lower-inverse' | 'product';
export const SPD_PHASES: readonly SpdPhase[] = ['cholesky', 'lower-inverse', 'product'];

/**
 * spdInverse in slices: each phase (the Cholesky factor L, M = L⁻¹, then P = Mᵀ·M) runs over rows in
 * ranges a caller chooses, in order; row i of each costs ~i², so equal work means rows at n·∛(k/steps).
 */
export class SpdInverse {
  private readonly l: Float64Array;
  private readonly m: Float64Array;
  private readonly p: Float64Array;

  constructor(a: Float64Array, private readonly n: number) {
    this.l = a.slice();
    this.m = new Float64Array(n * n);
    this.p = new Float64Array(n * n);
  }

  /** Rows from..to (from a multiple of 4) of one phase; false when the matrix is not positive definite. */
  run(phase: SpdPhase, from: number, to: number): boolean {
    if (phase === 'cholesky') return choleskyRows(this.l, this.n, from, to);
    if (phase === 'lower-inverse') lowerInverseRows(this.l, this.m, this.n, from, to);
    else productRows(this.m, this.p, this.n, from, to);
    return true;
  }

  /** The inverse, once every phase has run over every row. */
  result(): Float64Array {
    const { p, n } = this;
    for (let x = 0; x < n; x++) for (let y = 0; y < x; y++) p[y * n + x] = p[x * n + y];
    return p;
  }
}

/** P += Σ_{k in rows} M[k]ᵀ·M[k] (lower triangle): P = Mᵀ·M, four rows k per pass over P. */
function productRows(m: Float64Array, p: Float64Array, n: number, from: number, to: number): void {
  for (let k0 = from; k0 < to; k0 += 4) {
    const m0 = k0 * n;
    const m1 = Math.min(k0 + 1, n - 1) * n;
    const m2 = Math.min(k0 + 2, n - 1) * n;
    const m3 = Math.min(k0 + 3, n - 1) * n;
    // rows past the end repeat the last row: weight them 0
    const w1 = k0 + 1 < n ? 1 : 0;
    const w2 = k0 + 2 < n ? 1 : 0;
    const w3 = k0 + 3 < n ? 1 : 0;
    const last = Math.min(k0 + 3, n - 1);
    for (let x = 0; x <= last; x++) {
      const v0 = m[m0 + x];
      const v1 = m[m1 + x] * w1;
      const v2 = m[m2 + x] * w2;
      const v3 = m[m3 + x] * w3;
      const px = x * n;
      for (let y = 0; y <= x; y++) p[px + y] += v0 * m[m0 + y] + v1 * m[m1 + y] + v2 * m[m2 + y] + v3 * m[m3 + y];
    }
  }
}

/** Rows from..to of M = L⁻¹ for the lower factor L: row i is −(Σ_{k<i} L[i][k]·M[k]) / L[i][i] + e_i / L[i][i]. */
function lowerInverseRows(l: Float64Array, m: Float64Array, n: number, from: number, to: number): void {
  for (let i0 = from; i0 < to; i0 += 4) {
    const rows = Math.min(4, n - i0);
    // rows i0..i0+3 of M accumulate from the rows k < i0 in one pass over M
    const r0 = i0 * n;
    const r1 = Math.min(i0 + 1, n - 1) * n;
    const r2 = Math.min(i0 + 2, n - 1) * n;
    const r3 = Math.min(i0 + 3, n - 1) * n;
    for (let k = 0; k < i0; k++) {
      const c0 = l[r0 + k];
      const c1 = rows > 1 ? l[r1 + k] : 0;
      const c2 = rows > 2 ? l[r2 + k] : 0;
      const c3 = rows > 3 ? l[r3 + k] : 0;
      const mk = k * n;
      for (let j = 0; j <= k; j++) {
        const v = m[mk + j];
        m[r0 + j] -= c0 * v;
        m[r1 + j] -= c1 * v;
        m[r2 + j] -= c2 * v;
        m[r3 + j] -= c3 * v;
      }
    }
    // then the rows inside the block, in order
    for (let t = 0; t < rows; t++) {
      const i = i0 + t;
      const ri = i * n;
      for (let k = i0; k < i; k++) {
        const c = l[ri + k];
        const mk = k * n;
        for (let j = 0; j <= k; j++) m[ri + j] -= c * m[mk + j];
      }
      const inv = 1 / l[ri + i];
      for (let j = 0; j < i; j++) m[ri + j] *= inv;
      m[ri + i] = inv;
    }
  }
}
