/** Runs an async query when its inputs change; late answers to stale inputs are dropped. */
import { useEffect, useRef, useState, type DependencyList } from 'react';

export type AsyncState<T> =
  | { state: 'idle'; value: T | null }
  | { state: 'loading'; value: T | null }
  | { state: 'ok'; value: T }
  | { state: 'error'; value: T | null; message: string };

/**
 * `staleAfter`: when it changes (e.g. the model version), the previous value is dropped at once instead of
 * staying on screen until the new one arrives: another model's numbers are not a placeholder.
 */
export function useAsync<T>(run: (() => Promise<T>) | null, deps: DependencyList, staleAfter?: unknown): AsyncState<T> {
  const [result, setResult] = useState<AsyncState<T>>({ state: 'idle', value: null });
  const generation = useRef(0);
  const staleKey = useRef(staleAfter);
  if (staleKey.current !== staleAfter) {
    staleKey.current = staleAfter;
    if (result.value !== null) setResult({ state: run ? 'loading' : 'idle', value: null });
  }
  useEffect(() => {
    const id = ++generation.current;
    if (!run) {
      setResult((r) => (r.state === 'idle' ? r : { state: 'idle', value: r.value }));
      return;
    }
    // Keep the previous value on screen while the new one is computed: no flicker to empty.
    setResult((r) => ({ state: 'loading', value: r.value }));
    run().then(
      (value) => {
        if (id === generation.current) setResult({ state: 'ok', value });
      },
      (err: unknown) => {
        if (id === generation.current) setResult((r) => ({ state: 'error', value: r.value, message: messageOf(err) }));
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return result;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
