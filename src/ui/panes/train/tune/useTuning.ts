/**
 * One search at a time, as the Tune view shows it: its trials, the best-so-far curve, the final run's
 * progress, then the result. The app's training status follows it (trainingStarted / trainingEnded), so
 * quitting asks first, other panes refetch when the winner becomes the current model, and the Train pane
 * offers to save it like any trained model.
 */
import { useCallback, useEffect, useRef, useState, type Dispatch } from 'react';
import type { AppServices, ModelInfo, TrialRow, TuneHandle, TuneRequest, TuneSummary, TuneUpdate } from '../../../services.js';
import type { AppAction } from '../../../state/appReducer.js';
import { modelStateOf } from '../../../hooks/useTraining.js';
import { messageOf } from '../../../hooks/useAsync.js';

export type TunePhase = 'idle' | 'search' | 'stopping' | 'final' | 'done' | 'error';

export interface TuneView {
  phase: TunePhase;
  request: TuneRequest | null;
  trials: TrialRow[];
  best: { seconds: number; metric: number; trial: number }[];
  elapsed: number;
  final: { epoch: number; epochs: number; message: string } | null;
  result: TuneSummary | null;
  error: string | null;
}

export interface Tuning {
  view: TuneView;
  running: boolean;
  start(request: TuneRequest): void;
  /** Stops the search; the best so far is retrained and kept. */
  stop(): void;
}

const IDLE: TuneView = { phase: 'idle', request: null, trials: [], best: [], elapsed: 0, final: null, result: null, error: null };

/** `onModel`: the winner, once it is the current model (the Train pane redraws its history). */
export function useTuning(services: AppServices, dispatch: Dispatch<AppAction>, onModel?: (info: ModelInfo) => void): Tuning {
  const [view, setView] = useState<TuneView>(IDLE);
  const handle = useRef<TuneHandle | null>(null);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  const onEvent = useCallback(
    (e: TuneUpdate) => {
      if (!mounted.current) return;
      if (e.type === 'trials') return setView((v) => ({ ...v, trials: e.trials, best: e.best, elapsed: e.elapsed }));
      if (e.type === 'final') return setView((v) => ({ ...v, phase: 'final', elapsed: e.elapsed, final: { epoch: e.epoch, epochs: e.epochs, message: e.message } }));
      handle.current = null;
      if (e.type === 'error') {
        setView((v) => ({ ...v, phase: 'error', error: e.message }));
        dispatch({ type: 'trainingEnded', status: 'error', message: e.message, model: null });
        return;
      }
      setView((v) => ({ ...v, phase: 'done', result: e.result, trials: e.result.trials.length ? e.result.trials : v.trials, best: e.result.best, elapsed: e.result.seconds.total }));
      const info = e.result.hasModel ? services.modelInfo() : null;
      if (info) onModel?.(info);
      dispatch({ type: 'trainingEnded', status: info ? 'done' : 'error', message: e.result.message, model: info ? modelStateOf(info) : null });
    },
    [services, dispatch, onModel],
  );

  const start = useCallback(
    (request: TuneRequest) => {
      if (handle.current) return;
      setView({ ...IDLE, phase: 'search', request });
      dispatch({ type: 'trainingStarted' });
      try {
        handle.current = services.startTuning(request, onEvent);
      } catch (err) {
        onEvent({ type: 'error', message: messageOf(err) });
      }
    },
    [services, dispatch, onEvent],
  );

  const stop = useCallback(() => {
    if (!handle.current) return;
    handle.current.stop();
    setView((v) => (v.phase === 'search' ? { ...v, phase: 'stopping' } : v));
  }, []);

  return { view, running: handle.current !== null || view.phase === 'search' || view.phase === 'stopping' || view.phase === 'final', start, stop };
}
