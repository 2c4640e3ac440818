/**
 * `factorlens leaderboard` and the Leaderboard pane: every model on the same split (or the five folds
 * of cv5), one row each, through the one trainer and the same metrics (evaluate.ts). Rows come one
 * after another as events; a row already computed for this data, protocol and options is read from the
 * cache (cache.ts) instead, so reopening a leaderboard is instant.
 */
import { cv5Names } from '../../data/index.js';
import type { Dataset, Split } from '../../data/types.js';
import { meanSd, type MeanSd } from '../evaluate/folds.js';
import { modelKind } from '../models/index.js';
import { optionsFor } from '../train/options.js';
import { splitsOf } from '../train/splits.js';
import type { ModelKind, StopReason, TrainOptions, TrainResult } from '../types.js';
import { readRow, rowKey, writeRow } from './cache.js';
import { leaderboardEntry, LEADERBOARD_IDS } from './entries.js';
import { COLD_REVEAL, METRIC_KEYS, RANKING, scoreSplit, type MetricKey, type Metrics, type Range, type SplitScores } from './evaluate.js';

export interface LeaderboardRequest {
  /** random, u1..u5, ua, ub, time, fold1..5, files, or cv5 (five folds, mean ± sd). */
  protocol: string;
  /** Leaderboard ids (entries.ts); all of them when absent. */
  models?: string[];
  validPct?: number;
  seed?: number;
  splitFiles?: { train: string; test: string };
  /** 'use' (default): read cached rows, write new ones; 'refresh': recompute and overwrite; 'off': neither. */
  cache?: 'use' | 'refresh' | 'off';
  cacheDir?: string;
}

/**
 * Each metric over the folds: the one fold's value (sd 0) with its 95 % interval from resampling users
 * where it has one, or cv5's mean ± sd over the folds; null where the model has none.
 */
export type Aggregate = Record<MetricKey, (MeanSd & { interval?: Range }) | null>;

export interface LeaderboardRow {
  /** The leaderboard id ("itemknn", "recipe"). */
  model: string;
  description: string;
  kind: ModelKind;
  /** The model's resolved options (split fields as on the first fold). */
  options: TrainOptions;
  protocol: string;
  /** The folds' split names (one for a single split). */
  splits: string[];
  folds: SplitScores[];
  /** Users with training ratings (everyone, on a random split). */
  metrics: Aggregate;
  /** Users with none, folded in from their first COLD_REVEAL test ratings (the time split); null when no fold has them. */
  cold: Aggregate | null;
  /** Test ratings scored per fold, warm and cold, and the cold users (summed over folds). */
  warmRatings: number;
  coldRatings: number;
  coldUsers: number;
  /** How training ended (the worst over the folds). */
  reason: StopReason;
  cached: boolean;
}

export type LeaderboardEvent =
  | { type: 'start'; protocol: string; models: string[]; folds: string[] }
  | { type: 'progress'; model: string; fold: number; folds: number; fraction: number }
  /** `result`: the first fold's trained model, for a row computed now (a cached row has none). */
  | { type: 'row'; row: LeaderboardRow; result?: TrainResult }
  | { type: 'done'; rows: LeaderboardRow[]; seconds: number; cancelled: boolean };

export interface LeaderboardHooks {
  signal?: AbortSignal;
  onEvent?: (e: LeaderboardEvent) => void;
}

/** The metrics' own settings, part of every row's cache key. */
// version 3: single-split rows carry their metrics' intervals
const METRIC_SETTINGS = { ranking: RANKING, coldReveal: COLD_REVEAL, version: 3 };

