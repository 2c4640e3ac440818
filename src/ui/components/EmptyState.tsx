/** What a pane says when it has nothing to show yet, and how to get there. */
import React from 'react';
import { Text } from 'ink';
import { useHue } from '../lib/theme.js';

export const NO_MODEL = 'No model yet — train one in the Train pane (1) or load a snapshot (6).';
export const NO_DATASET = 'No dataset yet — the Data pane (7) downloads MovieLens 100K.';

export function EmptyState({ children }: { children: string }) {
  const hue = useHue();
  return (
    <Text color={hue('muted')} wrap="wrap">
      {children}
    </Text>
  );
}
