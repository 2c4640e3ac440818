/**
 * The Leaderboard pane's state: the protocol, the rows as they arrive, the run's progress, the sort
 * column and the cursor. Progress comes every ~50 ms from the worker; it reaches React at most every
 * 200 ms (a ref holds the latest).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { METRIC_KEYS, type AppServices, type LeaderboardEvent, type LeaderboardRow, type MetricKey } from '../../services.js';
import { messageOf } from '../../hooks/useAsync.js';

export const PROTOCOLS = ['random', 'u1', 'time', 'cv5'] as const;
export type BoardStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export interface BoardProgress {
  model: string;
  fold: number;
  folds: number;
  fraction: number;
}

const PROGRESS_MS = 200;

export function useLeaderboard(services: AppServices, initialProtocol: string) {
  const [protocol, setProtocol] = useState<string>(PROTOCOLS.includes(initialProtocol as never) ? initialProtocol : 'random');
  const [rows, setRows] = useState<LeaderboardRow[]>([]);
  const [models, setModels] = useState<string[]>([]);
  const [status, setStatus] = useState<BoardStatus>('idle');
  const [message, setMessage] = useState<string | null>(null);
  const [progress, setProgress] = useState<BoardProgress | null>(null);
  const [sort, setSort] = useState<MetricKey>('ndcg10');
  const [cursor, setCursor] = useState(0);
  const handle = useRef<{ cancel(): void } | null>(null);
  const latest = useRef<BoardProgress | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const onEvent = useCallback((e: LeaderboardEvent) => {
    if (e.type === 'start') setModels(e.models);
    else if (e.type === 'progress') {
      latest.current = e;
      timer.current ??= setTimeout(() => {
        timer.current = null;
        setProgress(latest.current);
      }, PROGRESS_MS);
    } else if (e.type === 'row') {
      setRows((prev) => [...prev.filter((r) => r.model !== e.row.model), e.row]);
      setProgress(null);
      latest.current = null;
    } else if (e.type === 'done') {
      handle.current = null;
      setProgress(null);
      setStatus(e.cancelled ? 'cancelled' : 'done');
      const cached = e.rows.filter((r) => r.cached).length;
      setMessage(`${e.cancelled ? 'stopped' : 'done'}: ${e.rows.length} rows in ${e.seconds.toFixed(1)} s (${cached} from the cache)`);
    }
  }, []);

  const run = useCallback(() => {
    if (handle.current) return;
    setRows([]);
    setModels([]);
    setStatus('running');
    setMessage(null);
    try {
      const h = services.runLeaderboard({ protocol }, onEvent);
      handle.current = h;
      h.done.catch((err: unknown) => {
        handle.current = null;
        setProgress(null);
        setStatus('error');
        setMessage(messageOf(err));
      });
    } catch (err) {
      setStatus('error');
      setMessage(messageOf(err));
    }
  }, [services, protocol, onEvent]);

  const cancel = useCallback(() => handle.current?.cancel(), []);

  const nextProtocol = useCallback(() => {
    if (handle.current) return;
    setProtocol((p) => PROTOCOLS[(PROTOCOLS.indexOf(p as never) + 1) % PROTOCOLS.length]);
    setRows([]);
    setStatus('idle');
    setMessage(null);
    setCursor(0);
  }, []);

  const stepSort = useCallback((delta: 1 | -1) => {
    setSort((s) => METRIC_KEYS[(METRIC_KEYS.indexOf(s) + delta + METRIC_KEYS.length) % METRIC_KEYS.length]);
    setCursor(0);
  }, []);

  return { protocol, rows, models, status, message, progress, sort, cursor, setCursor, run, cancel, nextProtocol, stepSort };
}
