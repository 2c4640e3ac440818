/**
 * What cv5 means for a result: a metric measured on each of the five folds (data/split.ts makeSplits),
 * reported as mean ± sd over them — the sd the population one (numpy's std), as Surprise's
 * cross_validate prints it, so the two tables read alike.
 */

export interface MeanSd {
  mean: number;
  sd: number;
}

export function meanSd(xs: readonly number[]): MeanSd {
  if (xs.length === 0) return { mean: NaN, sd: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, sd: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) };
}

/**
 * Per-fold rows of metrics → one row of mean ± sd per metric. A metric a model does not have (null,
 * e.g. RMSE of a rank-only model) stays null; a metric missing from some folds only is an error.
 */
export function aggregateFolds<K extends string>(folds: readonly Record<K, number | null>[]): Record<K, MeanSd | null> {
  if (folds.length === 0) throw new Error('aggregateFolds: no folds');
  const out = {} as Record<K, MeanSd | null>;
  for (const key of Object.keys(folds[0]) as K[]) {
    const values = folds.map((f) => f[key]);
    const present = values.filter((v): v is number => v !== null);
    if (present.length === 0) out[key] = null;
    else if (present.length < values.length) throw new Error(`aggregateFolds: ${key} is missing from ${values.length - present.length} fold(s)`);
    else out[key] = meanSd(present);
  }
  return out;
}
