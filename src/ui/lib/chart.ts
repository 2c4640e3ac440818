/** The training chart as plain lines: asciichart for the smoothed batch loss, dots for epoch valid loss. */
import asciichart from 'asciichart';
import { downsample, type LossView } from './lossTracker.js';

/** Characters of the y-axis labels; the axis itself sits in the next column. */
export const LABEL_WIDTH = 7;

export interface ChartLines {
  lines: string[];
  /** Per line, the columns holding a valid-loss dot (to colour them apart). */
  dots: number[][];
}

export interface ChartPlan {
  epochsPlanned: number;
  batchesPerEpoch: number;
}

export function lossChart(view: LossView, plan: ChartPlan, width: number, height: number): ChartLines {
  if (view.smoothed.length === 0) return { lines: [], dots: [] };
  const plotWidth = Math.max(4, width - LABEL_WIDTH - 1);
  const plannedBatches = Math.max(view.batchesSeen, plan.epochsPlanned * plan.batchesPerEpoch);
  const plannedBuckets = Math.max(view.smoothed.length, Math.ceil(plannedBatches / view.batchesPerBucket));
  // The curve grows left to right as the run goes: its width is the share of the run done.
  const columns = Math.max(2, Math.min(plotWidth, Math.ceil((view.smoothed.length / plannedBuckets) * plotWidth)));
  const series = downsample(view.smoothed, columns);
  while (series.length < 2) series.push(series[0]);

  const valid = view.epochs.map((row) => row.validLoss).filter(Number.isFinite);
  let min = Math.min(...series, ...valid);
  let max = Math.max(...series, ...valid);
  if (max - min < 1e-6) {
    min -= 0.05;
    max += 0.05;
  }
  const plotHeight = Math.max(1, height - 1);
  const text = asciichart.plot(series, {
    height: plotHeight,
    min,
    max,
    // asciichart puts the whole label into one cell of its grid: offset 2 = label, then the axis.
    offset: 2,
    format: (x: number) => x.toFixed(3).padStart(LABEL_WIDTH).slice(-LABEL_WIDTH),
  });
  const grid = text.split('\n').map((l) => [...l]);
  const dots: number[][] = grid.map(() => []);

  // Same arithmetic as asciichart, so the dots sit on its scale.
  const ratio = plotHeight / (max - min);
  const min2 = Math.round(min * ratio);
  const lastRow = Math.abs(Math.round(max * ratio) - min2);
  const bpe = plan.batchesPerEpoch > 0 ? plan.batchesPerEpoch : view.batchesSeen / Math.max(1, view.epochs.length);
  view.epochs.forEach((row, i) => {
    if (!Number.isFinite(row.validLoss) || bpe <= 0) return;
    const endBatch = Math.min(plannedBatches, (i + 1) * bpe);
    const x = Math.min(columns - 1, Math.max(0, Math.round((endBatch / plannedBatches) * plotWidth) - 1));
    const r = lastRow - (Math.round(row.validLoss * ratio) - min2);
    const col = LABEL_WIDTH + 1 + x; // the label, the axis, then the plot
    const line = grid[r];
    if (!line || dots[r].includes(col)) return; // epochs sharing a column (long runs) share one dot
    while (line.length <= col) line.push(' ');
    line[col] = '●';
    dots[r].push(col);
  });
  return { lines: grid.map((g) => g.join('')), dots };
}
