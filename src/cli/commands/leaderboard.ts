/**
 * `factorlens leaderboard`: every baseline and fastai's models on the same split, one row each, sorted
 * by any column, the sorted column drawn as bars; --json for scripts. Rows computed before for the same
 * data, split and options come from the cache at once.
 */
import { Command, Option } from 'commander';
import { loadDataset, resolveDataDir } from '../../data/index.js';
import {
  COLD_REVEAL,
  LEADERBOARD_IDS,
  LOWER_IS_BETTER,
  METRIC_HEADS,
  METRIC_KEYS,
  QUICK_IDS,
  runLeaderboard,
  type Aggregate,
  type LeaderboardRow,
  type MeanSd,
  type MetricKey,
  barFractions,
  sortByMetric,
} from '../../model/index.js';
import { UsageError, info, jsonOption, out, printJson } from '../common.js';
import { formatBar } from '../progress.js';
import { addSplitFlags, splitFromFlags } from '../trainFlags.js';
import { formatTable } from './data.js';

interface Flags {
  data?: string;
  split?: string;
  splitFiles?: string;
  validPct?: number;
  seed?: number;
  models?: string;
  sort?: string;
  json?: boolean;
  refresh?: boolean;
  cache?: boolean;
}


const SORT_KEYS: Record<string, MetricKey | 'model'> = {
  model: 'model',
  rmse: 'rmse',
  mae: 'mae',
  p10: 'p10',
  recall20: 'recall20',
  r20: 'recall20',
  ndcg10: 'ndcg10',
  ndcg: 'ndcg10',
  coverage: 'coverage',
  pop: 'popularityLift',
  popularitylift: 'popularityLift',
  seconds: 'seconds',
  secs: 'seconds',
};

