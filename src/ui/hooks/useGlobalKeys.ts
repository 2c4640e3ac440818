/** The app's own keys, in one place: panes, help, quit. Pane keys live in each pane. */
import { useKeys } from './useKeys.js';
import { useRef, type Dispatch } from 'react';
import type { AppAction, AppState } from '../state/appReducer.js';
import { paneByHotkey } from '../state/panes.js';
import type { CaptureRegistry } from './useKeyCapture.js';

export function useGlobalKeys(state: AppState, dispatch: Dispatch<AppAction>, capture: CaptureRegistry, opts: { paneKeys: boolean }): void {
  // Read at key time: keys typed in quick succession must not see the state of an older render.
  const latest = useRef(state);
  latest.current = state;
  useKeys((input, key) => {
    const s = latest.current;
    if (key.ctrl && input === 'c') {
      // A second Ctrl+C while being asked means "really quit".
      dispatch(s.overlay?.kind === 'quit' ? { type: 'confirmQuit' } : { type: 'requestQuit' });
      return;
    }
    if (s.overlay?.kind === 'help') {
      if (key.escape || input === '?' || input === 'q') dispatch({ type: 'closeOverlay' });
      return;
    }
    if (s.overlay) return; // the quit question answers its own keys
    if (!opts.paneKeys) {
      if (input === 'q') dispatch({ type: 'requestQuit' });
      return;
    }
    if (key.tab) {
      dispatch({ type: 'stepPane', delta: key.shift ? -1 : 1 });
      return;
    }
    const mode = capture[s.pane] ?? 'nav';
    if (mode === 'text') return;
    if (input === 'q') return dispatch({ type: 'requestQuit' });
    if (input === '?') return dispatch({ type: 'openOverlay', overlay: { kind: 'help' } });
    if (mode === 'digits') return;
    const pane = paneByHotkey(input);
    if (pane) dispatch({ type: 'showPane', pane });
  }, { isActive: true, global: true });
}
