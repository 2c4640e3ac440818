/**
 * `tune`: the best model a time budget buys, found on a validation set carved from the training ratings.
 *
 * 1. A seeded share (10 %) of split.train becomes the search's validation set; the trials train on the rest.
 * 2. Successive halving (scheduler.ts) over the candidates' ranges (space.ts), one trial per worker.
 * 3. The winner (the best whole run) is retrained on all of split.train — the data every published u1
 *    number trains on — as `members` seeds averaged, the members in parallel on the workers.
 * 4. The test rows (split.valid) are touched once: the retrained model's RMSE on them, `testRmse`.
 *
 * The budget covers all of it, start-up and the final run included: the search stops early enough to
 * leave the final run its expected time (the winner's own measured time, scaled to the whole training
 * set, with a margin). Should the final run still not be done when the budget ends, it is cancelled and
 * the winner's own trial model (trained on the search's rows) is tested instead — and the result says so.
 */
import type { Dataset, Split } from '../../data/types.js';
import { evaluateColumns, selectRows, type Metrics } from '../evaluate/metrics.js';
import { rankingMetrics } from '../evaluate/ranking.js';
import { combineMembers, memberSeed } from '../train/ensemble.js';
import { optionsFor } from '../train/train.js';
import { solverFor } from '../train/solvers/index.js';
import type { ModelKind, ModelWeights, TrainEvent, TrainOptions, TrainResult } from '../types.js';
import { vocabFromDataset } from '../models/vocab.js';
import { modelKind } from '../models/index.js';
import { carveHoldout, type Holdout } from './holdout.js';
import { DEFAULT_PLAN, pickWinner, successiveHalving, type BestPoint, type HalvingPlan, type Job, type TrialRecord, type TrialState } from './scheduler.js';
import { anchorConfigs, BLEND_CANDIDATE, candidatesFor, describeConfig, rungOptions, sampleBracket, type Candidate, type Dimension, type TuneConfig } from './space.js';
import type { TrialOutcome, TuneMetric } from './trial.js';
import type { TunePool } from '../runtime/tunePool.js';

export interface TuneOptions {
  /** 'all', or a comma list of kinds and 'autorec'. */
  model: string;
  budgetSeconds: number;
  metric: TuneMetric;
  seed: number;
  /** Share of the training ratings the search validates on. */
  holdoutShare: number;
  /** Seeds averaged in the final run (blendable candidates only). */
  members: number;
  /** Stop after this many configurations (with no budget, the whole search is deterministic). */
  maxTrials?: number;
  plan: HalvingPlan;
  /** performance.now() at which the budget began (the CLI: 0, the process start). */
  startedAt?: number;
  /** The two files of a 'files' split (the winner's options name them, as a trained model's do). */
  splitFiles?: TrainOptions['splitFiles'];
}

export const TUNE_DEFAULTS: Omit<TuneOptions, 'model'> = { budgetSeconds: 60, metric: 'rmse', seed: 42, holdoutShare: 0.1, members: 2, plan: DEFAULT_PLAN };

/** One trial as the table shows it. */
export interface TrialRow {
  id: number;
  bracket: number;
  candidate: string;
  config: string;
  options: Partial<TrainOptions>;
  /** The rung it is on or last ran (0-based), and how many the plan has. */
  rung: number;
  rungs: number;
  /** Its validation metric at the last rung it finished (NaN when none). */
  metric: number;
  state: TrialState;
  seconds: number;
  detail?: string;
}

export type TuneEvent =
  | { type: 'trials'; trials: TrialRow[]; best: BestPoint[]; elapsed: number; phase: 'search' }
  | { type: 'final'; phase: 'final'; message: string; epoch: number; epochs: number; elapsed: number }
  | { type: 'done'; result: TuneResult };

export interface TuneHooks {
  /** Stops the search; the best so far is still retrained and tested (Esc, the first Ctrl+C). */
  signal?: AbortSignal;
  /** Stops everything at once, the final run too (the app quitting). */
  quit?: AbortSignal;
  onEvent?: (e: TuneEvent) => void;
  /** How often trial tables are sent (ms); default 250. */
  throttleMs?: number;
}

