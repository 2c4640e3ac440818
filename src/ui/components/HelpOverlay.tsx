/** Every key of the app on one screen (? or Esc closes it). */
import React from 'react';
import { Box, Text } from 'ink';
import { useHue } from '../lib/theme.js';

/** [keys, what they do, the same in ≤ 21 characters for an 80-column screen]. */
export const HELP: { title: string; keys: [string, string, string][] }[] = [
  {
    title: 'Everywhere',
    keys: [
      ['Tab, Shift-Tab', 'next / previous pane', 'next / previous pane'],
      ['1 … 8', 'go to a pane (when not typing)', 'pane (not in a field)'],
      ['? · q, Ctrl+C', 'help · quit (asks if a model is unsaved)', 'help · quit (asks)'],
    ],
  },
  {
    title: '1 Train',
    keys: [
      ['↑/↓ · ←/→', 'field · cycle a choice, preset', 'field · cycle choice'],
      ['type, Backspace', 'edit a number (Esc reverts)', 'edit (Esc reverts)'],
      ['Enter, s', 'train (asks if unsaved)', 'train (asks first)'],
      ['Esc', 'cancel training (weights kept)', 'cancel, keep weights'],
      ['f · u, Enter', 'lr-find · use its valley lr', 'lr-find · use valley'],
      ['w', 'retrain with wd 0, compare', 'retrain wd 0, compare'],
    ],
  },
  {
    title: '2 Rate',
    keys: [
      ['type, /', 'search titles, back to the box', 'search · back to box'],
      ['↓ / ↑', 'results', 'results'],
      ['1 … 5', 'rate the highlighted movie', 'rate highlighted'],
      ['→ / ←', 'recommendations / results', 'recs / results'],
      ['u / c', 'undo / clear your ratings', 'undo / clear ratings'],
    ],
  },
  {
    title: '3 Search',
    keys: [
      ['type', 'search (every keystroke)', 'search as you type'],
      ['↑/↓ Enter · Esc', 'pick, open the card · back', 'pick, card · back'],
    ],
  },
  {
    title: '4 Bias',
    keys: [
      ['u · + / -', 'movies ↔ users · rows', 'movies ↔ users · rows'],
      ['o · ←/→', 'one-hot·U = U[u] · user', 'one-hot demo · user'],
    ],
  },
  {
    title: '5 PCA',
    keys: [
      ['arrows', 'cursor to the nearest movie that way', 'cursor to nearest'],
      ['p', 'next pair of components', 'next component pair'],
      ['+ / - / 0', 'zoom in / out / reset', 'zoom in / out / reset'],
    ],
  },
  {
    title: '6 Snapshots',
    keys: [
      ['↑/↓, Enter', 'pick, load', 'pick, load'],
      ['s · d · r', 'save · delete (asks) · refresh', 'save, delete, refresh'],
      ['space · c', 'mark · compare marked runs', 'mark · compare marked'],
      ['w', 'retrain with wd 0, compare', 'retrain wd 0, compare'],
      ['e', 'export for the Projector', 'export (Projector)'],
    ],
  },
  {
    title: '7 Data',
    keys: [
      ['←/→', 'column of the crosstab', 'crosstab column'],
      ['Enter', 'download MovieLens 100K (first launch)', 'download ML-100K'],
    ],
  },
  {
    title: '8 Board',
    keys: [
      ['r · p · Esc', 'run (cached rows at once) · split · stop', 'run · split · stop'],
      ['←/→ · ↑/↓ Enter', 'sort column · open the row\'s model', 'sort · open a model'],
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
  const [left, right] = splitColumns(height - 1);
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
      <Box flexDirection="row">
        {column(left)}
        <Box width={2} />
        {column(right)}
      </Box>
    </Box>
  );
}
