/**
 * Which keys the active pane keeps for itself. A mutable registry, not React state: the global key
 * handler must see a pane's mode at the very next key, and a layout effect writes it during the commit,
 * before any later input is read (state would only arrive a render later, after the key).
 */
import { createContext, useContext, useLayoutEffect } from 'react';
import type { PaneId } from '../state/panes.js';

/** 'nav' leaves every global key to the app, 'digits' keeps 1–9 (ratings, numbers), 'text' keeps every printable key. */
export type KeyCapture = 'nav' | 'digits' | 'text';

export type CaptureRegistry = Partial<Record<PaneId, KeyCapture>>;

export const CaptureContext = createContext<CaptureRegistry>({});

export function useKeyCapture(pane: PaneId, capture: KeyCapture): void {
  const registry = useContext(CaptureContext);
  useLayoutEffect(() => {
    registry[pane] = capture;
  }, [registry, pane, capture]);
}
