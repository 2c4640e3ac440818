/**
 * useInput(handler, { isActive }) that never runs a stale handler. Ink (re)subscribes handlers in
 * passive effects, a turn after a render; keys arriving in one burst (fast typing, tmux send-keys, a
 * paste of key sequences) would reach the previous render's closure or a pane that just went inactive.
 * One subscription for the component's lifetime, reading the latest handler and isActive from refs
 * that every render updates, keeps each key consistent with the screen it was typed on.
 */
import { useInput, type Key } from 'ink';
import { useCallback, useRef } from 'react';

export function useKeys(handler: (input: string, key: Key) => void, options: { isActive: boolean }): void {
  const latest = useRef(handler);
  const active = useRef(options.isActive);
  latest.current = handler;
  active.current = options.isActive;
  const stable = useCallback((input: string, key: Key) => {
    if (active.current) latest.current(input, key);
  }, []);
  useInput(stable);
}
