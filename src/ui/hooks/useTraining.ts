/**
 * The one subscription to training events. Batch events can arrive thousands of times a second:
 * they only update a LossTracker (O(1)); React state is refreshed a few times a second.
 */
import { useCallback, useEffect, useRef, useState, type Dispatch } from 'react';
import { kindUsesOption, type AppServices, type ModelInfo, type TrainEvent, type TrainHandle, type TrainOptions } from '../services.js';
import type { AppAction, ModelState } from '../state/appReducer.js';
import { LossTracker, type LossView } from '../lib/lossTracker.js';
import { messageOf } from './useAsync.js';

export const FLUSH_MS = 250;

export interface TrainingView {
  /** 'empty' before any run; 'live' during and after one; 'history' for a loaded snapshot. */
  source: 'empty' | 'live' | 'history';
  backend: string | null;
  epochsPlanned: number;
  batchesPerEpoch: number;
  /** Seconds since the run started (from the trainer's clock). */
  elapsed: number;
  loss: LossView;
}

export interface Training {
  view: TrainingView;
  start(options: Partial<TrainOptions>): void;
  cancel(): void;
  showHistory(info: ModelInfo): void;
}

const EMPTY: TrainingView = {
  source: 'empty',
  backend: null,
  epochsPlanned: 0,
  batchesPerEpoch: 0,
  elapsed: 0,
  loss: new LossTracker(1).view(),
};

/** The status bar's name for the model, with its wd: enough to tell a wd 0 retrain from the run before it. */
export function modelLabel(info: ModelInfo): string {
  // a closed-form baseline has no weight decay to tell apart
  return kindUsesOption(info.kind, 'wd') ? `${info.label} wd ${info.options.wd}` : info.label;
}

export function modelStateOf(info: ModelInfo): ModelState {
  return { label: modelLabel(info), backend: info.backend, snapshot: info.snapshot, saved: info.saved, kept: info.kept, catalogue: info.catalogue };
}

/** What the outcome line says about a run stopped before its first epoch ended: nothing was learned. */
export const NOTHING_LEARNED = 'cancelled before the first epoch ended: nothing was learned, the model you had stays';

/** A model's recorded run as the chart and table show it (a loaded snapshot, the model a cancel kept). */
function historyView(info: ModelInfo): TrainingView {
  const bpe = info.epochs.length > 0 ? Math.round(info.batchLosses.length / info.epochs.length) : info.batchLosses.length;
  return {
    source: 'history',
    backend: info.backend,
    epochsPlanned: info.epochs.length,
    batchesPerEpoch: bpe,
    elapsed: info.epochs.reduce((s, r) => s + r.seconds, 0),
    loss: LossTracker.fromHistory(info.batchLosses, info.epochs).view(),
  };
}

export function useTraining(services: AppServices, dispatch: Dispatch<AppAction>): Training {
  const [view, setView] = useState<TrainingView>(EMPTY);
  const live = useRef<{ tracker: LossTracker; meta: Omit<TrainingView, 'loss' | 'source'>; dirty: boolean; running: boolean } | null>(null);
  const handle = useRef<TrainHandle | null>(null);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);

  const flush = useCallback(() => {
    const run = live.current;
    if (!run || !run.dirty) return;
    run.dirty = false;
    setView({ source: 'live', ...run.meta, loss: run.tracker.view() });
  }, []);

  const stopTimer = useCallback(() => {
    if (timer.current) clearInterval(timer.current);
    timer.current = null;
  }, []);

  useEffect(() => stopTimer, [stopTimer]);

  const finish = useCallback(
    (status: 'done' | 'cancelled' | 'error', message: string, epochs = 1) => {
      stopTimer();
      flush();
      handle.current = null;
      if (live.current) live.current.running = false;
      if (status === 'error') {
        dispatch({ type: 'trainingEnded', status, message, model: null });
        return;
      }
      // no epoch finished: the session kept the model it had (a run that learned nothing replaces nothing)
      if (epochs === 0) {
        const kept = services.modelInfo();
        setView(kept ? historyView(kept) : EMPTY);
        dispatch({ type: 'trainingEnded', status, message: NOTHING_LEARNED, model: null });
        return;
      }
      // the session delivers 'done' once the new model is in place
      const info = services.modelInfo();
      // a run stopped early is drawn over the epochs it trained, not squeezed into the ones it had planned
      if (status === 'cancelled' && info) setView({ ...historyView(info), source: 'live' });
      dispatch({ type: 'trainingEnded', status, message, model: info ? modelStateOf(info) : null });
    },
    [services, dispatch, flush, stopTimer],
  );

  const onEvent = useCallback(
    (e: TrainEvent) => {
      const run = live.current;
      if (!run || !run.running) return;
      switch (e.type) {
        case 'start':
          run.tracker = new LossTracker(e.epochs * e.batchesPerEpoch);
          run.meta = { backend: e.backend, epochsPlanned: e.epochs, batchesPerEpoch: e.batchesPerEpoch, elapsed: 0 };
          run.dirty = true;
          flush();
          return;
        case 'batch':
          run.tracker.addBatch(e.loss);
          run.meta.elapsed = e.elapsed;
          run.dirty = true;
          return;
        case 'epoch':
          run.tracker.addEpoch(e.row);
          run.dirty = true;
          return;
        case 'done':
          run.meta.elapsed = e.seconds;
          run.dirty = true;
          finish(e.reason === 'completed' ? 'done' : e.reason === 'cancelled' ? 'cancelled' : 'error', e.message, e.epochs.length);
          return;
        case 'error':
          run.dirty = true;
          finish('error', e.message);
          return;
      }
    },
    [flush, finish],
  );

  const start = useCallback(
    (options: Partial<TrainOptions>) => {
      if (live.current?.running) return;
      const run = {
        tracker: new LossTracker(1),
        meta: { backend: null, epochsPlanned: options.epochs ?? 0, batchesPerEpoch: 0, elapsed: 0 },
        dirty: true,
        running: true,
      };
      live.current = run;
      dispatch({ type: 'trainingStarted' });
      flush();
      stopTimer();
      timer.current = setInterval(flush, FLUSH_MS);
      try {
        const h = services.startTraining(options, onEvent);
        // A trainer may finish synchronously (tests, tiny data): only keep a handle to a live run.
        if (run.running) handle.current = h;
      } catch (err) {
        finish('error', messageOf(err));
      }
    },
    [services, dispatch, onEvent, flush, finish, stopTimer],
  );

  const cancel = useCallback(() => handle.current?.cancel(), []);

  const showHistory = useCallback((info: ModelInfo) => {
    if (live.current?.running) return;
    setView(historyView(info));
  }, []);

  return { view, start, cancel, showHistory };
}
