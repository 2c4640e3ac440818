/** Tells the app which keys the active pane keeps for itself (see KeyCapture). */
import { useEffect, type Dispatch } from 'react';
import type { AppAction, KeyCapture } from '../state/appReducer.js';
import type { PaneId } from '../state/panes.js';

export function useKeyCapture(dispatch: Dispatch<AppAction>, pane: PaneId, capture: KeyCapture): void {
  useEffect(() => {
    dispatch({ type: 'setCapture', pane, capture });
  }, [dispatch, pane, capture]);
}
