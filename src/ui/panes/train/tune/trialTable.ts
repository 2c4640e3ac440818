/** The trials as the Tune view lists them: running first, then the best finished, longest runs first. */
import type { TrialRow } from '../../../services.js';
import { padEnd, padStart } from '../../../lib/format.js';

const ORDER: Record<string, number> = { running: 0, done: 1, waiting: 1, promoted: 1, stopped: 2, cancelled: 3, diverged: 4, failed: 4, skipped: 5, queued: 6 };

export function orderTrials(trials: readonly TrialRow[], better: 'lower' | 'higher'): TrialRow[] {
  const sign = better === 'lower' ? 1 : -1;
  const group = (t: TrialRow) => (t.state === 'running' ? 0 : Number.isFinite(t.metric) ? 1 : 2 + (ORDER[t.state] ?? 9));
  return [...trials].sort((a, b) => group(a) - group(b) || b.rung - a.rung || sign * ((Number.isFinite(a.metric) ? a.metric : 0) - (Number.isFinite(b.metric) ? b.metric : 0)) || a.id - b.id);
}

/** One line per trial in `width` cells: id, state, rung, metric, then as much of the configuration as fits. */
export function trialLine(t: TrialRow | null, width: number, withKind: boolean): string {
  // 'baseline' fits whole, with a space after it ('popularity' is cut)
  const kind = withKind ? 9 : 0;
  const fixedCols = 4 + 10 + 4 + 7 + kind;
  const rest = Math.max(0, width - fixedCols);
  if (!t) return [padEnd('#', 4), padEnd('state', 10), padEnd('rung', 4), padStart('valid', 6) + ' ', withKind ? padEnd('kind', kind - 1) + ' ' : '', padEnd('configuration', rest)].join('');
  const metric = Number.isFinite(t.metric) ? t.metric.toFixed(4) : '—';
  return [padEnd(String(t.id), 4), padEnd(t.state, 10), padEnd(`${t.rung + 1}/${t.rungs}`, 4), padStart(metric, 6) + ' ', withKind ? padEnd(t.candidate, kind - 1) + ' ' : '', padEnd(t.config, rest)].join('');
}
