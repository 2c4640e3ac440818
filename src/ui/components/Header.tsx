/** Tabs for the panes with their hotkeys. */
import React from 'react';
import { Box, Text } from 'ink';
import { PANES, type PaneId } from '../state/panes.js';
import { useHue } from '../lib/theme.js';

export function Header({ pane, width }: { pane: PaneId; width: number }) {
  const hue = useHue();
  // the full tabs (" 1 Train ", …) with the title and "  ? help", else the compact ones
  const full = 'factorlens  '.length + PANES.reduce((n, p) => n + p.label.length + 4, 0) + '  ? help'.length;
  const compact = width < full;
  return (
    <Box width={width}>
      <Text wrap="truncate-end">
        <Text bold color={hue('accent')}>
          {compact ? 'factorlens ' : 'factorlens  '}
        </Text>
        {PANES.map((p) => {
          const on = p.id === pane;
          return (
            <Text key={p.id} inverse={on} bold={on}>
              {/* at 80 columns nine tabs fit only with short labels and without their leading space */}
              {compact ? `${p.hotkey} ${p.short ?? p.label} ` : ` ${p.hotkey} ${p.label} `}
            </Text>
          );
        })}
        <Text color={hue('muted')}>{compact ? ' ?' : '  ? help'}</Text>
      </Text>
    </Box>
  );
}
