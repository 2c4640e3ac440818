/** Compare runs: validation curves on one chart, the hyperparameters that differ side by side, a verdict each. */
import React from 'react';
import { Box, Text } from 'ink';
import type { Comparison } from '../services.js';
import { curvesChart } from '../lib/curvesChart.js';
import { useHue, type Hue } from '../lib/theme.js';
import { fixed, padEnd, padStart, wrapWords } from '../lib/format.js';

const RUN_HUES: Hue[] = ['chart', 'valid', 'good', 'bad', 'accent'];

/** Why there is no chart: a run never validated (no curve to draw), or one diverged. */
function noChart(runs: Comparison['runs']): string {
  const unvalidated = runs.filter((r) => r.validLoss.length === 0).map((r) => r.name);
  if (unvalidated.length > 0) return `${unvalidated.join(', ')}: no validation loss recorded, nothing to draw`;
  return 'a run has a non-finite validation loss (it diverged): nothing to draw';
}

export function CompareView({ comparison, width, height }: { comparison: Comparison; width: number; height: number }) {
  const hue = useHue();
  const runs = comparison.runs;
  const differing = comparison.params.filter((p) => p.differs);
  const plan = comparePlan(height, runs.length, differing.length, runs.map((r) => wrapWords(r.reason, width - 3)));
  const reasons = plan.reasons === 'full' ? runs.map((r) => wrapWords(r.reason, width - 3)) : runs.map(() => []);
  const shownParams = differing.slice(0, plan.params);
  const chartHeight = plan.chart;
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
        <Text color={hue('bad')} wrap="truncate-end">{noChart(runs)}</Text>
      )}
      <Text bold wrap="truncate-end">
        {padEnd('', keyWidth)}
        {runs.map((r) => padStart(r.name, col) + ' ').join('')}
      </Text>
      {differing.length === 0 ? (
        <Text color={hue('muted')}>same hyperparameters (seeds and splits included)</Text>
      ) : (
        shownParams.map((p) => (
          <Text key={p.key} wrap="truncate-end">
            <Text color={hue('warn')}>{padEnd(`${p.key} *`, keyWidth)}</Text>
            {p.values.map((v) => padStart(v, col) + ' ').join('')}
          </Text>
        ))
      )}
      {shownParams.length < differing.length ? (
        <Text color={hue('muted')}>{`… and ${differing.length - shownParams.length} more that differ: ${differing.slice(shownParams.length).map((p) => p.key).join(', ')}`}</Text>
      ) : null}
      {runs.map((r, i) => (
        <Box key={r.name} flexDirection="column">
          <Text wrap="truncate-end">
            <Text color={runHue(i)}>{`${i + 1} ${r.name}: `}</Text>
            <Text bold color={r.verdict === 'overfitting' ? hue('bad') : r.verdict === 'ok' ? hue('good') : hue('muted')}>
              {verdictText(r.verdict)}
            </Text>
            <Text>{` · ${verdictRmse(`${i + 1} ${r.name}: ${verdictText(r.verdict)}`, width)} ${fixed(r.finalValidRmse, 4)}`}</Text>
          </Text>
          {reasons[i].map((line, k) => (
            <Text key={k} color={hue('muted')}>
              {`   ${line}`}
            </Text>
          ))}
        </Box>
      ))}
    </Box>
  );
}

/**
 * How the lines are shared: the title, the chart (3 lines at least), the names row, the differing
 * parameters, a verdict per run and its reason. Reasons are wrapped whole when there is room and left
 * out when not (a bigger terminal shows them; the verdict stays); parameters that still do not fit are
 * named on one line.
 */
export function comparePlan(height: number, runs: number, params: number, wrapped: string[][]): { chart: number; params: number; reasons: 'full' | 'none' } {
  const fixedLines = 1 + 1 + Math.max(1, params) + runs;
  const full = wrapped.reduce((n, w) => n + w.length, 0);
  if (height - fixedLines - full >= 4) return { chart: height - fixedLines - full, params, reasons: 'full' };
  if (height - fixedLines >= 3) return { chart: height - fixedLines, params, reasons: 'none' };
  const fit = Math.max(1, height - (1 + 1 + runs + 3) - 1);
  return { chart: 3, params: Math.min(params, fit), reasons: 'none' };
}

function verdictText(v: string): string {
  return v === 'overfitting' ? 'OVERFITTING' : v === 'ok' ? 'no overfitting' : 'too short to tell';
}

/** "final valid rmse" where the line has room for it, "rmse" where not (the number always stays). */
function verdictRmse(head: string, width: number): string {
  return head.length + ' · final valid rmse 0.0000'.length <= width ? 'final valid rmse' : 'rmse';
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
