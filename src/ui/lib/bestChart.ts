/** The search's best-so-far against elapsed time, as plain lines: a step curve that grows as the budget is spent. */
import asciichart from 'asciichart';

export const BEST_LABEL_WIDTH = 7;

/** The best metric at each column of [0, budget] up to `elapsed` (a step function of the points). */
export function bestSeries(points: readonly { seconds: number; metric: number }[], budget: number, elapsed: number, columns: number): number[] {
  const out: number[] = [];
  const shown = Math.max(2, Math.min(columns, Math.ceil((Math.min(elapsed, budget) / budget) * columns)));
  let k = -1;
  for (let c = 0; c < shown; c++) {
    const t = ((c + 1) / columns) * budget;
    while (k + 1 < points.length && points[k + 1].seconds <= t) k++;
    out.push(k >= 0 ? points[k].metric : NaN);
  }
  // before the first whole run there is nothing to show: the first value stands in for the gap
  const first = out.find(Number.isFinite);
  return first === undefined ? [] : out.map((v) => (Number.isFinite(v) ? v : first));
}

export function bestChart(points: readonly { seconds: number; metric: number }[], budget: number, elapsed: number, width: number, height: number): string[] {
  const plotWidth = Math.max(4, width - BEST_LABEL_WIDTH - 1);
  const series = bestSeries(points, budget, elapsed, plotWidth);
  if (series.length === 0) return [];
  let min = Math.min(...series);
  let max = Math.max(...series);
  if (max - min < 1e-4) {
    min -= 0.002;
    max += 0.002;
  }
  const text = asciichart.plot(series, {
    height: Math.max(1, height - 1),
    min,
    max,
    offset: 2,
    format: (x: number) => x.toFixed(4).padStart(BEST_LABEL_WIDTH).slice(-BEST_LABEL_WIDTH),
  });
  return text.split('\n');
}
