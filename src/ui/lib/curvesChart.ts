/**
 * Several per-epoch curves on one chart (compare runs). Each curve is plotted alone on the same scale
 * and the grids are merged, so every cell knows which run drew it: colours, and a run number at each
 * curve's end so the runs stay apart without colour (NO_COLOR).
 */
import asciichart from 'asciichart';
import { LABEL_WIDTH } from './chart.js';

export interface CurvesChart {
  lines: string[];
  /** Per line and column, the run (0-based) that drew the cell; -1 for the axis or nothing. */
  owners: number[][];
  /** Columns per epoch, and where the plot starts: for an x axis drawn under it. */
  perEpoch: number;
  plotStart: number;
}

/** Every epoch gets the same columns (linear in between), so runs of different lengths line up by epoch. */
export function stretchByEpoch(curve: readonly number[], perEpoch: number): number[] {
  if (curve.length === 1) return [curve[0], curve[0]];
  const out: number[] = [];
  for (let e = 0; e + 1 < curve.length; e++) for (let k = 0; k < perEpoch; k++) out.push(curve[e] + ((curve[e + 1] - curve[e]) * k) / perEpoch);
  out.push(curve[curve.length - 1]);
  return out;
}

export function curvesChart(curves: readonly number[][], width: number, height: number): CurvesChart | null {
  const usable = curves.filter((c) => c.length > 0 && c.every(Number.isFinite));
  if (usable.length === 0 || usable.length !== curves.length) return null;
  const maxEpochs = Math.max(...curves.map((c) => c.length));
  // Room for the end labels: two columns after the longest curve.
  const perEpoch = Math.max(1, Math.floor((width - LABEL_WIDTH - 4) / Math.max(1, maxEpochs - 1)));
  const series = curves.map((c) => stretchByEpoch(c, perEpoch));
  const all = series.flat();
  let min = Math.min(...all);
  let max = Math.max(...all);
  if (max - min < 1e-6) {
    min -= 0.01;
    max += 0.01;
  }
  const rows = Math.max(2, height - 1);
  const format = (x: number) => x.toFixed(3).padStart(LABEL_WIDTH).slice(-LABEL_WIDTH);
  const grids = series.map((s) => asciichart.plot(s, { height: rows, min, max, offset: 2, format }).split('\n').map((l) => [...l]));
  const lines: string[] = [];
  const owners: number[][] = [];
  const ratio = rows / (max - min);
  const min2 = Math.round(min * ratio);
  const last = Math.round(max * ratio) - min2;
  for (let r = 0; r < grids[0].length; r++) {
    const width0 = Math.max(...grids.map((g) => g[r].length)) + 3;
    const cells = [...' '.repeat(width0)];
    const own = new Array<number>(width0).fill(-1);
    for (let c = 0; c <= LABEL_WIDTH; c++) {
      const axis = grids.map((g) => g[r][c] ?? ' ');
      cells[c] = axis.find((ch) => ch === '┼') ?? axis[0];
    }
    // Later runs draw over earlier ones where they cross, as in asciichart's own multi-series plot.
    grids.forEach((g, i) => {
      for (let c = LABEL_WIDTH + 1; c < g[r].length; c++) {
        if (g[r][c] !== ' ') {
          cells[c] = g[r][c];
          own[c] = i;
        }
      }
    });
    lines.push(cells.join(''));
    owners.push(own);
  }
  // Number each run at its end.
  series.forEach((s, i) => {
    const r = last - (Math.round(s[s.length - 1] * ratio) - min2);
    const col = LABEL_WIDTH + s.length;
    if (r < 0 || r >= lines.length) return;
    const cells = [...lines[r]];
    while (cells.length <= col) cells.push(' ');
    if (cells[col] !== ' ') return;
    cells[col] = String((i + 1) % 10);
    lines[r] = cells.join('');
    owners[r][col] = i;
  });
  return { lines: lines.map((l) => l.trimEnd()), owners, perEpoch, plotStart: LABEL_WIDTH + 1 };
}
