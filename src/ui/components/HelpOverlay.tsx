/** Every key of the app on one screen (? or Esc closes it). */
import React from 'react';
import { Box, Text } from 'ink';
import { useHue } from '../lib/theme.js';

export const HELP: { title: string; keys: [string, string][] }[] = [
  { title: 'Everywhere', keys: [['Tab, Shift-Tab', 'next / previous pane'], ['1 … 7', 'go to a pane (when not typing)'], ['? · q, Ctrl+C', 'help · quit (asks if a model is unsaved)']] },
  { title: '1 Train', keys: [['↑/↓ · ←/→', 'field · cycle a choice, preset'], ['type, Backspace', 'edit a number (Esc reverts)'], ['Enter, s', 'train (asks if unsaved)'], ['Esc', 'cancel training (weights kept)'], ['f · u, Enter', 'lr-find · use its valley lr'], ['w', 'retrain with wd 0, compare']] },
  { title: '2 Rate', keys: [['type, /', 'search titles, back to the box'], ['↓ / ↑', 'results'], ['1 … 5', 'rate the highlighted movie'], ['→ / ←', 'recommendations / results'], ['u / c', 'undo / clear your ratings']] },
  { title: '3 Search', keys: [['type', 'search (every keystroke)'], ['↑/↓ Enter · Esc', 'pick, open the card · back']] },
  { title: '4 Bias', keys: [['u · + / -', 'movies ↔ users · rows'], ['o · ←/→', 'one-hot·U = U[u] · user']] },
  { title: '5 PCA', keys: [['arrows', 'cursor to the nearest movie that way'], ['p', 'next pair of components'], ['+ / - / 0', 'zoom in / out / reset']] },
  { title: '6 Snapshots', keys: [['↑/↓, Enter', 'pick, load'], ['s · d · r', 'save · delete (asks) · refresh'], ['space · c', 'mark · compare marked runs'], ['w', 'retrain with wd 0, compare'], ['e', 'export for the Projector']] },
  { title: '7 Data', keys: [['←/→', 'column of the crosstab'], ['Enter', 'download MovieLens 100K (first launch)']] },
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
          {g.keys.map(([k, what]) => (
            <Text key={k} wrap="truncate-end">
              {'  '}
              {k.padEnd(15)} {what}
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