export async function runLeaderboard(ds: Dataset, request: LeaderboardRequest, hooks: LeaderboardHooks = {}): Promise<LeaderboardRow[]> {
  const t0 = performance.now();
  const emit = hooks.onEvent ?? (() => {});
  const ids = request.models?.length ? request.models : LEADERBOARD_IDS;
  const entries = ids.map(leaderboardEntry);
  const split = { validPct: request.validPct, seed: request.seed, splitFiles: request.splitFiles };
  // the folds are made only when a row is not in the cache: a reopened board reads files and nothing else
  const names = request.protocol === 'cv5' ? cv5Names(ds) : [request.protocol];
  let made: Split[] | null = null;
  const folds = () => (made ??= splitsOf(ds, request.protocol, split));
  const cacheMode = request.cache ?? 'use';
  emit({ type: 'start', protocol: request.protocol, models: entries.map((e) => e.id), folds: names });
  const rows: LeaderboardRow[] = [];
  let cancelled = false;
  for (const entry of entries) {
    if (hooks.signal?.aborted) {
      cancelled = true;
      break;
    }
    const options = optionsFor(ds, { ...entry.options, ...split, split: names[0] });
    const { split: _s, validPct, seed, splitFiles, ...shaping } = options;
    const key = rowKey({ datasetHash: ds.hash, protocol: request.protocol, validPct, seed, splitFiles, options: shaping as TrainOptions, metrics: METRIC_SETTINGS });
    const hit = cacheMode === 'use' ? await readRow<LeaderboardRow>(key, request.cacheDir) : null;
    if (hit) {
      const row = revive({ ...hit, cached: true });
      rows.push(row);
      emit({ type: 'row', row });
      continue;
    }
    const splits = folds();
    const scores: SplitScores[] = [];
    const { trainModel } = await import('../train/train.js');
    let first: TrainResult | undefined;
    let reason: StopReason = 'completed';
    for (let f = 0; f < splits.length; f++) {
      let total = 1;
      let lastEmit = 0;
      const r = await trainModel(ds, splits[f], { ...entry.options, ...split, split: splits[f].name }, {
        signal: hooks.signal,
        onEvent: (e) => {
          if (e.type === 'start') total = Math.max(1, e.epochs * e.batchesPerEpoch);
          if (e.type !== 'batch' || performance.now() - lastEmit < 100) return;
          lastEmit = performance.now();
          emit({ type: 'progress', model: entry.id, fold: f, folds: splits.length, fraction: Math.min(1, (e.epoch * e.batchesPerEpoch + e.batch + 1) / total) });
        },
      });
      if (r.reason === 'cancelled') {
        cancelled = true;
        break;
      }
      if (r.reason === 'diverged') reason = 'diverged';
      emit({ type: 'progress', model: entry.id, fold: f, folds: splits.length, fraction: 1 });
      scores.push(scoreSplit(r.weights, ds, splits[f], r.seconds));
      first ??= r;
      // let a cancel (a message to a worker) arrive between folds
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (cancelled) break;
    const row = summarise(entry.id, entry.description, options, request.protocol, names, scores, reason);
    if (cacheMode !== 'off') await writeRow(key, row, request.cacheDir);
    rows.push(row);
    emit({ type: 'row', row, result: first });
  }
  emit({ type: 'done', rows, seconds: (performance.now() - t0) / 1000, cancelled });
  return rows;
}

function summarise(model: string, description: string, options: TrainOptions, protocol: string, splits: string[], folds: SplitScores[], reason: StopReason): LeaderboardRow {
  const coldFolds = folds.map((f) => f.cold).filter((c): c is Metrics => c !== null);
  return {
    model,
    description,
    kind: options.model,
    options,
    protocol,
    splits,
    folds,
    metrics: aggregate(folds.map((f) => f.warm), folds.length === 1 ? folds[0].intervals : undefined),
    cold: coldFolds.length ? aggregate(coldFolds) : null,
    warmRatings: folds.reduce((s, f) => s + f.warmRatings, 0),
    coldRatings: folds.reduce((s, f) => s + f.coldRatings, 0),
    coldUsers: folds.reduce((s, f) => s + f.coldUsers, 0),
    reason,
    cached: false,
  };
}

/** Mean ± sd (population, like Surprise's cross_validate) of each metric over the folds that have it. */
function aggregate(folds: Metrics[], intervals?: Partial<Record<MetricKey, Range>>): Aggregate {
  const out = {} as Aggregate;
  for (const k of METRIC_KEYS) {
    const xs = folds.map((f) => f[k]).filter((x): x is number => x !== null && Number.isFinite(x));
    const interval = intervals?.[k];
    out[k] = xs.length ? { ...meanSd(xs), ...(interval ? { interval } : {}) } : null;
  }
  return out;
}

/** A cached row as written (JSON turned non-finite numbers into null); its kind must still exist. */
function revive(row: LeaderboardRow): LeaderboardRow {
  modelKind(row.kind);
  return row;
}