export interface TuneResult {
  metric: TuneMetric;
  budgetSeconds: number;
  searchSpace: { candidate: string; anchor: Partial<TrainOptions>; dimensions: Dimension[] }[];
  holdout: { share: number; train: number; valid: number; seed: number };
  trials: TrialRow[];
  best: BestPoint[];
  ended: 'trials' | 'budget' | 'stopped';
  winner: {
    trial: number;
    candidate: string;
    config: string;
    options: TrainOptions;
    validMetric: number;
    rung: number;
  } | null;
  /** The winner's model on all the training rows ('retrained'), or its trial model when no retrain could finish. */
  finalFrom: 'retrained' | 'trial' | 'none';
  /** The test split, touched once: the final model's numbers on it. */
  test: { rmse: number; mae: number; ndcg?: number; n: number } | null;
  /** The final model (the app's current model; savable as a snapshot). */
  model: TrainResult | null;
  seconds: { search: number; final: number; total: number };
  message: string;
}

export function tuneOptionsFrom(partial: Partial<TuneOptions> & { model: string }): TuneOptions {
  const o = { ...TUNE_DEFAULTS, ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) } as TuneOptions;
  return o;
}

/**
 * Margin on the final run's expected time (on top of the whole training set's ~11 % more rows): the
 * machine's load swings, and a final run cut short leaves only the trial model (u1: ~0.007 worse). At 1.5
 * a 300 s search of the AutoRec stack on two busy cores (load 2 → 5 during the run) cut its final run at
 * 51 of 70 epochs; the stack's trial time also hides its U-AutoRec when a worker had trained it already.
 */
const FINAL_MARGIN = 2;
/** Fixed costs after the final run: moving weights between threads, averaging, the test evaluation. */
const FINAL_FIXED_SECONDS = 1.5;
/** The most of the budget kept for the final run; a longer one is cut off and the trial model tested instead. */
const MAX_RESERVE = 0.5;
/** The final run is stopped this long before the budget ends, leaving time to test and report. */
const AFTER_FINAL_SECONDS = 0.7;

