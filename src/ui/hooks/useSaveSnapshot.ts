/** Saving the current model as a snapshot: name → (overwrite? y/n) → saved. Shared by Train and Snapshots. */
import { useCallback, useState, type Dispatch } from 'react';
import type { AppServices } from '../services.js';
import type { AppAction } from '../state/appReducer.js';
import { messageOf } from './useAsync.js';

export type SavePhase = 'closed' | 'naming' | 'confirm' | 'saving';

export interface SaveFlow {
  phase: SavePhase;
  name: string;
  error: string | null;
  open(suggested: string): void;
  submit(name: string): void;
  confirmOverwrite(yes: boolean): void;
  cancel(): void;
}

export function useSaveSnapshot(services: AppServices, dispatch: Dispatch<AppAction>, onSaved?: () => void): SaveFlow {
  const [phase, setPhase] = useState<SavePhase>('closed');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  const save = useCallback(
    (target: string, force: boolean) => {
      setPhase('saving');
      setName(target);
      services.saveSnapshot(target, { force }).then(
        (result) => {
          if (!result.saved) {
            setPhase('confirm');
            return;
          }
          setPhase('closed');
          setError(null);
          dispatch({ type: 'modelSaved', snapshot: target });
          onSaved?.();
        },
        (err: unknown) => {
          setError(messageOf(err));
          setPhase('naming');
        },
      );
    },
    [services, dispatch, onSaved],
  );

  return {
    phase,
    name,
    error,
    open: useCallback((suggested: string) => {
      setName(suggested);
      setError(null);
      setPhase('naming');
    }, []),
    submit: useCallback((n: string) => save(n, false), [save]),
    confirmOverwrite: useCallback((yes: boolean) => (yes ? save(name, true) : setPhase('naming')), [save, name]),
    cancel: useCallback(() => setPhase('closed'), []),
  };
}
