/**
 * Similarities between the rows of a rating matrix (items for item-based kNN, users for user-based), as
 * Surprise defines them, over the columns two rows share:
 *   pearson_baseline: ρ = Σ d·d' / √(Σ d² · Σ d'²) on the baseline residuals d = r − b_ui, shrunk by
 *                     (n − 1)/(n − 1 + shrinkage) for n common columns (n ≥ 2); Koren's choice
 *   msd:              1 / (mean squared rating difference + 1)  (Surprise's default)
 * One row at a time: for row x, walk its columns and, for each, the other rows in that column,
 * accumulating into scratch arrays. The same code gives a trained row and a new user's row (fold-in).
 *
 * Cost: Σ over columns of (column length)² — for item-based, Σ_u n_u²: 13M steps on ML-100K u1
 * (well under a second), but ~10¹¹ on ML-25M, where heavy users would need capping. Storage: a dense
 * n×n Float32Array up to DENSE_MAX rows (1682 items: 11 MB); beyond, each row keeps only its
 * `stored` most similar positive neighbours (kNN only ever sums positive similarities), sorted by index.
 */
import { ModelError } from '../../errors.js';

export type SimilarityName = 'pearson_baseline' | 'msd';

export interface SimilarityOptions {
  name: SimilarityName;
  /** pearson_baseline's shrinkage (Surprise: 100). */
  shrinkage: number;
  /** Fewer common columns than this gives similarity 0 (Surprise: 1; pearson_baseline needs 2). */
  minSupport: number;
}

/** The compared rows and, per column, which rows are in it — with the value each rating contributes. */
export interface SimilaritySides {
  nRows: number;
  rowStart: Int32Array;
  rowCols: Int32Array;
  rowValues: Float32Array;
  colStart: Int32Array;
  colRows: Int32Array;
  colValues: Float32Array;
}

/** Above this many rows a dense matrix would pass 256 MB: keep the top neighbours of each row instead. */
export const DENSE_MAX = 8192;
export const DEFAULT_STORED_NEIGHBOURS = 500;

export interface Similarities {
  n: number;
  /** null when dense; else how many neighbours each row keeps. */
  stored: number | null;
  /** The dense n×n matrix (row-major), or null when rows are stored sparse. */
  dense: Float32Array | null;
  /** The stored rows when sparse (row x: idx/val[start[x] .. start[x+1])), else null. */
  sparse: { start: Int32Array; idx: Int32Array; val: Float32Array } | null;
  /**
   * Row x as a dense array over every row (0 where not similar or not stored, 0 on the diagonal). Valid
   * until the next call: sparse storage scatters into one shared scratch array.
   */
  row(x: number): Float32Array;
}

/** Accumulators for one row against all others, reused across rows. */
export class SimilarityScratch {
  readonly freq: Int32Array;
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly c: Float64Array;
  readonly touched: Int32Array;

  constructor(n: number) {
    this.freq = new Int32Array(n);
    this.a = new Float64Array(n);
    this.b = new Float64Array(n);
    this.c = new Float64Array(n);
    this.touched = new Int32Array(n);
  }
}

/**
 * One row's similarities to every row (out[x'] for all x'; `self` ≥ 0 is left at 0), from that row's
 * columns and values — a trained row's own, or a new user's ratings.
 */
export function similarityRow(
  s: SimilaritySides,
  cols: ArrayLike<number>,
  values: ArrayLike<number>,
  self: number,
  o: SimilarityOptions,
  scratch: SimilarityScratch,
  out: Float32Array,
): void {
  const { freq, a, b, c, touched } = scratch;
  let nt = 0;
  const pearson = o.name === 'pearson_baseline';
  for (let k = 0; k < cols.length; k++) {
    const y = cols[k];
    const v = values[k];
    const end = s.colStart[y + 1];
    for (let p = s.colStart[y]; p < end; p++) {
      const x2 = s.colRows[p];
      const w = s.colValues[p];
      if (freq[x2] === 0) touched[nt++] = x2;
      freq[x2]++;
      if (pearson) {
        a[x2] += v * w;
        b[x2] += v * v;
        c[x2] += w * w;
      } else {
        const d = v - w;
        a[x2] += d * d;
      }
    }
  }
  out.fill(0);
  const minSupport = pearson ? Math.max(2, o.minSupport) : o.minSupport;
  for (let t = 0; t < nt; t++) {
    const x2 = touched[t];
    const n = freq[x2];
    let sim = 0;
    if (x2 !== self && n >= minSupport) {
      if (pearson) {
        const den = Math.sqrt(b[x2] * c[x2]);
        sim = den > 0 ? (a[x2] / den) * ((n - 1) / (n - 1 + o.shrinkage)) : 0;
      } else {
        sim = 1 / (a[x2] / n + 1);
      }
    }
    out[x2] = sim;
    freq[x2] = 0;
    a[x2] = 0;
    b[x2] = 0;
    c[x2] = 0;
  }
}

/** Every row's similarities, dense or (above DENSE_MAX rows, or when `stored` is given) top-`stored` sparse. */
export function computeSimilarities(
  s: SimilaritySides,
  o: SimilarityOptions,
  stored?: number,
  onProgress?: (fraction: number) => void,
): Similarities {
  const b = new SimilarityBuilder(s, o, stored);
  const report = Math.max(1, Math.floor(s.nRows / 50));
  for (let x = 0; x < s.nRows; x += report) {
    b.rows(x, Math.min(s.nRows, x + report));
    onProgress?.(Math.min(1, (x + report) / s.nRows));
  }
  return b.finish();
}

