/** Compare runs: validation curves on one chart, the hyperparameters that differ side by side, a verdict each. */
import React from 'react';
import { Box, Text } from 'ink';
import type { Comparison } from '../services.js';
import { curvesChart } from '../lib/curvesChart.js';
import { useHue, type Hue } from '../lib/theme.js';
import { fixed, padEnd, padStart } from '../lib/format.js';

const RUN_HUES: Hue[] = ['chart', 'valid', 'good', 'bad', 'accent'];

export function CompareView({ comparison, width, height }: { comparison: Comparison; width: number; height: number }) {
  const hue = useHue();
  const runs = comparison.runs;
  const differing = comparison.params.filter((p) => p.differs);
  const tableRows = 1 + Math.max(1, differing.length);
  // The verdict's reason gets a line of its own when the chart can spare it.
  const reasonLines = height - 1 - tableRows - 2 * runs.length >= 10 ? 1 : 0;
  const chartHeight = Math.max(4, height - 1 - tableRows - runs.length * (1 + reasonLines));
  const chart = curvesChart(runs.map((r) => r.validLoss), width, chartHeight);
  const runHue = (i: number) => hue(RUN_HUES[i % RUN_HUES.length]);
  const keyWidth = 10;
  const col = Math.max(8, Math.min(18, Math.floor((width - keyWidth) / runs.length) - 1));
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text wrap="truncate-end">
        <Text bold>valid loss per epoch </Text>
        {runs.map((r, i) => (
          <Text key={r.name} color={runHue(i)}>{`  ${i + 1} ── ${r.name}`}</Text>
        ))}
      </Text>
      {chart ? (
        chart.lines.map((line, i) => <CurveLine key={i} line={line} owners={chart.owners[i]} runHue={runHue} />)
      ) : (
        <Text color={hue('bad')}>a run has a non-finite validation loss (it diverged): nothing to draw</Text>
      )}
      <Text bold wrap="truncate-end">
        {padEnd('', keyWidth)}
        {runs.map((r) => padStart(r.name, col) + ' ').join('')}
      </Text>
      {differing.length === 0 ? (
        <Text color={hue('muted')}>same hyperparameters (seeds and splits included)</Text>
      ) : (
        differing.map((p) => (
          <Text key={p.key} wrap="truncate-end">
            <Text color={hue('warn')}>{padEnd(`${p.key} *`, keyWidth)}</Text>
            {p.values.map((v) => padStart(v, col) + ' ').join('')}
          </Text>
        ))
      )}
      {runs.map((r, i) => (
        <Box key={r.name} flexDirection="column">
          <Text wrap="truncate-end">
            <Text color={runHue(i)}>{`${i + 1} ${r.name}: `}</Text>
            <Text bold color={r.verdict === 'overfitting' ? hue('bad') : r.verdict === 'ok' ? hue('good') : hue('muted')}>
              {r.verdict === 'overfitting' ? 'OVERFITTING' : r.verdict === 'ok' ? 'no overfitting' : 'too short to tell'}
            </Text>
            <Text>{` · final valid rmse ${fixed(r.finalValidRmse, 4)}`}</Text>
            {reasonLines === 0 ? <Text>{` — ${r.reason}`}</Text> : null}
          </Text>
          {reasonLines > 0 ? (
            <Text color={hue('muted')} wrap="truncate-end">
              {`   ${r.reason}`}
            </Text>
          ) : null}
        </Box>
      ))}
    </Box>
  );
}

export function CurveLine({ line, owners, runHue }: { line: string; owners: number[]; runHue: (i: number) => string | undefined }) {
  // Consecutive cells of one owner become one Text.
  const parts: React.ReactNode[] = [];
  const chars = [...line];
  let from = 0;
  for (let c = 1; c <= chars.length; c++) {
    if (c < chars.length && owners[c] === owners[from]) continue;
    const who = owners[from] ?? -1;
    parts.push(
      <Text key={from} color={who >= 0 ? runHue(who) : undefined}>
        {chars.slice(from, c).join('')}
      </Text>,
    );
    from = c;
  }
  return <Text wrap="truncate-end">{parts}</Text>;
}
