/** Pane 5 — PCA: the most-rated movies on two principal components of their factors. */
import React, { memo, useMemo } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import { useAsync } from '../../hooks/useAsync.js';
import { useKeyCapture } from '../../hooks/useKeyCapture.js';
import { Explain, KeyHints } from '../../components/Explain.js';
import { EmptyState, NO_MODEL } from '../../components/EmptyState.js';
import { useHue } from '../../lib/theme.js';
import { count, truncate } from '../../lib/format.js';
import { fitViewport, nearestInDirection, renderScatter, type ScatterCell, type ScatterPoint } from '../../lib/scatter.js';
import { COMPONENTS, usePcaState } from './usePcaState.js';
import type { ModelPaneProps } from '../paneProps.js';

export type PcaPaneProps = ModelPaneProps;

/** The seeds take the 1000 most-rated movies; fewer are drawn so the plot stays legible. */
export const PCA_MOVIES = 1000;
export const SHOWN = 150;
const LABEL_CHARS = 16;

export const PcaPane = memo(function PcaPane({ services, dispatch, modelVersion, hasModel, width, height, active }: PcaPaneProps) {
  const hue = useHue();
  const s = usePcaState();
  useKeyCapture('pca', 'nav');
  const pca = useAsync(hasModel && active ? () => services.pca(PCA_MOVIES, COMPONENTS) : null, [services, hasModel, active, modelVersion], modelVersion);
  const [ax, ay] = s.pair;
  const points: ScatterPoint[] = useMemo(
    () => (pca.value?.points ?? []).slice(0, SHOWN).map((p) => ({ x: p.coords[ax] ?? 0, y: p.coords[ay] ?? 0, label: truncate(p.title, LABEL_CHARS) })),
    [pca.value, ax, ay],
  );
  const plotW = width - 2;
  const plotH = Math.max(4, height - 6);
  const cursor = Math.min(s.cursor, Math.max(0, points.length - 1));
  const view = fitViewport(points, s.zoom, points[cursor]);

  useKeys(
    (input, key) => {
      if (input === 'p') return s.nextPair();
      if (input === '+' || input === '=') return s.zoomIn();
      if (input === '-' || input === '_') return s.zoomOut();
      if (input === '0') return s.resetZoom();
      const dir = key.leftArrow ? 'left' : key.rightArrow ? 'right' : key.upArrow ? 'up' : key.downArrow ? 'down' : null;
      if (dir) s.setCursor(nearestInDirection(points, cursor, dir, view, plotW, plotH));
    },
    { isActive: active },
  );

  const explained = pca.value?.explained ?? [];
  const pct = (i: number) => (explained[i] !== undefined ? `${(explained[i] * 100).toFixed(1)}%` : '—');
  const under = pca.value?.points[cursor];
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Explain>PCA: the movie factors on their directions of largest variance. Nearby movies please the same people; read an axis from the titles at its ends.</Explain>
      <Box flexDirection="column" flexGrow={1}>
      {!hasModel ? (
        <EmptyState>{NO_MODEL}</EmptyState>
      ) : pca.state === 'error' ? (
        <Text color={hue('bad')}>{pca.message}</Text>
      ) : !pca.value ? (
        <Text color={hue('muted')}>computing the principal components…</Text>
      ) : (
        <>
          <Text wrap="truncate-end">
            <Text bold>{`↑ PC${ay + 1} (${pct(ay)} of variance)`}</Text>
            <Text color={hue('muted')}>{`   → PC${ax + 1} (${pct(ax)})   ${Math.min(SHOWN, pca.value.points.length)} most-rated movies · zoom ×${s.zoom}`}</Text>
          </Text>
          <ScatterView grid={renderScatter(points, cursor, view, plotW, plotH, Math.floor(plotH * 0.8))} />
          <Text wrap="truncate-end">
            <Text color={hue('accent')}>◉ </Text>
            {under ? `${under.title} · ${count(under.nRatings)} ratings · PC${ax + 1} ${(under.coords[ax] ?? 0).toFixed(3)}, PC${ay + 1} ${(under.coords[ay] ?? 0).toFixed(3)}` : ''}
          </Text>
        </>
      )}
      </Box>
      <KeyHints width={width}>arrows move to the nearest movie that way · p next pair of components · +/- zoom · 0 reset</KeyHints>
    </Box>
  );
});

function ScatterView({ grid }: { grid: ScatterCell[][] }) {
  const hue = useHue();
  return (
    <Box flexDirection="column">
      {grid.map((row, r) => (
        <Text key={r} wrap="truncate-end">
          {runs(row).map((run, k) => (
            <Text key={k} color={run.kind === 'cursor' ? hue('warn') : run.kind === 'point' ? hue('accent') : run.kind === 'axis' ? hue('muted') : undefined} bold={run.kind === 'cursor'}>
              {run.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}

/** Groups a row into runs of one kind, so a line is a handful of Text nodes, not one per cell. */
function runs(row: ScatterCell[]): { kind: ScatterCell['kind']; text: string }[] {
  const out: { kind: ScatterCell['kind']; text: string }[] = [];
  for (const cell of row) {
    const last = out[out.length - 1];
    if (last && last.kind === cell.kind) last.text += cell.ch;
    else out.push({ kind: cell.kind, text: cell.ch });
  }
  return out;
}
