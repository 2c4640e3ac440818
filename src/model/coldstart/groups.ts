/** Rating rows grouped by user or by movie (CSR), for the cold-start models' fits and losses. */

export interface RatingRows {
  users: ArrayLike<number>;
  items: ArrayLike<number>;
  ratings: ArrayLike<number>;
}

/** Rows grouped by key: key k's rows are rows[start[k] .. start[k+1]), in file order. */
export interface Groups {
  start: Int32Array;
  rows: Int32Array;
}

/** Every row of `keys` grouped by its key (0 … n−1); with `only`, just those rows (ascending: each group stays in file order). */
export function groupRows(keys: ArrayLike<number>, n: number, only?: Int32Array): Groups {
  const count = only ? only.length : keys.length;
  const row = only ? (k: number) => only[k] : (k: number) => k;
  const start = new Int32Array(n + 1);
  for (let k = 0; k < count; k++) start[keys[row(k)] + 1]++;
  for (let k = 0; k < n; k++) start[k + 1] += start[k];
  const fill = start.slice(0, n);
  const rows = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const r = row(k);
    rows[fill[keys[r]]++] = r;
  }
  return { start, rows };
}

/** How many rows each key has. */
export function groupSizes(g: Groups): Int32Array {
  return Int32Array.from({ length: g.start.length - 1 }, (_, k) => g.start[k + 1] - g.start[k]);
}
