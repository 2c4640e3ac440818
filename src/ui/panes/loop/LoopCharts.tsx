/** The loop's four numbers per round, each a small chart: the what-if (1) and, when run, the world without it (2). */
import React from 'react';
import { Box, Text } from 'ink';
import type { SimulationRound } from '../../services.js';
import { CurveLine } from '../../components/CompareView.js';
import { curvesChart } from '../../lib/curvesChart.js';
import { useHue, type Hue } from '../../lib/theme.js';

export interface LoopMetric {
  title: string;
  value: (r: SimulationRound) => number;
}

export function loopMetrics(genre: string): LoopMetric[] {
  return [
    { title: 'coverage of the catalogue', value: (r) => r.coverage },
    { title: 'popularity shown (ratings)', value: (r) => r.meanPopularity },
    { title: `${genre} share of the lists`, value: (r) => r.genreShare },
    { title: 'NDCG@10, the average user', value: (r) => r.ndcg },
  ];
}

const HUES: Hue[] = ['chart', 'valid'];

export function MetricChart({ metric, runs, width, height }: { metric: LoopMetric; runs: SimulationRound[][]; width: number; height: number }) {
  const hue = useHue();
  const curves = runs.filter((r) => r.length > 0).map((r) => r.map(metric.value));
  const chart = curves.length ? curvesChart(curves, width, Math.max(2, height - 1)) : null;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold wrap="truncate-end">
        {metric.title}
      </Text>
      {chart ? (
        chart.lines.map((line, i) => <CurveLine key={i} line={line} owners={chart.owners[i]} runHue={(k) => hue(HUES[k % HUES.length])} />)
      ) : (
        <Text color={hue('muted')}>no rounds yet</Text>
      )}
    </Box>
  );
}

/** Two charts a row; as many rows as fit (two at 80×24). */
export function LoopCharts({ genre, runs, width, height }: { genre: string; runs: SimulationRound[][]; width: number; height: number }) {
  const metrics = loopMetrics(genre);
  const half = Math.floor((width - 1) / 2);
  const rowHeight = Math.floor(height / 2);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {[0, 2].map((at) => (
        <Box key={at} flexDirection="row" height={rowHeight}>
          <MetricChart metric={metrics[at]} runs={runs} width={half} height={rowHeight} />
          <Box width={1} />
          <MetricChart metric={metrics[at + 1]} runs={runs} width={width - half - 1} height={rowHeight} />
        </Box>
      ))}
    </Box>
  );
}
