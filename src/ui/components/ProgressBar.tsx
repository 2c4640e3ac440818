/** A progress bar with a label on its right, in exactly `width` cells. */
import React from 'react';
import { Text } from 'ink';
import { bar } from '../lib/format.js';
import { useHue } from '../lib/theme.js';

export function ProgressBar({ fraction, width, label }: { fraction: number; width: number; label: string }) {
  const hue = useHue();
  const barWidth = Math.max(5, Math.min(40, width - label.length - 7));
  const pct = `${Math.floor(Math.min(1, Math.max(0, fraction)) * 100)}`.padStart(3);
  return (
    <Text wrap="truncate-end">
      <Text color={hue('accent')}>{bar(fraction, barWidth)}</Text>
      <Text> {pct}% </Text>
      <Text>{label}</Text>
    </Text>
  );
}
