/** Live loss chart: smoothed training loss per batch (line) and validation loss per epoch (dots). */
import React from 'react';
import { Box, Text } from 'ink';
import { lossChart, type ChartPlan } from '../lib/chart.js';
import type { LossView } from '../lib/lossTracker.js';
import { useHue } from '../lib/theme.js';
import { fixed } from '../lib/format.js';

export function LossChart({ loss, plan, width, height }: { loss: LossView; plan: ChartPlan; width: number; height: number }) {
  const hue = useHue();
  const chart = lossChart(loss, plan, width, height - 1);
  const lastValid = loss.epochs.length > 0 ? loss.epochs[loss.epochs.length - 1].validLoss : null;
  const smooth = loss.smoothed.length > 0 ? loss.smoothed[loss.smoothed.length - 1] : null;
  // at 80 columns the short legend keeps both numbers
  const [lossWord, gap] = width < 50 ? ['', '  '] : [' loss', '   '];
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text wrap="truncate-end">
        <Text color={hue('chart')}>{`─ train${lossWord} (smoothed) ${fixed(smooth)}`}</Text>
        <Text>{gap}</Text>
        <Text color={hue('valid')}>{`● valid${lossWord} ${fixed(lastValid)}`}</Text>
      </Text>
      {chart.lines.length === 0 ? (
        <Text color={hue('muted')}>waiting for the first batches…</Text>
      ) : (
        chart.lines.map((line, r) => <ChartLine key={r} line={line} dots={chart.dots[r]} />)
      )}
    </Box>
  );
}

function ChartLine({ line, dots }: { line: string; dots: number[] }) {
  const hue = useHue();
  if (dots.length === 0) {
    return (
      <Text color={hue('chart')} wrap="truncate-end">
        {line}
      </Text>
    );
  }
  const parts: React.ReactNode[] = [];
  let from = 0;
  for (const col of [...new Set(dots)].sort((a, b) => a - b)) {
    parts.push(<Text key={`l${col}`} color={hue('chart')}>{line.slice(from, col)}</Text>);
    parts.push(<Text key={`d${col}`} color={hue('valid')} bold>●</Text>);
    from = col + 1;
  }
  parts.push(<Text key="end" color={hue('chart')}>{line.slice(from)}</Text>);
  return <Text wrap="truncate-end">{parts}</Text>;
}
