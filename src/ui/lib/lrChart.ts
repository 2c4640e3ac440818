/** lr-find's loss against log10(lr) as plain lines: asciichart, a decade axis under it, the suggestions marked. */
import asciichart from 'asciichart';
import { downsample } from './lossTracker.js';
import { LABEL_WIDTH } from './chart.js';

export interface LrChartLines {
  /** The plot rows (y labels, axis, curve). */
  plot: string[];
  /** Tick marks and decade labels under the plot, aligned with its columns. */
  axis: string;
  labels: string;
  /** Column (in the plot's lines) of each marked point. */
  marks: { key: string; col: number }[];
}

/** 1e-7 … 1e-1, then 1 and 10: what a person reads on a learning-rate axis. */
export function decadeLabel(d: number): string {
  return d >= 0 ? String(10 ** d) : `1e${d}`;
}

/** lrs are log-spaced, so evenly resampling the points keeps the x axis logarithmic. */
export function lrChart(allLrs: readonly number[], allLosses: readonly number[], allMarks: { key: string; index: number }[], width: number, height: number): LrChartLines | null {
  // Like fastai's plot_lr_find, leave out the first points (the smoothing's warm-up) and the last (the blow-up).
  const skip = allLrs.length > 40 ? 5 : 0;
  const lrs = allLrs.slice(skip, Math.max(skip, allLrs.length - skip));
  const losses = allLosses.slice(skip, Math.max(skip, allLosses.length - skip));
  const marks = allMarks.map((m) => ({ key: m.key, index: m.index - skip }));
  const n = Math.min(lrs.length, losses.length);
  if (n < 2) return null;
  const columns = Math.max(2, Math.min(n, width - LABEL_WIDTH - 1));
  const series = downsample(losses.slice(0, n), columns);
  const finite = series.filter(Number.isFinite);
  const min = Math.min(...finite);
  // What matters is where the loss is lowest and where it turns up: the axis runs from the minimum to
  // half the climb towards the explosion (at least 1.5× the dip), so the turn shows and the flat part is
  // not stretched to fill the plot with noise (ML-100K's embeddings give a dip of ~0.05 in ~1.8).
  const start = finite[0];
  const highest = Math.max(...finite);
  const cap = Math.min(highest, min + Math.max(start > min ? 1.5 * (start - min) : 0, 0.5 * (highest - min)));
  const top = cap - min < 1e-6 ? min + 0.1 : cap;
  const clipped = series.map((v) => (Number.isFinite(v) ? Math.min(Math.max(v, min), top) : top));
  const plot = asciichart
    .plot(clipped, { height: Math.max(2, height - 1), min, max: top, offset: 2, format: (x: number) => x.toFixed(3).padStart(LABEL_WIDTH).slice(-LABEL_WIDTH) })
    .split('\n');
  // Point i of the series sits at column LABEL_WIDTH + i (point 0 on the axis itself).
  const colOf = (index: number) => LABEL_WIDTH + Math.min(columns - 1, Math.floor((index * columns) / n));
  const lg0 = Math.log10(lrs[0]);
  const lg1 = Math.log10(lrs[n - 1]);
  const axis = [...' '.repeat(LABEL_WIDTH + columns + 4)];
  const labels = [...axis];
  let free = 0;
  for (let d = Math.ceil(lg0); d <= Math.floor(lg1); d++) {
    const col = LABEL_WIDTH + Math.round(((d - lg0) / Math.max(1e-9, lg1 - lg0)) * (columns - 1));
    axis[col] = '┬';
    const text = decadeLabel(d);
    const at = Math.max(free, col - Math.floor(text.length / 2));
    if (at + text.length > labels.length) continue;
    // Labels that would run into the previous one are left out; the tick stays.
    if (at > col) continue;
    for (let k = 0; k < text.length; k++) labels[at + k] = text[k];
    free = at + text.length + 1;
  }
  return {
    plot,
    axis: axis.join('').trimEnd(),
    labels: labels.join('').trimEnd(),
    marks: marks.filter((m) => m.index >= 0 && m.index < n).map((m) => ({ key: m.key, col: colOf(m.index) })),
  };
}

/** 3.6e-3 style: the precision a learning rate is typed with. */
export function lrText(lr: number): string {
  if (!Number.isFinite(lr)) return '—';
  return lr >= 0.1 && lr < 100 ? String(Number(lr.toPrecision(2))) : lr.toExponential(1).replace('e+', 'e');
}