export async function tuneModel(ds: Dataset, split: Split, partial: Partial<TuneOptions> & { model: string }, makePool: (holdout: Holdout) => TunePool, hooks: TuneHooks = {}): Promise<TuneResult> {
  const o = tuneOptionsFrom(partial);
  const t0 = o.startedAt ?? performance.now();
  const end = t0 + o.budgetSeconds * 1000;
  const elapsed = () => (performance.now() - t0) / 1000;
  const emit = hooks.onEvent ?? (() => {});
  const candidates = candidatesFor(o.model, o.metric);
  const better = o.metric === 'rmse' ? 'lower' : 'higher';
  const holdout = carveHoldout(split.train, o.holdoutShare, o.seed);
  const scaleToFull = split.train.length / Math.max(1, holdout.train.length);
  const pool = makePool(holdout);
  const weightsOf = new Map<number, ModelWeights>();
  const searchStart = performance.now();

  let lastSent = 0;
  const sendTrials = (trials: readonly TrialRecord<TuneConfig>[], best: readonly BestPoint[], force = false) => {
    if (!force && performance.now() - lastSent < (hooks.throttleMs ?? 250)) return;
    lastSent = performance.now();
    emit({ type: 'trials', trials: trials.map((t) => trialRow(t, o.plan)), best: [...best], elapsed: elapsed(), phase: 'search' });
  };

  /**
   * The final run's expected seconds, scaled to the whole training set: the current best whole run's
   * once there is one; before that, the slowest anchor's estimate (an anchor is what wins when the
   * search finds nothing better, so its final run must fit).
   */
  let reserve = 0;
  const anchorIds = candidates.map((_, i) => i);
  const updateReserve = (trials: readonly TrialRecord<TuneConfig>[]) => {
    const w = pickWinner(trials, better);
    // the machine's speed moves (a shared machine's load doubles in minutes): the winner's own time, or what
    // its candidate's jobs cost now (median), whichever is longer
    const whole =
      w && w.result.fraction === 1
        ? Math.max(w.result.seconds, estimateWhole(w.trial, trials))
        : Math.max(0, ...anchorIds.filter((i) => trials[i]).map((i) => estimateWhole(trials[i], trials)));
    // never more than half the budget: past that the search would find nothing worth retraining
    reserve = Math.min(o.budgetSeconds * MAX_RESERVE, whole * scaleToFull * FINAL_MARGIN + FINAL_FIXED_SECONDS);
  };

  let result: Awaited<ReturnType<typeof successiveHalving<TuneConfig>>>;
  try {
    result = await successiveHalving<TuneConfig>({
      plan: o.plan,
      slots: pool.slots,
      better,
      anchors: anchorConfigs(candidates),
      // bracket 0 holds the anchors: the sampled brackets count from 1
      sample: (b, n, history) => sampleBracket(b - 1, n, history, candidates, { seed: o.seed, better }),
      run: async (job: Job<TuneConfig>, signal) => {
        // every trial trains from the search's seed, as the final run will
        const out: TrialOutcome = await pool.trial({ ...job.config, options: { ...job.config.options, seed: o.seed } }, job.fraction, signal);
        if (out.weights) weightsOf.set(job.trial, out.weights);
        return { state: out.state, metric: out.metric, seconds: out.seconds, config: out.config, detail: out.detail };
      },
      deadline: () => end - reserve * 1000,
      maxTrials: o.maxTrials,
      estimate: (job, trials) => estimateJob(job, trials),
      signal: anySignal(hooks.signal, hooks.quit),
      onUpdate: (trials, best) => {
        updateReserve(trials);
        sendTrials(trials, best);
      },
    });
  } catch (err) {
    await pool.close();
    throw err;
  }
  sendTrials(result.trials, result.best, true);
  const searchSeconds = (performance.now() - searchStart) / 1000;

  const w = pickWinner(result.trials, better);
  const trials = result.trials.map((t) => trialRow(t, o.plan));
  const base = {
    metric: o.metric,
    budgetSeconds: o.budgetSeconds,
    searchSpace: candidates.map((c: Candidate) => ({ candidate: c.name, anchor: c.anchor, dimensions: c.dims })),
    holdout: { share: o.holdoutShare, train: holdout.train.length, valid: holdout.valid.length, seed: o.seed },
    trials,
    best: result.best,
    ended: result.ended,
  };
  if (!w) {
    await pool.close();
    const none: TuneResult = { ...base, winner: null, finalFrom: 'none', test: null, model: null, seconds: { search: searchSeconds, final: 0, total: elapsed() }, message: 'no trial finished within the budget: give it more time' };
    emit({ type: 'done', result: none });
    return none;
  }

  // the final run: the winner on every training row, its members in parallel
  const finalStart = performance.now();
  const members = blendable(w.trial.config) ? Math.max(1, o.members) : 1;
  let winnerOptions: TrainOptions;
  try {
    winnerOptions = optionsFor(ds, { ...w.trial.config.options, split: split.name, ...(o.splitFiles ? { splitFiles: o.splitFiles } : {}), seed: o.seed, members: members > 1 ? members : undefined });
  } catch (err) {
    // the workers would keep the process alive
    await pool.close();
    throw err;
  }
  const controller = new AbortController();
  const stopFinal = () => controller.abort();
  // the search's stop has already fired (it ended the search); only quitting stops the final run
  if (hooks.quit?.aborted) controller.abort();
  hooks.quit?.addEventListener('abort', stopFinal);
  const hardStop = setTimeout(stopFinal, Math.max(0, end - AFTER_FINAL_SECONDS * 1000 - performance.now()));
  let model: TrainResult | null = null;
  let finalFrom: TuneResult['finalFrom'] = 'retrained';
  let note = '';
  try {
    // the loop's epochs of the winner's solver (a closed form: its own, often one), then its AutoRecs'
    const totalEpochs = members * (solverFor(winnerOptions.model).epochs(winnerOptions) + (winnerOptions.autorec?.epochs ?? 0) + (winnerOptions.autorec?.users?.epochs ?? 0));
    const done = new Array<number>(members).fill(0);
    const runs = Array.from({ length: members }, (_, k) =>
      pool.final(
        { ...winnerOptions, members: undefined, seed: memberSeed(o.seed, k) },
        split,
        (e) => {
          if (e.type !== 'epoch') return;
          done[k]++;
          const n = done.reduce((a, b) => a + b, 0);
          emit({ type: 'final', phase: 'final', message: `retraining the winner on all ${split.train.length} training ratings (${members} member${members > 1 ? 's' : ''})`, epoch: n, epochs: totalEpochs, elapsed: elapsed() });
        },
        controller.signal,
        k === 0,
      ),
    );
    emit({ type: 'final', phase: 'final', message: `retraining the winner on all ${split.train.length} training ratings`, epoch: 0, epochs: totalEpochs, elapsed: elapsed() });
    const results = await Promise.all(runs);
    if (results.every((r) => r.reason === 'completed')) model = members > 1 ? combineMembers(results, winnerOptions, null) : { ...results[0], options: winnerOptions };
    else note = results.find((r) => r.reason !== 'completed')!.message;
  } catch (err) {
    note = err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(hardStop);
    hooks.quit?.removeEventListener('abort', stopFinal);
    await pool.close();
  }
  if (!model) {
    const trialWeights = weightsOf.get(w.trial.id);
    finalFrom = trialWeights ? 'trial' : 'none';
    if (trialWeights) model = trialModel(ds, split, trialWeights, optionsFor(ds, { ...w.trial.config.options, split: split.name, ...(o.splitFiles ? { splitFiles: o.splitFiles } : {}), seed: o.seed }), w.result.seconds);
  }
  const finalSeconds = (performance.now() - finalStart) / 1000;

  // the one look at the test rows
  let test: TuneResult['test'] = null;
  if (model && split.valid.length) {
    // a rank-only winner (an NDCG search) predicts no rating: its test RMSE is not a number (null in JSON)
    const rates = modelKind(winnerOptions.model).shows.ratings;
    const m: Metrics = rates ? evaluateColumns(model.weights, selectRows(ds, split.valid)) : { rmse: NaN, mae: NaN, mse: NaN, n: split.valid.length };
    test = { rmse: m.rmse, mae: m.mae, n: m.n, ...(o.metric === 'ndcg' ? { ndcg: rankingMetrics(model.weights, ds, split).ndcg } : {}) };
    // the run validated on nothing; its last row carries the test numbers, measured once, after training
    const rows = model.epochs;
    if (rows.length && rates) rows[rows.length - 1] = { ...rows[rows.length - 1], validLoss: m.mse, validRmse: m.rmse, validMae: m.mae };
    model = { ...model, split: split.name, message: `tuned: ${describeConfig(w.trial.config)}; ${testText(test)}` };
  }
  const fmt = (x: number) => (o.metric === 'rmse' ? x.toFixed(4) : x.toFixed(4));
  const message =
    `${trials.length} trials in ${searchSeconds.toFixed(0)} s; winner #${w.trial.id} (${w.trial.config.candidate}: ${describeConfig(w.trial.config)}), validation ${o.metric} ${fmt(w.result.metric)}` +
    (test ? `; ${testText(test)}` : '') +
    (finalFrom === 'trial' ? ` (its trial model: the retrain did not finish in the budget${note ? ` — ${note}` : ''})` : '') +
    (finalFrom === 'none' ? ` (no model: ${note})` : '');
  const out: TuneResult = {
    ...base,
    winner: { trial: w.trial.id, candidate: w.trial.config.candidate, config: describeConfig(w.trial.config), options: winnerOptions, validMetric: w.result.metric, rung: w.result.rung },
    finalFrom,
    test,
    model,
    seconds: { search: searchSeconds, final: finalSeconds, total: elapsed() },
    message,
  };
  emit({ type: 'done', result: out });
  return out;
}