/** The similarities row by row, in ranges a trainer chooses (in order), so it can report and stop between them. */
export class SimilarityBuilder {
  readonly keep: number | null;
  private readonly n: number;
  private readonly scratch: SimilarityScratch;
  private readonly dense: Float32Array | null;
  private readonly row: Float32Array;
  private readonly cand: Int32Array;
  private readonly start: Int32Array;
  private idx: Int32Array;
  private val: Float32Array;
  private used = 0;
  private next = 0;

  constructor(private readonly s: SimilaritySides, private readonly o: SimilarityOptions, stored?: number) {
    const n = (this.n = s.nRows);
    const keep = (this.keep = stored ?? (n > DENSE_MAX ? DEFAULT_STORED_NEIGHBOURS : null));
    if (keep !== null && !(Number.isInteger(keep) && keep >= 1)) throw new ModelError(`stored neighbours must be a whole number ≥ 1, got ${keep}`);
    this.scratch = new SimilarityScratch(n);
    this.dense = keep === null ? new Float32Array(n * n) : null;
    this.row = new Float32Array(keep === null ? 0 : n);
    this.cand = new Int32Array(keep === null ? 0 : n);
    this.start = new Int32Array(keep === null ? 0 : n + 1);
    this.idx = new Int32Array(keep === null ? 0 : Math.min(n * keep, 1 << 20));
    this.val = new Float32Array(this.idx.length);
  }

  /** Rows from..to (from = where the last call ended). */
  rows(from: number, to: number): void {
    if (from !== this.next) throw new ModelError(`similarity rows must come in order: expected row ${this.next}, got ${from}`);
    const { s, o, scratch, n } = this;
    for (let x = from; x < to; x++) {
      const a = s.rowStart[x];
      const b = s.rowStart[x + 1];
      const out = this.dense ? this.dense.subarray(x * n, (x + 1) * n) : this.row;
      similarityRow(s, s.rowCols.subarray(a, b), s.rowValues.subarray(a, b), x, o, scratch, out);
      if (!this.dense) this.keepTop(x);
    }
    this.next = to;
  }

  /** Row x's `keep` most similar positive rows, appended in index order. */
  private keepTop(x: number): void {
    const { row, cand, n } = this;
    const keep = this.keep!;
    let nc = 0;
    for (let x2 = 0; x2 < n; x2++) if (row[x2] > 0) cand[nc++] = x2;
    let taken = cand.subarray(0, nc);
    if (nc > keep) {
      const t = kthLargest(Float64Array.from(taken, (x2) => row[x2]), keep);
      // strictly above the threshold, then ties in index order until `keep`
      let above = 0;
      for (const x2 of taken) if (row[x2] > t) above++;
      let ties = keep - above;
      taken = taken.filter((x2) => row[x2] > t || (row[x2] === t && ties-- > 0));
    }
    if (this.used + taken.length > this.idx.length) {
      const grown = Math.max(this.idx.length * 2, this.used + taken.length);
      const i2 = new Int32Array(grown);
      i2.set(this.idx.subarray(0, this.used));
      this.idx = i2;
      const v2 = new Float32Array(grown);
      v2.set(this.val.subarray(0, this.used));
      this.val = v2;
    }
    for (const x2 of taken) {
      this.idx[this.used] = x2;
      this.val[this.used++] = row[x2];
    }
    this.start[x + 1] = this.used;
  }

  /** The similarities of the rows done so far (rows not reached are all 0). */
  finish(): Similarities {
    if (this.dense) return denseSimilarities(this.n, this.dense);
    for (let x = this.next; x < this.n; x++) this.start[x + 1] = this.used;
    return sparseSimilarities(this.n, this.keep!, this.start, this.idx.slice(0, this.used), this.val.slice(0, this.used));
  }
}

export function denseSimilarities(n: number, dense: Float32Array): Similarities {
  return { n, stored: null, dense, sparse: null, row: (x) => dense.subarray(x * n, (x + 1) * n) };
}

/** Rows kept sparse: row x's neighbours are idx/val[start[x] .. start[x+1]), ascending by index. */
export function sparseSimilarities(n: number, stored: number, start: Int32Array, idx: Int32Array, val: Float32Array): Similarities {
  const scatter = new Float32Array(n);
  let last = -1;
  return {
    n,
    stored,
    dense: null,
    sparse: { start, idx, val },
    row: (x) => {
      if (last >= 0) for (let p = start[last]; p < start[last + 1]; p++) scatter[idx[p]] = 0;
      for (let p = start[x]; p < start[x + 1]; p++) scatter[idx[p]] = val[p];
      last = x;
      return scatter;
    },
  };
}

/** The k-th largest value (1-based) of `v` (reordered in place): quickselect, O(n) expected. */
export function kthLargest(v: Float64Array, k: number): number {
  let lo = 0;
  let hi = v.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = v[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (v[i] > pivot) i++;
      while (v[j] < pivot) j--;
      if (i <= j) {
        const t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return v[target];
  }
  return v[target];
}
