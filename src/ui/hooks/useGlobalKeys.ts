/** The app's own keys, in one place: panes, help, quit. Pane keys live in each pane. */
import { useInput } from 'ink';
import type { Dispatch } from 'react';
import type { AppAction, AppState } from '../state/appReducer.js';
import { paneByHotkey } from '../state/panes.js';

export function useGlobalKeys(state: AppState, dispatch: Dispatch<AppAction>, opts: { paneKeys: boolean }): void {
  useInput((input, key) => {
    if (key.ctrl && input === 'c') {
      // A second Ctrl+C while being asked means "really quit".
      dispatch(state.overlay?.kind === 'quit' ? { type: 'confirmQuit' } : { type: 'requestQuit' });
      return;
    }
    if (state.overlay?.kind === 'help') {
      if (key.escape || input === '?' || input === 'q') dispatch({ type: 'closeOverlay' });
      return;
    }
    if (state.overlay) return; // the quit question answers its own keys
    if (!opts.paneKeys) {
      if (input === 'q') dispatch({ type: 'requestQuit' });
      return;
    }
    if (key.tab) {
      dispatch({ type: 'stepPane', delta: key.shift ? -1 : 1 });
      return;
    }
    const capture = state.capture[state.pane];
    if (capture === 'text') return;
    if (input === 'q') return dispatch({ type: 'requestQuit' });
    if (input === '?') return dispatch({ type: 'openOverlay', overlay: { kind: 'help' } });
    if (capture === 'digits') return;
    const pane = paneByHotkey(input);
    if (pane) dispatch({ type: 'showPane', pane });
  });
}
