/** Pane 5 — PCA: the most-rated movies on two principal components of their factors. */
import React, { memo, useMemo } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import { useAsync } from '../../hooks/useAsync.js';
import { useKeyCapture } from '../../hooks/useKeyCapture.js';
import { Explain, KeyHints } from '../../components/Explain.js';
import { EmptyState, NO_MODEL } from '../../components/EmptyState.js';
import { Spinner } from '../../components/Spinner.js';
import { useHue } from '../../lib/theme.js';
import { count, truncate } from '../../lib/format.js';
import { fitViewport, nearestInDirection, renderScatter, type ScatterCell, type ScatterPoint } from '../../lib/scatter.js';
import { COMPONENTS, usePcaState } from './usePcaState.js';
import type { ModelPaneProps } from '../paneProps.js';

export type PcaPaneProps = ModelPaneProps;

/** The seeds take the 1000 most-rated movies; fewer are drawn so the plot stays legible. */
export const PCA_MOVIES = 1000;
export const SHOWN = 150;

/** Longest label on the plot: 16 cells at 80 columns, growing with the width (23 at 120). */
export function labelChars(plotWidth: number): number {
  return Math.max(16, Math.floor(plotWidth / 5));
}

/** A plot label: the title without its year (the line under the plot has the full title). */
export function plotLabel(title: string, chars: number): string {
  return truncate(title.replace(/\s*\(\d{4}\)\s*$/, ''), chars);
}

/**
 * "→ PC1  − Title, Title  + Title, Title": the movies at both ends of a component, as many as fit
 * (what `factorlens pca` prints in its + end / − end columns), titles without their years.
 */
export function axisEnds(arrow: string, label: string, low: string[], high: string[], width: number): string {
  const name = (t: string) => t.replace(/\s*\(\d{4}\)\s*$/, '');
  for (let k = Math.max(low.length, high.length); k >= 1; k--) {
    const line = `${arrow} ${label}  − ${low.slice(0, k).map(name).join(', ')}   + ${high.slice(0, k).map(name).join(', ')}`;
    if (line.length <= width) return line;
  }
  return `${arrow} ${label}  − ${truncate(name(low[0] ?? ''), Math.floor((width - label.length - 10) / 2))}   + ${truncate(name(high[0] ?? ''), Math.floor((width - label.length - 10) / 2))}`;
}

/** The titles at the low and the high end of one component, most extreme first. */
function extremes(points: { title: string; coords: number[] }[], c: number, n: number): { low: string[]; high: string[] } {
  const sorted = [...points].sort((a, b) => (a.coords[c] ?? 0) - (b.coords[c] ?? 0));
  return { low: sorted.slice(0, n).map((p) => p.title), high: sorted.slice(-n).reverse().map((p) => p.title) };
}

export const PcaPane = memo(function PcaPane({ services, dispatch, modelVersion, hasModel, width, height, active }: PcaPaneProps) {
  const hue = useHue();
  const s = usePcaState();
  useKeyCapture('pca', 'nav');
  const pca = useAsync(hasModel && active ? () => services.pca(PCA_MOVIES, COMPONENTS) : null, [services, hasModel, active, modelVersion], modelVersion);
  const [ax, ay] = s.pair;
  const plotW = width - 2;
  const plotH = Math.max(4, height - 8);
  const chars = labelChars(plotW);
  const points: ScatterPoint[] = useMemo(
    () => (pca.value?.points ?? []).slice(0, SHOWN).map((p) => ({ x: p.coords[ax] ?? 0, y: p.coords[ay] ?? 0, label: plotLabel(p.title, chars) })),
    [pca.value, ax, ay, chars],
  );
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
  // the ends of the cloud on screen (the most-rated movies), so each title is one you can find on the plot
  const all = useMemo(() => (pca.value?.points ?? []).slice(0, SHOWN), [pca.value]);
  const xEnds = useMemo(() => extremes(all, ax, 3), [all, ax]);
  const yEnds = useMemo(() => extremes(all, ay, 3), [all, ay]);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Explain width={width}>PCA: the movie factors on their directions of largest variance. Nearby movies please the same people; read an axis from the titles at its ends.</Explain>
      <Box flexDirection="column" flexGrow={1}>
      {!hasModel ? (
        <EmptyState>{NO_MODEL}</EmptyState>
      ) : pca.state === 'error' ? (
        <Text color={hue('bad')}>{pca.message}</Text>
      ) : !pca.value ? (
        <Spinner label="computing the principal components…" />
      ) : (
        <>
          <Text wrap="truncate-end">
            <Text bold>{`↑ PC${ay + 1} (${pct(ay)} of variance)`}</Text>
            <Text color={hue('muted')}>{`   → PC${ax + 1} (${pct(ax)})   ${Math.min(SHOWN, pca.value.points.length)} most-rated movies · zoom ×${s.zoom}`}</Text>
          </Text>
          <ScatterView grid={renderScatter(points, cursor, view, plotW, plotH, Math.floor(plotH * 0.8))} />
          <Text color={hue('muted')} wrap="truncate-end">{axisEnds('→', `PC${ax + 1}`, xEnds.low, xEnds.high, width)}</Text>
          <Text color={hue('muted')} wrap="truncate-end">{axisEnds('↑', `PC${ay + 1}`, yEnds.low, yEnds.high, width)}</Text>
          <Text wrap="truncate-end">
            <Text color={hue('accent')}>◉ </Text>
            {under ? `${under.title} · ${count(under.nRatings)} ratings · PC${ax + 1} ${(under.coords[ax] ?? 0).toFixed(3)}, PC${ay + 1} ${(under.coords[ay] ?? 0).toFixed(3)}` : ''}
          </Text>
        </>
      )}
      </Box>
      <KeyHints width={width}>arrows: nearest movie that way · p next pair of components · +/- zoom · 0 reset · 1–8 panes</KeyHints>
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