export function registerLeaderboard(program: Command): void {
  const cmd = program
    .command('leaderboard')
    .description('every baseline and fastai model on the same split: RMSE/MAE, full-catalogue P@10, Recall@20, NDCG@10, coverage, popularity lift, seconds (cached)')
    .addOption(new Option('--data <dir>', 'dataset directory (default: $FACTORLENS_DATA, else the download cache)'));
  addSplitFlags(cmd, 'the split, or cv5 (five folds: mean ± sd)')
    .addOption(new Option('--models <ids>', `comma-separated, from ${LEADERBOARD_IDS.join(', ')} (default: all; "quick" = ${QUICK_IDS.join(',')})`))
    .addOption(new Option('--sort <column>', 'model, rmse, mae, p10, recall20, ndcg10, coverage, pop, seconds: best first (default: ndcg10)'))
    .addOption(new Option('--refresh', 'recompute every row (and overwrite the cache)'))
    .addOption(new Option('--no-cache', 'neither read nor write the cache'))
    .addOption(jsonOption())
    .action(async (f: Flags) => {
      const sort = SORT_KEYS[(f.sort ?? 'ndcg10').toLowerCase()];
      if (!sort) throw new UsageError(`--sort takes ${Object.keys(SORT_KEYS).join(', ')}, got "${f.sort}"`);
      const models = f.models === undefined ? undefined : f.models === 'quick' ? QUICK_IDS : f.models.split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = models?.filter((m) => !LEADERBOARD_IDS.includes(m)) ?? [];
      if (unknown.length) throw new UsageError(`unknown leaderboard model${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: choose from ${LEADERBOARD_IDS.join(', ')}`);
      const chosen = splitFromFlags(f);
      const protocol = chosen.split ?? 'random';
      const ds = await loadDataset(resolveDataDir(f.data));
      let folds: string[] = [protocol];
      const t0 = performance.now();
      const tty = Boolean(process.stderr.isTTY);
      const controller = new AbortController();
      const onSigint = () => {
        info('\nstopping after this step (Ctrl+C again quits at once)…');
        process.off('SIGINT', onSigint);
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      let rows: LeaderboardRow[];
      try {
        rows = await runLeaderboard(
          ds,
          { protocol, models, validPct: f.validPct, seed: f.seed, splitFiles: chosen.splitFiles, cache: f.cache === false ? 'off' : f.refresh ? 'refresh' : 'use' },
          {
            signal: controller.signal,
            onEvent: (e) => {
              if (e.type === 'start') {
                folds = e.folds;
                info(`leaderboard on ${ds.name}, split ${protocol}${protocol === 'cv5' ? ` (${folds.join(', ')})` : ''}`);
              }
              if (e.type === 'progress' && tty) {
                const fold = e.folds > 1 ? ` fold ${e.fold + 1}/${e.folds}` : '';
                process.stderr.write(`\r${e.model.padEnd(10)}${fold} ${formatBar(e.fraction, 24)} ${(100 * e.fraction).toFixed(0).padStart(3)}%\x1b[K`);
              }
              if (e.type === 'row') {
                if (tty) process.stderr.write('\r\x1b[K');
                info(`${e.row.model.padEnd(10)} ${e.row.cached ? 'cached' : `trained in ${fmtSeconds(e.row.metrics.seconds)} s`}`);
              }
            },
          },
        );
      } finally {
        process.off('SIGINT', onSigint);
      }
      if (controller.signal.aborted) info(`stopped: ${rows.length} row(s) finished`);
      const seconds = (performance.now() - t0) / 1000;
      const sorted = sortRows(rows, sort, 'warm');
      if (f.json) {
        printJson({
          dataset: { name: ds.name, hash: ds.hash },
          protocol,
          splits: folds,
          sort,
          seconds,
          rows: sorted.map((r) => jsonRow(r, r.metrics, protocol === 'cv5')),
          cold: sorted.some((r) => r.cold)
            ? { reveal: COLD_REVEAL, users: sorted[0]?.coldUsers ?? 0, ratings: sorted[0]?.coldRatings ?? 0, rows: sortRows(rows, sort, 'cold').filter((r) => r.cold).map((r) => jsonRow(r, r.cold!, protocol === 'cv5')) }
            : null,
        });
        return;
      }
      const warmWho = rows.some((r) => r.coldRatings > 0) ? `users with training ratings (${rows[0]?.warmRatings ?? 0} test ratings)` : `${rows[0]?.warmRatings ?? 0} test ratings`;
      out(`${warmWho}; sorted by ${sort === 'model' ? 'model' : `${METRIC_HEADS[sort]} (${LOWER_IS_BETTER[sort] ? 'lower' : 'higher'} is better; the longer bar is better)`}; · = from the cache`);
      out(leaderboardTable(sorted, sort, (r) => r.metrics));
      const ranges = intervalsTable(sorted);
      if (ranges) out(`\n95 % intervals (resampling users; two rows differ where these do not overlap):\n${ranges}`);
      const withCold = sortRows(rows, sort, 'cold').filter((r) => r.cold);
      if (withCold.length) {
        const r0 = withCold[0];
        out(`\nusers with no training ratings (${r0.coldUsers} users, ${r0.coldRatings} test ratings): each folded in from their first ${COLD_REVEAL} test ratings, scored on the rest`);
        out(leaderboardTable(withCold, sort, (r) => r.cold!));
      }
      info(`${rows.length} rows in ${seconds.toFixed(1)} s (${rows.filter((r) => r.cached).length} from the cache)`);
    });
}

function fmtSeconds(x: MeanSd | null): string {
  return x ? x.mean.toFixed(1) : '—';
}

function jsonRow(r: LeaderboardRow, m: Aggregate, cv: boolean) {
  const value = (x: MeanSd | null) => (x === null ? null : cv ? { mean: x.mean, sd: x.sd } : x.mean);
  const intervals = Object.fromEntries(METRIC_KEYS.flatMap((k) => (m[k]?.interval ? [[k, [m[k]!.interval!.low, m[k]!.interval!.high]]] : [])));
  return {
    model: r.model,
    kind: r.kind,
    ...Object.fromEntries(METRIC_KEYS.map((k) => [k, value(m[k])])),
    // one split: each metric's 95 % interval from resampling users, [low, high] (cv5 gives mean ± sd instead)
    ...(cv ? {} : { intervals }),
    cached: r.cached,
    reason: r.reason,
  };
}

/** RMSE and NDCG@10 with their intervals, one row per model ('' when no row has one: cv5). */
export function intervalsTable(rows: LeaderboardRow[]): string {
  const keys = (['rmse', 'ndcg10'] as const).filter((k) => rows.some((r) => r.metrics[k]?.interval));
  if (keys.length === 0) return '';
  const body = rows.map((r) => [
    r.model,
    ...keys.map((k) => {
      const x = r.metrics[k];
      return x?.interval ? `${x.mean.toFixed(DIGITS[k])} [${x.interval.low.toFixed(DIGITS[k])}–${x.interval.high.toFixed(DIGITS[k])}]` : '—';
    }),
  ]);
  return formatTable(['model', ...keys.map((k) => METRIC_HEADS[k])], body, 'l' + 'r'.repeat(keys.length)).trimEnd();
}

/** Best first on `key`; rows without it last, by name. */
export function sortRows(rows: LeaderboardRow[], key: MetricKey | 'model', block: 'warm' | 'cold'): LeaderboardRow[] {
  return sortByMetric(rows, key, (r, k) => (block === 'warm' ? r.metrics : r.cold)?.[k]?.mean ?? null, (r) => r.model);
}

function cell(x: MeanSd | null, digits: number, cv: boolean): string {
  if (x === null) return '—';
  return cv ? `${x.mean.toFixed(digits)}±${x.sd.toFixed(digits)}` : x.mean.toFixed(digits);
}

const DIGITS: Record<MetricKey, number> = { rmse: 4, mae: 4, p10: 4, recall20: 4, ndcg10: 4, coverage: 3, popularityLift: 2, seconds: 1 };

/** The rows as a text table, the sorted column drawn as bars (longer is better, see barFraction). */
export function leaderboardTable(rows: LeaderboardRow[], sort: MetricKey | 'model', metrics: (r: LeaderboardRow) => Aggregate): string {
  const cv = rows.some((r) => r.splits.length > 1);
  const barKey: MetricKey = sort === 'model' ? 'ndcg10' : sort;
  const bars = barFractions(rows.map((r) => metrics(r)[barKey]?.mean ?? null), barKey);
  const header = ['model', ...METRIC_KEYS.map((k) => METRIC_HEADS[k]), METRIC_HEADS[barKey]];
  const body = rows.map((r, i) => {
    const m = metrics(r);
    const f = bars[i];
    const bar = f === null ? '' : formatBar(f, 20).replace(/░+$/, '');
    return [`${r.cached ? '·' : ' '}${r.model}`, ...METRIC_KEYS.map((k) => cell(m[k], DIGITS[k], cv)), bar];
  });
  return formatTable(header, body, 'l' + 'r'.repeat(METRIC_KEYS.length) + 'l').trimEnd();
}
