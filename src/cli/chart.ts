/** ASCII charts for the lr-find and compare commands (asciichart, plus an x axis it lacks). */
import asciichart from 'asciichart';
import { curvesChart } from '../ui/lib/curvesChart.js';

const LABEL = 8;

const fmtY = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3)).padStart(LABEL).slice(-LABEL);

/** Colour only when the terminal gets it: NO_COLOR (no-color.org) or a non-TTY stdout turn it off. */
export function useColor(): boolean {
  return !('NO_COLOR' in process.env) && Boolean(process.stdout.isTTY);
}

export const SERIES_COLORS = [asciichart.cyan, asciichart.yellow, asciichart.magenta, asciichart.green, asciichart.red, asciichart.blue];

/** Evenly picks `n` points (the lr-find points are already evenly spaced in log10(lr)). */
export function resample(values: readonly number[], n: number): { values: number[]; index: number[] } {
  if (values.length <= n) return { values: [...values], index: values.map((_, i) => i) };
  const index = Array.from({ length: n }, (_, k) => Math.round((k * (values.length - 1)) / (n - 1)));
  return { values: index.map((i) => values[i]), index };
}

/**
 * Loss against log10(lr): one column per (resampled) point, a log10 x axis underneath, and a caret
 * row under the columns of the marked learning rates.
 */
export function lrFindChart(lrs: readonly number[], losses: readonly number[], marks: { label: string; index: number }[], width = 72, height = 14): string {
  const { values, index } = resample(losses, Math.max(8, width - LABEL - 2));
  // The explosion can dwarf the dip; cap the y range so the interesting part keeps its rows.
  const min = Math.min(...values);
  const cap = Math.max(min + 1e-6, Math.min(Math.max(...values), min * 4));
  const series = values.map((v) => Math.min(v, cap));
  const plot = asciichart.plot(series, { height, min, max: cap, offset: 2, format: fmtY });
  const pad = ' '.repeat(LABEL + 1);
  const axis = [...' '.repeat(series.length)];
  const ticks = [...' '.repeat(series.length + 8)];
  const lg = index.map((i) => Math.log10(lrs[i]));
  for (let d = Math.ceil(lg[0]); d <= Math.floor(lg[lg.length - 1]); d++) {
    let col = 0;
    while (col + 1 < lg.length && lg[col + 1] <= d) col++;
    axis[col] = '┬';
    const label = `1e${d}`;
    for (let k = 0; k < label.length; k++) if (col + k < ticks.length) ticks[col + k] = label[k];
  }
  const markRow = [...' '.repeat(series.length)];
  const legend: string[] = [];
  for (const m of marks) {
    let col = 0;
    while (col + 1 < index.length && index[col + 1] <= m.index) col++;
    markRow[col] = m.label[0];
    legend.push(`${m.label[0]} = ${m.label}`);
  }
  return [plot, pad + axis.join(''), pad + ticks.join('').trimEnd(), pad + markRow.join('').trimEnd() + '   ' + legend.join(', '), `${pad}learning rate (log scale)`].join('\n');
}

/**
 * Several per-epoch curves on one chart (the app's compare view, src/ui/lib/curvesChart.ts), with ANSI
 * colours per run and an epoch axis underneath.
 */
export function epochCurvesChart(curves: readonly number[][], color: boolean, width = 72, height = 12): string {
  const chart = curvesChart(curves, width, height + 1);
  if (!chart) return '(no finite validation curve to draw)';
  const body = chart.lines.map((line, r) => {
    if (!color) return line;
    return [...line].map((ch, c) => (chart.owners[r][c] >= 0 ? colored(ch, chart.owners[r][c], true) : ch)).join('');
  });
  const maxEpochs = Math.max(...curves.map((c) => c.length));
  const axis = [...' '.repeat((maxEpochs - 1) * chart.perEpoch + 4)];
  // label every epoch when there is room, else every few, so labels never run together
  const every = Math.ceil((String(maxEpochs - 1).length + 1) / chart.perEpoch);
  for (let e = 0; e < maxEpochs; e += every) {
    const label = String(e);
    for (let k = 0; k < label.length; k++) axis[e * chart.perEpoch + k] = label[k];
  }
  const pad = ' '.repeat(chart.plotStart);
  return `${body.join('\n')}\n${pad}${axis.join('').trimEnd()}\n${pad}epoch`;
}

export function colored(text: string, index: number, color: boolean): string {
  return color ? `${SERIES_COLORS[index % SERIES_COLORS.length]}${text}${asciichart.reset}` : text;
}
