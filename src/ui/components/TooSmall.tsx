/**
 * Below 80×24 nothing else is drawn: a cramped frame would only be garbage. A quit question asked
 * meanwhile (q, Ctrl+C) is shown here, so the keys are never answered by an invisible dialog.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { Confirm } from './Confirm.js';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export function TooSmall({ columns, rows, question, onAnswer }: { columns: number; rows: number; question: string | null; onAnswer: (yes: boolean) => void }) {
  return (
    <Box flexDirection="column" width={columns}>
      <Text wrap="wrap">
        enlarge the terminal to {MIN_COLUMNS}×{MIN_ROWS} (now {columns}×{rows}) · q quits
      </Text>
      {question ? <Confirm question={question} onAnswer={onAnswer} active /> : null}
    </Box>
  );
}
