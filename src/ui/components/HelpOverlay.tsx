/** Every key of the app on one screen (? or Esc closes it). */
import React from 'react';
import { Box, Text } from 'ink';
import { useHue } from '../lib/theme.js';

export const HELP: { title: string; keys: [string, string][] }[] = [
  { title: 'Everywhere', keys: [['Tab, Shift-Tab', 'next / previous pane'], ['1 … 7', 'go to a pane (when not typing)'], ['? · q, Ctrl+C', 'help · quit (asks if a model is unsaved)']] },
  { title: '1 Train', keys: [['↑/↓', 'move between fields'], ['←/→', 'cycle a choice'], ['type, Backspace', 'edit a number (Esc reverts)'], ['Enter, s', 'start training'], ['Esc', 'cancel training (weights kept)']] },
  { title: '2 Rate', keys: [['type, /', 'search titles, back to the box'], ['↓ / ↑', 'results'], ['1 … 5', 'rate the highlighted movie'], ['→ / ←', 'recommendations / results'], ['u / c', 'undo / clear your ratings']] },
  { title: '3 Search', keys: [['type', 'search (every keystroke)'], ['↑/↓, Enter', 'pick, open the movie card'], ['Esc', 'back to the results']] },
  { title: '4 Bias', keys: [['u', 'movies ↔ users'], ['+ / -', 'more / fewer rows']] },
  { title: '5 PCA', keys: [['arrows', 'cursor to the nearest movie that way'], ['p', 'next pair of components'], ['+ / - / 0', 'zoom in / out / reset']] },
  { title: '6 Snapshots', keys: [['↑/↓, Enter', 'pick, load'], ['s', 'save the current model'], ['d', 'delete (asks first)'], ['r', 'refresh the list']] },
  { title: '7 Data', keys: [['←/→', 'column of the crosstab'], ['Enter', 'download MovieLens 100K (first launch)']] },
];

/** Fills the first column up to the height, then the second. */
function splitColumns(height: number): [typeof HELP, typeof HELP] {
  let used = 0;
  let i = 0;
  while (i < HELP.length && used + HELP[i].keys.length + 1 <= height) used += HELP[i++].keys.length + 1;
  return [HELP.slice(0, i), HELP.slice(i)];
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
