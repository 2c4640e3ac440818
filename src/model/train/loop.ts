/**
 * The one training loop. A run is one or more stages (the dotbias model, then an AutoRec blended with
 * it), each a solver trained for some epochs under fit_one_cycle or a constant lr. The loop owns
 * everything a solver should not: the schedule, the typed events, cancelling within one step, yielding
 * to the event loop, and divergence — a NaN, an exploding loss, or a validation loss far worse than a
 * blind guess — after which, as after a cancel, the last finished epoch's weights are kept.
 */
import { regressionMetrics, type Columns } from '../evaluate/metrics.js';
import { makeSchedule } from '../engine/schedule.js';
import type { EpochRow, Schedule, StopReason, TrainEvent } from '../types.js';
import type { Solver } from './solvers/solver.js';

export interface TrainHooks {
  signal?: AbortSignal;
  onEvent?: (e: TrainEvent) => void;
  /** How often (ms of work) to yield to the event loop so messages (cancel) get through. */
  yieldEveryMs?: number;
}

export interface Stage {
  solver: Solver;
  epochs: number;
  lr: number;
  schedule: Schedule;
  /** What the messages call this stage ("the AutoRec stage"); empty for a one-stage run. */
  name: string;
}

export interface LoopPlan {
  /** The stages in order; each is made when the previous one has finished (it may build on its weights). */
  stages: (() => Stage)[];
  /** Epochs of all stages together (the progress bar's whole). */
  totalEpochs: number;
  /** Steps per epoch the progress events count in (default: the first stage's); other stages' are rescaled. */
  displaySteps?: number;
  valid: Columns | null;
  yRange: [number, number];
  backend: string;
}

export interface LoopResult {
  epochs: EpochRow[];
  batchLosses: number[];
  reason: StopReason;
  /** Why it stopped early; '' when every stage completed. */
  message: string;
  /** How many stages ran to the end. */
  stagesCompleted: number;
  seconds: number;
}

/** How much worse than the blind guess an epoch may end before the run counts as diverged. */
const DIVERGED_VS_BLIND = 1.5;

export async function runStages(plan: LoopPlan, hooks: TrainHooks, onStageDone: (index: number, solver: Solver) => void): Promise<LoopResult> {
  const emit = hooks.onEvent ?? (() => {});
  const yieldMs = hooks.yieldEveryMs ?? 20;
  const [lo, hi] = plan.yRange;
  // A model that learned nothing predicts the middle of y_range. sigmoid_range keeps the loss finite, so
  // a too-high lr often shows no NaN at all (lr 10 with wd 0.1 wipes the weights every step): a run
  // whose validation loss ends an epoch far above that blind guess has diverged all the same.
  const blindMse = plan.valid ? constantMse(plan.valid.ratings, (lo + hi) / 2) : NaN;
  const epochs: EpochRow[] = [];
  const batchLosses: number[] = [];
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  let lastYield = t0;
  let reason: StopReason = 'completed';
  let message = '';
  let stagesCompleted = 0;
  let display = 0;
  let started = false;

  for (let si = 0; si < plan.stages.length && reason === 'completed'; si++) {
    const stage = plan.stages[si]();
    const { solver } = stage;
    try {
      if (!started) {
        started = true;
        // the progress bar counts every epoch in the steps of one stage; other stages' steps are rescaled to it
        display = plan.displaySteps ?? solver.steps;
        emit({ type: 'start', backend: plan.backend, weightsIn: solver.weightsIn, threads: solver.threads, epochs: plan.totalEpochs, batchesPerEpoch: display, nParams: solver.nParams });
      }
      const where = stage.name ? ` (${stage.name})` : '';
      const kept = () => `kept the weights of epoch ${epochs.length}`;
      const stop = (why: StopReason, text: string) => {
        reason = why;
        message = text;
        solver.restore();
      };
      const schedule = makeSchedule(stage.schedule, stage.lr, stage.epochs * solver.steps);
      let firstLosses = 0;
      let ema = NaN;
      let pending = 0;
      let pendingN = 0;
      outer: for (let e = 0; e < stage.epochs; e++) {
        const epoch = epochs.length;
        const te = performance.now();
        solver.beginEpoch();
        let sum = 0;
        for (let b = 0; b < solver.steps; b++) {
          if (hooks.signal?.aborted) {
            stop('cancelled', `cancelled during epoch ${epoch + 1}${where}; keeping the weights of epoch ${epochs.length}` + (epochs.length ? '' : ' (untrained)'));
            break outer;
          }
          const step = e * solver.steps + b;
          const { lr, beta1 } = schedule(step);
          const loss = solver.step(b, { lr, beta1 }, (b2) => schedule(e * solver.steps + b2));
          if (step < 10) firstLosses += loss / 10;
          ema = Number.isNaN(ema) ? loss : 0.98 * ema + 0.02 * loss;
          const exploded = step >= 10 && step >= Math.min(50, solver.steps) && ema > 3 * firstLosses && ema > 1;
          if (!Number.isFinite(loss) || exploded) {
            const what = Number.isFinite(loss) ? `loss exploded (${ema.toFixed(3)} after starting at ${firstLosses.toFixed(3)})` : 'loss became NaN';
            stop('diverged', `${what} at epoch ${epoch + 1}, batch ${b + 1}${where}: lr ${stage.lr} is too high; ${kept()}`);
            break outer;
          }
          sum += loss;
          batchLosses.push(loss);
          pending += loss;
          pendingN++;
          const shown = Math.floor(((b + 1) * display) / solver.steps);
          if (shown > Math.floor((b * display) / solver.steps)) {
            emit({ type: 'batch', epoch, batch: shown - 1, batchesPerEpoch: display, loss: pending / pendingN, lr, elapsed: elapsed() });
            pending = 0;
            pendingN = 0;
          }
          if (performance.now() - lastYield > yieldMs) {
            await new Promise<void>((r) => setImmediate(r));
            lastYield = performance.now();
          }
        }
        const m = plan.valid ? regressionMetrics(solver.predict(plan.valid), plan.valid.ratings) : { mse: NaN, rmse: NaN, mae: NaN };
        if (plan.valid && !Number.isFinite(m.mse)) {
          stop('diverged', `validation loss is not a number after epoch ${epoch + 1}${where}: lr ${stage.lr} is too high; ${kept()}`);
          break;
        }
        if (m.mse > DIVERGED_VS_BLIND * blindMse) {
          stop(
            'diverged',
            `validation loss ${m.mse.toFixed(3)} after epoch ${epoch + 1}${where} is far worse than predicting ${(lo + hi) / 2} for every rating ` +
              `(${blindMse.toFixed(3)}): lr ${stage.lr} is too high; ${kept()}`,
          );
          break;
        }
        solver.keep();
        const row: EpochRow = {
          epoch,
          trainLoss: solver.epochLoss?.() ?? sum / solver.steps,
          validLoss: m.mse,
          validRmse: m.rmse,
          validMae: m.mae,
          seconds: (performance.now() - te) / 1000,
        };
        epochs.push(row);
        emit({ type: 'epoch', row });
      }
      if (reason === 'completed') stagesCompleted++;
      onStageDone(si, solver);
    } finally {
      solver.dispose();
    }
  }
  return { epochs, batchLosses, reason, message, stagesCompleted, seconds: elapsed() };
}

function constantMse(ratings: Float32Array, guess: number): number {
  let se = 0;
  for (let i = 0; i < ratings.length; i++) se += (ratings[i] - guess) ** 2;
  return ratings.length ? se / ratings.length : NaN;
}
