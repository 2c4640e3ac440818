/** Tabs for the panes with their hotkeys. */
import React from 'react';
import { Box, Text } from 'ink';
import { PANES, type PaneId } from '../state/panes.js';
import { useHue } from '../lib/theme.js';

export function Header({ pane, width }: { pane: PaneId; width: number }) {
  const hue = useHue();
  const compact = width < 90;
  return (
    <Box width={width}>
      <Text wrap="truncate-end">
        <Text bold color={hue('accent')}>
          {compact ? 'factorlens ' : ' factorlens  '}
        </Text>
        {PANES.map((p) => {
          const on = p.id === pane;
          return (
            <Text key={p.id} inverse={on} bold={on}>
              {/* at 80 columns eight tabs fit only without their leading space */}
              {compact ? `${p.hotkey} ${p.label} ` : ` ${p.hotkey} ${p.label} `}
            </Text>
          );
        })}
        <Text color={hue('muted')}>{compact ? ' ?' : '  ? help'}</Text>
      </Text>
    </Box>
  );
}
