/** The Train pane's lr-find: a run at a time, its progress a few times a second, its curve when done. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppServices, LrFindHandle, LrFindSummary, TrainOptions } from '../../services.js';
import { messageOf } from '../../hooks/useAsync.js';

export type LrFindPhase = 'closed' | 'running' | 'done' | 'error';

export interface LrFindState {
  phase: LrFindPhase;
  done: number;
  total: number;
  result: LrFindSummary | null;
  message: string | null;
}

export interface LrFind extends LrFindState {
  start(options: Partial<TrainOptions>): void;
  cancel(): void;
  close(): void;
}

const CLOSED: LrFindState = { phase: 'closed', done: 0, total: 0, result: null, message: null };
const PROGRESS_MS = 100;

export function useLrFind(services: AppServices): LrFind {
  const [state, setState] = useState<LrFindState>(CLOSED);
  const handle = useRef<LrFindHandle | null>(null);
  const progress = useRef({ done: 0, total: 0 });
  const generation = useRef(0);

  // Batches come every millisecond or so: the bar follows a ref, redrawn on a timer.
  useEffect(() => {
    if (state.phase !== 'running') return;
    const t = setInterval(() => setState((s) => (s.phase === 'running' && s.done !== progress.current.done ? { ...s, ...progress.current } : s)), PROGRESS_MS);
    return () => clearInterval(t);
  }, [state.phase]);

  const cancel = useCallback(() => {
    handle.current?.cancel();
  }, []);

  useEffect(() => () => handle.current?.cancel(), []);

  const start = useCallback(
    (options: Partial<TrainOptions>) => {
      if (handle.current) return;
      const id = ++generation.current;
      progress.current = { done: 0, total: 0 };
      setState({ ...CLOSED, phase: 'running' });
      try {
        const h = services.lrFind(options, (done, total) => {
          progress.current = { done, total };
        });
        handle.current = h;
        h.result.then(
          (result) => {
            handle.current = null;
            if (id === generation.current) setState({ phase: 'done', done: result.lrs.length, total: result.lrs.length, result, message: null });
          },
          (err: unknown) => {
            handle.current = null;
            if (id === generation.current) setState({ ...CLOSED, phase: 'error', message: messageOf(err) });
          },
        );
      } catch (err) {
        setState({ ...CLOSED, phase: 'error', message: messageOf(err) });
      }
    },
    [services],
  );

  const close = useCallback(() => {
    generation.current++;
    handle.current?.cancel();
    handle.current = null;
    setState(CLOSED);
  }, []);

  return { ...state, start, cancel, close };
}
