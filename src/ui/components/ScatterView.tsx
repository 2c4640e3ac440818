/** A scatter grid (lib/scatter.ts) on screen: runs of one kind of cell as one Text each. */
import React from 'react';
import { Box, Text } from 'ink';
import type { ScatterCell } from '../lib/scatter.js';
import { useHue } from '../lib/theme.js';

export function ScatterView({ grid }: { grid: ScatterCell[][] }) {
  const hue = useHue();
  return (
    <Box flexDirection="column">
      {grid.map((row, r) => (
        <Text key={r} wrap="truncate-end">
          {runs(row).map((run, k) => (
            <Text key={k} color={run.kind === 'cursor' ? hue('warn') : run.kind === 'point' ? hue('accent') : run.kind === 'axis' ? hue('muted') : undefined} bold={run.kind === 'cursor'}>
              {run.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}

/** Groups a row into runs of one kind, so a line is a handful of Text nodes, not one per cell. */
function runs(row: ScatterCell[]): { kind: ScatterCell['kind']; text: string }[] {
  const out: { kind: ScatterCell['kind']; text: string }[] = [];
  for (const cell of row) {
    const last = out[out.length - 1];
    if (last && last.kind === cell.kind) last.text += cell.ch;
    else out.push({ kind: cell.kind, text: cell.ch });
  }
  return out;
}
