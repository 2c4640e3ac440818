/** Every key of the app on one screen (? or Esc closes it). */
import React from 'react';
import { Box, Text } from 'ink';
import { useHue } from '../lib/theme.js';
import { wrapWords } from '../lib/format.js';

/**
 * How keys work, in two sentences: digits go to panes except where text is typed, and data changes only
 * where you aimed (a rating needs Enter on the movie first).
 */
export const KEY_MODEL =
  'Digits 1–9 switch panes except while you type (a search, a number, a name) or rate. A rating needs Enter on a movie first: no key acts where you did not aim.';

/** [keys, what they do, the same in ≤ 21 characters for an 80-column screen]. */
export const HELP: { title: string; keys: [string, string, string][] }[] = [
  {
    title: 'Everywhere',
    keys: [
      ['Tab, Shift-Tab', 'next / previous pane (also from a text field)', 'next / previous pane'],
      ['1 … 9', 'go to a pane (not in a text field)', 'pane (not in a field)'],
      ['? · q, Ctrl+C', 'help · quit (asks if a model would be lost)', 'help · quit (asks)'],
    ],
  },
  {
    title: '1 Train',
    keys: [
      ['↑/↓ · ←/→', 'field · cycle a choice, preset', 'field · cycle choice'],
      ['type · Enter', 'edit a number · apply it and train', 'edit · apply, train'],
      ['Esc · s', 'undo the edit, cancel training · train (asks first)', 'undo, cancel · train'],
      ['f · u · w · t', 'lr-find · use its suggestion · wd 0 retrain · Tune (a search)', 'lr-find·use·wd 0·tune'],
    ],
  },
  {
    title: '2 Rate',
    keys: [
      ['type ↓ · / Esc', 'search titles · to the results · a new search', 'search, results, new'],
      ['Enter, then 1–5', 'rate the highlighted movie', 'rate highlighted'],
      ['→ / ← · e', 'recommendations / results · why', 'recs / results · why'],
      ['u / c · s', 'undo / clear your ratings (asks) · pick × like ↔ stars', 'undo, clear · ranking'],
      ['t + − space · w', 'taste before ratings: like, dislike, none · watch together', 'taste · together'],
    ],
  },
  {
    title: '3 Search',
    keys: [
      ['type ↓ · Ctrl+N', 'search (every keystroke) · results · add a movie nobody rated', 'search, results, add'],
      ['Enter · Esc, /', 'movie card · back, new search', 'card · back, new'],
    ],
  },
  {
    title: '4 Bias',
    keys: [
      ['u · +/- · o ←/→', 'movies ↔ users · rows · one-hot × U = U[u], another user', 'users, rows, one-hot'],
    ],
  },
  {
    title: '5 Map',
    keys: [
      ['arrows · m · c', 'move · PCA ↔ UMAP · colour by', 'move · method, colour'],
      ['x y · i · +/- 0', 'axes A..B · isolate a genre or search · zoom, reset', 'axes · isolate · zoom'],
    ],
  },
  {
    title: '6 Snapshots',
    keys: [
      ['↑/↓, Enter', 'pick, load (asks if it replaces a model)', 'pick, load (asks)'],
      ['s · d · r', 'save · delete (asks) · refresh', 'save, delete, refresh'],
      ['space · c', 'mark · compare marked runs', 'mark · compare marked'],
      ['w · e', 'retrain with wd 0, compare · export for the Projector', 'wd 0 retrain · export'],
    ],
  },
  {
    title: '7 Data',
    keys: [
      ['←/→ · Enter', 'crosstab column · download MovieLens 100K (first launch)', 'column · download'],
    ],
  },
  {
    title: '8 Board',
    keys: [
      ['r · p · Esc', 'run (cached rows at once) · split · stop', 'run · split · stop'],
      ['←/→ · ↑/↓ Enter', 'sort column · open the row\'s model', 'sort · open a model'],
    ],
  },
  {
    title: '9 Loop',
    keys: [
      ['↑/↓ ←/→ Enter', 'setting · change it · run (Esc stops)', 'set · change · run'],
    ],
  },
];

/** Two columns as even as the groups allow (a group never breaks across columns). */
function splitColumns(height: number): [typeof HELP, typeof HELP] {
  const size = (g: typeof HELP) => g.reduce((s, x) => s + x.keys.length + 1, 0);
  let best = 0;
  let bestTall = Infinity;
  for (let i = 0; i <= HELP.length; i++) {
    const tall = Math.max(size(HELP.slice(0, i)), size(HELP.slice(i)));
    if (tall < bestTall && size(HELP.slice(0, i)) <= height) {
      best = i;
      bestTall = tall;
    }
  }
  return [HELP.slice(0, best), HELP.slice(best)];
}

export function HelpOverlay({ width, height }: { width: number; height: number }) {
  const hue = useHue();
  const colWidth = Math.floor((width - 2) / 2);
  const model = wrapWords(KEY_MODEL, width);
  const [left, right] = splitColumns(height - 1 - model.length);
  const column = (groups: typeof HELP) => (
    <Box flexDirection="column" width={colWidth}>
      {groups.map((g) => (
        <Box key={g.title} flexDirection="column">
          <Text bold color={hue('accent')}>
            {g.title}
          </Text>
          {g.keys.map(([k, what, short]) => (
            <Text key={k} wrap="truncate-end">
              {'  '}
              {k.padEnd(15)} {what.length <= colWidth - 18 ? what : short}
            </Text>
          ))}
        </Box>
      ))}
    </Box>
  );
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold>Keys — Esc or ? closes</Text>
      {model.map((l, i) => (
        <Text key={i} color={hue('muted')}>
          {l}
        </Text>
      ))}
      <Box flexDirection="row">
        {column(left)}
        <Box width={2} />
        {column(right)}
      </Box>
    </Box>
  );
}