/** "test RMSE 0.9050", with the test NDCG@10 after it in an NDCG search (a rank-only model: NDCG alone). */
function testText(test: NonNullable<TuneResult['test']>): string {
  const parts = Number.isFinite(test.rmse) ? [`test RMSE ${test.rmse.toFixed(4)}`] : [];
  if (test.ndcg !== undefined) parts.push(`test NDCG@10 ${test.ndcg.toFixed(4)}`);
  return parts.join(', ');
}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const given = signals.filter((s): s is AbortSignal => s !== undefined);
  if (given.length <= 1) return given[0];
  const c = new AbortController();
  for (const s of given) {
    if (s.aborted) c.abort();
    else s.addEventListener('abort', () => c.abort(), { once: true });
  }
  return c.signal;
}

/** Candidates whose members average into one model (dotbias, and the blend, itself a dotbias model). */
function blendable(c: TuneConfig): boolean {
  return c.candidate === BLEND_CANDIDATE || modelKind(c.options.model ?? (c.candidate as ModelKind)).trainerKeys.includes('members');
}

function trialRow(t: TrialRecord<TuneConfig>, plan: HalvingPlan): TrialRow {
  const ran = t.rungs.filter((r) => r.state === 'done');
  // the rung it is on (running, or where it was cut off), with the metric of the last rung it finished
  const top = t.rungs.at(-1);
  return {
    id: t.id,
    bracket: t.bracket,
    candidate: t.config.candidate,
    config: describeConfig(t.config),
    options: t.config.options,
    rung: top?.rung ?? 0,
    rungs: plan.rungs.length,
    metric: ran.at(-1)?.metric ?? NaN,
    state: t.state,
    seconds: t.rungs.reduce((a, r) => a + r.seconds, 0),
    ...(t.detail ? { detail: t.detail } : {}),
  };
}

