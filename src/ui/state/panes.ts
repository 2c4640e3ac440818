/** The panes, their tab labels and hotkeys, in tab order. */
export type PaneId = 'train' | 'rate' | 'search' | 'bias' | 'pca' | 'snapshots' | 'data' | 'leaderboard' | 'loop';

export interface PaneSpec {
  id: PaneId;
  label: string;
  /** The label on a narrow screen (the tabs must fit 80 columns). */
  short?: string;
  hotkey: string;
}

export const PANES: readonly PaneSpec[] = [
  { id: 'train', label: 'Train', hotkey: '1' },
  { id: 'rate', label: 'Rate', hotkey: '2' },
  { id: 'search', label: 'Search', hotkey: '3' },
  { id: 'bias', label: 'Bias', hotkey: '4' },
  { id: 'pca', label: 'Map', hotkey: '5' },
  { id: 'snapshots', label: 'Snapshots', short: 'Snaps', hotkey: '6' },
  { id: 'data', label: 'Data', hotkey: '7' },
  { id: 'leaderboard', label: 'Board', hotkey: '8' },
  { id: 'loop', label: 'Loop', hotkey: '9' },
];

export function paneByHotkey(key: string): PaneId | null {
  return PANES.find((p) => p.hotkey === key)?.id ?? null;
}
