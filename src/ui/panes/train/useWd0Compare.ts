/**
 * "Train the same with wd = 0" and compare: remembers the run it started from, and once the wd 0 run
 * has ended (and its model is in place) compares the two — the seeds' weight-decay lesson.
 */
import { useCallback, useEffect, useRef, useState, type Dispatch } from 'react';
import type { AppServices, Comparison, ModelInfo, RunCurve, TrainOptions } from '../../services.js';
import type { AppAction, TrainingStatus } from '../../state/appReducer.js';
import { withoutWeightDecay } from '../../services.js';
import { messageOf } from '../../hooks/useAsync.js';

export interface Wd0Compare {
  comparison: Comparison | null;
  /** The name to offer when saving the wd 0 run, while one is pending or shown. */
  suggestedName: string | null;
  /** The options of the wd 0 run, or a reason it makes no sense. */
  begin(info: ModelInfo): { options: TrainOptions } | { refused: string };
  close(): void;
}

export function useWd0Compare(services: AppServices, dispatch: Dispatch<AppAction>, modelVersion: number, status: TrainingStatus): Wd0Compare {
  const [comparison, setComparison] = useState<Comparison | null>(null);
  const [suggestedName, setSuggestedName] = useState<string | null>(null);
  const base = useRef<RunCurve | null>(null);
  const runName = useRef('wd 0');
  const pending = useRef(false);
  const seen = useRef(modelVersion);

  useEffect(() => {
    if (!pending.current) return;
    if (status === 'error') {
      pending.current = false;
      return;
    }
    if (seen.current === modelVersion || (status !== 'done' && status !== 'cancelled')) return;
    seen.current = modelVersion;
    pending.current = false;
    const info = services.modelInfo();
    if (!info || !base.current) return;
    try {
      setComparison(services.compareRuns([base.current, { name: runName.current, options: info.options, epochs: info.epochs }]));
    } catch (err) {
      dispatch({ type: 'notice', text: `cannot compare: ${messageOf(err)}` });
    }
  }, [modelVersion, status, services, dispatch]);

  const begin = useCallback(
    (info: ModelInfo) => {
      if (info.options.wd === 0) return { refused: 'this model already has wd 0: train one with weight decay first' };
      if (info.epochs.length === 0) return { refused: 'this model has no epochs to compare' };
      const name = info.snapshot ?? `wd ${info.options.wd}`;
      base.current = { name, options: info.options, epochs: info.epochs };
      pending.current = true;
      seen.current = modelVersion;
      setComparison(null);
      runName.current = info.snapshot ? `${info.snapshot}-wd0` : 'wd 0';
      setSuggestedName(`${info.snapshot ?? info.suggestedName}-wd0`);
      return { options: withoutWeightDecay(info.options) };
    },
    [modelVersion],
  );

  const close = useCallback(() => {
    setComparison(null);
    setSuggestedName(null);
  }, []);

  return { comparison, suggestedName, begin, close };
}
