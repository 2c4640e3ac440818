/**
 * Where the search's jobs run: worker threads, one job each (the app and the CLI), or this thread (tests,
 * tiny data). Either way a pool runs at most `slots` jobs at once and cancels a job on its signal.
 */
import { Worker } from 'node:worker_threads';
import type { Dataset, Split } from '../../data/types.js';
import { trainModel } from '../train/train.js';
import { pickModelFor } from '../interpret/pickAndLike.js';
import type { Holdout } from '../tune/holdout.js';
import type { TuneConfig } from '../tune/space.js';
import { TrialRunner, type TrialOutcome, type TuneMetric } from '../tune/trial.js';
import type { TrainEvent, TrainOptions, TrainResult } from '../types.js';
import type { TuneWorkerInput, TuneWorkerReply, TuneWorkerRequest } from './tuneWorker.js';
import { workerScript } from './workerScript.js';

export interface TunePool {
  readonly slots: number;
  /** One rung of a trial on the holdout. */
  trial(config: TuneConfig, fraction: number, signal: AbortSignal): Promise<TrialOutcome>;
  /**
   * A run on the whole training set (split.train), with no validation; its test rows are never sent.
   * `withPick`: also fit the pick model of those ratings (the new-user ranking's other half).
   */
  final(options: Partial<TrainOptions>, split: Pick<Split, 'name' | 'train'>, onEvent: (e: TrainEvent) => void, signal: AbortSignal, withPick?: boolean): Promise<TrainResult>;
  close(): Promise<void>;
}

/** The search on this thread: jobs interleave where the trainer yields (every ~20 ms). */
export function inProcessPool(ds: Dataset, holdout: Holdout, metric: TuneMetric, slots = 1): TunePool {
  const runner = new TrialRunner(ds, holdout, metric);
  return {
    slots,
    trial: (config, fraction, signal) => runner.run(config, fraction, signal),
    final: async (options, split, onEvent, signal, withPick) => {
      const whole: Split = { name: split.name, train: split.train, valid: new Int32Array(0), coldUserRows: 0, coldItemRows: 0, description: 'the whole training set' };
      const result = await trainModel(ds, whole, options, { signal, onEvent });
      return withPick && result.epochs.length > 0 ? withPickModel(result, ds, whole) : result;
    },
    close: async () => {},
  };
}

/** The run with the pick model of its training ratings; without it (not fatal) when it cannot be fitted. */
export function withPickModel(result: TrainResult, ds: Dataset, split: Split): TrainResult {
  try {
    return { ...result, pick: pickModelFor(ds, split) };
  } catch (err) {
    if (process.env.FACTORLENS_DEBUG) process.stderr.write(`pick model not fitted: ${String(err)}\n`);
    return result;
  }
}

interface Slot {
  worker: Worker;
  busy: boolean;
  ready: Promise<void>;
}

interface Pending {
  resolve: (m: TuneWorkerReply) => void;
  reject: (e: Error) => void;
  onEvent?: (e: TrainEvent) => void;
}

/** `slots` worker threads, each with the dataset loaded and the holdout's rows (only those) in hand. */
export function workerPool(dataDir: string, holdout: Holdout, metric: TuneMetric, slots: number): TunePool {
  const { script, eval: isEval } = workerScript(import.meta.url, 'tuneWorker');
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let closed = false;
  const waiting: (() => void)[] = [];
  const pool: Slot[] = Array.from({ length: slots }, () => {
    const worker = new Worker(script, { eval: isEval, workerData: { dataDir, holdout, metric } satisfies TuneWorkerInput, stdout: true, stderr: true });
    let markReady: () => void = () => {};
    let markFailed: (e: Error) => void = () => {};
    const ready = new Promise<void>((res, rej) => {
      markReady = res;
      markFailed = rej;
    });
    ready.catch(() => {});
    worker.on('message', (m: TuneWorkerReply) => {
      if (m.type === 'ready') return markReady();
      if (m.type === 'error' && m.id === -1) return markFailed(new Error(m.message));
      const p = pending.get(m.id);
      if (!p) return;
      if (m.type === 'events') return m.events.forEach((e) => p.onEvent?.(e));
      pending.delete(m.id);
      if (m.type === 'error') p.reject(Object.assign(new Error(m.message), { name: 'ModelError' }));
      else p.resolve(m);
    });
    const fail = (err: Error) => {
      markFailed(err);
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(err);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!closed) fail(new Error(`a tuning worker stopped unexpectedly (exit code ${code})`));
    });
    return { worker, busy: false, ready };
  });

  /** An idle worker (waiting for one when all are busy). */
  const take = async (): Promise<Slot> => {
    for (;;) {
      const s = pool.find((x) => !x.busy);
      if (s) {
        s.busy = true;
        await s.ready;
        return s;
      }
      await new Promise<void>((r) => waiting.push(r));
    }
  };
  const give = (s: Slot) => {
    s.busy = false;
    waiting.shift()?.();
  };

  const send = async (make: (id: number) => TuneWorkerRequest, signal: AbortSignal, onEvent?: (e: TrainEvent) => void): Promise<TuneWorkerReply> => {
    const slot = await take();
    const id = nextId++;
    const onAbort = () => slot.worker.postMessage({ type: 'cancel', id } satisfies TuneWorkerRequest);
    try {
      return await new Promise<TuneWorkerReply>((resolve, reject) => {
        pending.set(id, { resolve, reject, onEvent });
        slot.worker.postMessage(make(id));
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      });
    } finally {
      signal.removeEventListener('abort', onAbort);
      give(slot);
    }
  };

  return {
    slots,
    async trial(config, fraction, signal) {
      const m = await send((id) => ({ type: 'trial', id, config, fraction }), signal);
      if (m.type !== 'outcome') throw new Error(`tuning worker: unexpected reply ${m.type}`);
      return m.outcome;
    },
    async final(options, split, onEvent, signal, withPick = false) {
      const m = await send((id) => ({ type: 'final', id, options, split: { name: split.name, train: split.train }, withPick }), signal, onEvent);
      if (m.type !== 'final') throw new Error(`tuning worker: unexpected reply ${m.type}`);
      return m.result;
    },
    async close() {
      closed = true;
      await Promise.all(pool.map((s) => s.worker.terminate()));
    },
  };
}
