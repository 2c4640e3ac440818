/** Snapshots marked for comparison (space) and the comparison on screen (c). */
import { useCallback, useState } from 'react';
import type { AppServices, Comparison } from '../../services.js';
import { messageOf } from '../../hooks/useAsync.js';

export interface SnapshotMarks {
  marked: string[];
  toggle(name: string): void;
  comparison: Comparison | null;
  comparing: boolean;
  error: string | null;
  /** Compares the marked snapshots (in the order they were marked). */
  compare(): Promise<void>;
  close(): void;
  /** Drops marks of snapshots that are gone. */
  keepOnly(names: string[]): void;
}

export function useSnapshotMarks(services: AppServices): SnapshotMarks {
  const [marked, setMarked] = useState<string[]>([]);
  const [comparison, setComparison] = useState<Comparison | null>(null);
  const [comparing, setComparing] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const toggle = useCallback((name: string) => setMarked((m) => (m.includes(name) ? m.filter((x) => x !== name) : [...m, name])), []);

  const compare = useCallback(async () => {
    setComparing(true);
    setError(null);
    try {
      const runs = await Promise.all(marked.map((n) => services.snapshotRun(n)));
      setComparison(services.compareRuns(runs));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setComparing(false);
    }
  }, [services, marked]);

  const keepOnly = useCallback((names: string[]) => setMarked((m) => (m.every((x) => names.includes(x)) ? m : m.filter((x) => names.includes(x)))), []);

  return { marked, toggle, comparison, comparing, error, compare, close: useCallback(() => setComparison(null), []), keepOnly };
}
