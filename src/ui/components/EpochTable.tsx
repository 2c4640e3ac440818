/** fastai's epoch table: epoch, train_loss, valid_loss, rmse, mae, time — the latest rows that fit. */
import React from 'react';
import { Box, Text } from 'ink';
import type { EpochRow } from '../services.js';
import { duration, fixed } from '../lib/format.js';
import { useHue } from '../lib/theme.js';

const HEADER = 'epoch  train_loss  valid_loss  rmse    mae     time';
const NARROW_HEADER = 'epoch train_loss valid_loss rmse   mae    time';
/** Below this width the losses get 4 decimals instead of fastai's 6, so the time column stays. */
export const WIDE_TABLE = 52;

export function formatEpochRow(row: EpochRow, narrow = false): string {
  if (narrow) {
    return [String(row.epoch).padEnd(5), fixed(row.trainLoss, 4).padEnd(10), fixed(row.validLoss, 4).padEnd(10), fixed(row.validRmse, 4), fixed(row.validMae, 4), duration(row.seconds)].join(' ');
  }
  return [
    String(row.epoch).padEnd(5),
    fixed(row.trainLoss, 6).padEnd(10),
    fixed(row.validLoss, 6).padEnd(10),
    fixed(row.validRmse, 4).padEnd(6),
    fixed(row.validMae, 4).padEnd(6),
    duration(row.seconds),
  ].join('  ');
}

export function EpochTable({ rows, maxRows, width }: { rows: EpochRow[]; maxRows: number; width: number }) {
  const narrow = width < WIDE_TABLE;
  const hue = useHue();
  const room = Math.max(1, maxRows - 1);
  const shown = rows.slice(-room);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {narrow ? NARROW_HEADER : HEADER}
        {/* when narrow there is no room; the rows' epoch numbers say which ones are shown */}
        {rows.length > shown.length && !narrow ? <Text color={hue('muted')}>  (last {shown.length} of {rows.length})</Text> : null}
      </Text>
      {shown.map((row) => (
        <Text key={row.epoch} wrap="truncate-end">
          {formatEpochRow(row, narrow)}
        </Text>
      ))}
    </Box>
  );
}
