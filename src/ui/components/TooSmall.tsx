/** Below 80×24 nothing else is drawn: a cramped frame would only be garbage. */
import React from 'react';
import { Text } from 'ink';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export function TooSmall({ columns, rows }: { columns: number; rows: number }) {
  return (
    <Text wrap="truncate-end">
      enlarge the terminal to {MIN_COLUMNS}×{MIN_ROWS} (now {columns}×{rows}) · q quits
    </Text>
  );
}
