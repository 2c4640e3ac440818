/**
 * The leaderboard table laid out for a width: which metric columns fit (by priority, the sorted one
 * always), how wide each is, how a cell reads (cv5: mean±sd), and the bars. Columns drop whole — a cell
 * is never cut — and the bar takes what is left.
 */
import { barFractions, METRIC_HEADS, METRIC_KEYS, sortByMetric, type Aggregate, type LeaderboardRow, type MeanSd, type MetricKey } from '../../services.js';


/** The columns that stay longest as the screen narrows. */
const PRIORITY: MetricKey[] = ['ndcg10', 'rmse', 'seconds', 'p10', 'recall20', 'mae', 'coverage', 'popularityLift'];
const DIGITS: Record<MetricKey, number> = { rmse: 4, mae: 4, p10: 4, recall20: 4, ndcg10: 4, coverage: 3, popularityLift: 2, seconds: 1 };
/** Under cv5 a cell holds mean±sd: one digit fewer each. */
const CV_DIGITS: Record<MetricKey, number> = { rmse: 3, mae: 3, p10: 3, recall20: 3, ndcg10: 3, coverage: 3, popularityLift: 2, seconds: 1 };
export const NAME_WIDTH = 11;
const GAP = 2;
const MIN_BAR = 6;

export type Block = 'warm' | 'cold';

export function metricsOf(r: LeaderboardRow, block: Block): Aggregate | null {
  return block === 'warm' ? r.metrics : r.cold;
}

export function cellText(x: MeanSd | null, key: MetricKey, cv: boolean): string {
  if (x === null) return '—';
  if (!cv) return x.mean.toFixed(DIGITS[key]);
  const d = CV_DIGITS[key];
  return `${x.mean.toFixed(d)}±${x.sd.toFixed(d).replace(/^0(?=\.)/, '')}`;
}

export interface BoardLayout {
  /** The metric columns shown, in the table's order, with their widths. */
  columns: { key: MetricKey; width: number }[];
  barWidth: number;
}

export function layoutBoard(rows: readonly LeaderboardRow[], block: Block, sort: MetricKey, width: number): BoardLayout {
  const cv = rows.some((r) => r.splits.length > 1);
  const widthOf = (k: MetricKey) => Math.max(METRIC_HEADS[k].length + 1, ...rows.map((r) => cellText(metricsOf(r, block)?.[k] ?? null, k, cv).length));
  const chosen = new Set<MetricKey>();
  let used = NAME_WIDTH;
  for (const k of [sort, ...PRIORITY.filter((p) => p !== sort)]) {
    const w = widthOf(k) + GAP;
    if (used + w + GAP + MIN_BAR > width) continue;
    chosen.add(k);
    used += w;
  }
  return { columns: METRIC_KEYS.filter((k) => chosen.has(k)).map((key) => ({ key, width: widthOf(key) })), barWidth: Math.max(0, width - used - GAP) };
}

export function sortBoard(rows: readonly LeaderboardRow[], sort: MetricKey, block: Block): LeaderboardRow[] {
  return sortByMetric(rows.filter((r) => metricsOf(r, block) !== null), sort, (r, k) => metricsOf(r, block)?.[k]?.mean ?? null, (r) => r.model);
}

/** One bar per row for the sorted metric (longer is better), as fractions. */
export function boardBars(rows: readonly LeaderboardRow[], sort: MetricKey, block: Block): (number | null)[] {
  return barFractions(rows.map((r) => metricsOf(r, block)?.[sort]?.mean ?? null), sort);
}

/** The header line: the sorted column marked with which way is better. */
export function headerLine(layout: BoardLayout, sort: MetricKey, lowerIsBetter: boolean): string {
  const name = 'model'.padEnd(NAME_WIDTH);
  const cells = layout.columns.map(({ key, width }) => (key === sort ? `${METRIC_HEADS[key]}${lowerIsBetter ? '↓' : '↑'}` : METRIC_HEADS[key]).padStart(width));
  return [name, ...cells].join(' '.repeat(GAP));
}

export function rowCells(r: LeaderboardRow, block: Block, layout: BoardLayout, cv: boolean): string {
  const m = metricsOf(r, block);
  const name = `${r.cached ? '·' : ' '}${r.model}`.padEnd(NAME_WIDTH);
  const cells = layout.columns.map(({ key, width }) => cellText(m?.[key] ?? null, key, cv).padStart(width));
  return [name, ...cells].join(' '.repeat(GAP));
}