/**
 * What a job costs, in epochs of batch size 64: an epoch's time goes mostly to its steps (bs 256 runs an epoch
 * in ~0.35–0.45 of bs 64's time here), the rest to its ratings. The blend: its AutoRecs' epochs (an epoch of
 * either costs about the same: every training rating once through a network of the same width).
 */
function workOf(config: TuneConfig, fraction: number): number {
  const o = rungOptions(config, fraction);
  if (config.candidate === BLEND_CANDIDATE) return (o.autorec?.epochs ?? 1) + (o.autorec?.users?.epochs ?? 0);
  return (o.epochs ?? 1) * (0.2 + (0.8 * 64) / (o.bs ?? 64));
}

/** Seconds per unit of work (workOf) of the finished jobs of this candidate (median); undefined before any. */
function secondsPerEpoch(config: TuneConfig, trials: readonly TrialRecord<TuneConfig>[]): number | undefined {
  const rates: number[] = [];
  for (const t of trials) {
    if (t.config.candidate !== config.candidate) continue;
    for (const r of t.rungs) if (r.state === 'done' && r.seconds > 0) rates.push(r.seconds / workOf(t.config, r.fraction));
  }
  if (!rates.length) return undefined;
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)];
}

function estimateJob(job: Job<TuneConfig>, trials: readonly TrialRecord<TuneConfig>[]): number | undefined {
  const rate = secondsPerEpoch(job.config, trials);
  return rate === undefined ? undefined : rate * workOf(job.config, job.fraction);
}

/** A whole run's expected seconds for this trial (or the first trial) from what its candidate has cost so far. */
function estimateWhole(t: TrialRecord<TuneConfig> | null, trials: readonly TrialRecord<TuneConfig>[]): number {
  const any = t ?? trials[0];
  if (!any) return 0;
  const rate = secondsPerEpoch(any.config, trials);
  return rate === undefined ? 0 : rate * workOf(any.config, 1);
}

/** The winner's trial model as a result (trained on the search's rows, not all of them). */
function trialModel(ds: Dataset, split: Split, weights: ModelWeights, options: TrainOptions, seconds: number): TrainResult {
  return {
    weights,
    vocab: vocabFromDataset(ds),
    options,
    epochs: [],
    batchLosses: [],
    backend: 'wasm',
    reason: 'completed',
    message: 'the search trial model of the winner (trained on the search rows)',
    seconds,
    dataset: { name: ds.name, nRatings: ds.nRatings, nUsers: ds.nUsers, nItems: ds.nItems, hash: ds.hash },
    split: split.name,
  };
}

export type { TrainEvent };
