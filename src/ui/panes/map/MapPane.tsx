/**
 * Pane 5 — Map: the movies of the current model in 2-D (PCA, UMAP computed off the UI thread, or custom
 * axes typed as "A..B"), coloured by an attribute, isolated to a genre or a search; the cursor's nearest
 * movies in the model highlighted with their cosines; you (the Rate pane's ratings) and your
 * recommendations marked.
 */
import React, { memo, useContext, useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import { useAsync } from '../../hooks/useAsync.js';
import { useKeyCapture } from '../../hooks/useKeyCapture.js';
import { Explain, KeyHints } from '../../components/Explain.js';
import { EmptyState, NO_MODEL } from '../../components/EmptyState.js';
import { Spinner } from '../../components/Spinner.js';
import { TextField } from '../../components/TextField.js';
import { ColorContext, useHue } from '../../lib/theme.js';
import { count, truncate } from '../../lib/format.js';
import { editText } from '../../lib/textInput.js';
import { GROUP_GLYPHS, MARK_GLYPHS, fitViewport, nearestInDirection, renderScatter, type ScatterCell, type ScatterPoint } from '../../lib/scatter.js';
import type { RatedMovie } from '../../state/appReducer.js';
import type { ModelPaneProps } from '../paneProps.js';
import { useMapState, type MapField } from './useMapState.js';

export interface MapPaneProps extends ModelPaneProps {
  ratings: RatedMovie[];
}

/** Points drawn: the most-rated first (all of an isolated set up to this). */
export const SHOWN = 300;
/** Side list of the cursor's neighbours from this width on. */
const SIDE_FROM = 110;
const SIDE = 36;
const GROUP_COLORS = ['cyan', 'yellow', 'magenta', 'green', 'red', 'blue', 'white', 'gray', 'cyanBright', 'yellowBright'];

const noYear = (t: string) => t.replace(/\s*\(\d{4}\)\s*$/, '');

/** As many whole items as fit in `width` after the head (a line is never cut mid-word). */
export function fitItems(head: string, items: string[], width: number, sep = ', '): string {
  let line = head;
  for (let i = 0; i < items.length; i++) {
    const next = (i === 0 ? line : line + sep) + items[i];
    if (next.length > width) break;
    line = next;
  }
  return line;
}

/** A plot label: whole words of the title (no year) up to `chars`; the first word cut if it alone is longer. */
export function plotLabel(title: string, chars: number): string {
  const words = noYear(title).split(' ');
  let out = '';
  for (const w of words) {
    const next = out ? `${out} ${w}` : w;
    if (next.length > chars) break;
    out = next;
  }
  return (out || words[0].slice(0, chars)).replace(/[,:;]$/, '');
}

/** Longest label on the plot: 16 cells at 80 columns, growing with the width. */
export function labelChars(plotWidth: number): number {
  return Math.max(12, Math.floor(plotWidth / 5));
}

export const MapPane = memo(function MapPane({ services, modelVersion, hasModel, width, height, active, ratings }: MapPaneProps) {
  const hue = useHue();
  const colour = useContext(ColorContext);
  const s = useMapState();
  useKeyCapture('pca', s.editing ? 'text' : 'nav');
  const [progress, setProgress] = useState<number | null>(null);
  const req = s.request;
  const map = useAsync(
    hasModel && active
      ? () => {
          setProgress(req.method === 'umap' && !req.x && !req.y ? 0 : null);
          return services.movieMap(req, (f) => setProgress(f)).finally(() => setProgress(null));
        }
      : null,
    [services, hasModel, active, modelVersion, req],
    modelVersion,
  );
  const side = width >= SIDE_FROM;
  const plotW = width - 2 - (side ? SIDE + 1 : 0);
  const plotH = Math.max(4, height - 9);
  const chars = labelChars(plotW);
  const shown = useMemo(() => (map.value?.points ?? []).slice(0, SHOWN), [map.value]);
  const cursor = Math.min(s.cursor, Math.max(0, shown.length - 1));
  const under = shown[cursor];

  const nb = useAsync(map.value && under ? () => services.mapNeighbours(cursor) : null, [services, map.value, cursor]);
  const key = ratings.map((r) => `${r.index}=${r.rating}`).join(',');
  const mine = useMemo(() => ratings.map((r) => ({ index: r.index, rating: r.rating })), [key]); // eslint-disable-line react-hooks/exhaustive-deps
  const you = useAsync(map.value && mine.length ? () => services.placeOnMap(mine) : null, [services, map.value, key]);
  const recs = useAsync(map.value && mine.length ? () => services.recommend(mine, 10) : null, [services, map.value, key]);

  const groupIndex = useMemo(() => new Map((map.value?.legend ?? []).map((l, i) => [l.group, Math.min(i, GROUP_GLYPHS.length - 1)])), [map.value]);
  const points: ScatterPoint[] = useMemo(() => {
    const near = new Set((nb.value ?? []).map((n) => n.point));
    const rec = new Set((recs.value ?? []).map((r) => r.index));
    const pts: ScatterPoint[] = shown.map((p, i) => {
      const g = groupIndex.get(p.group) ?? 0;
      return { x: p.x, y: p.y, label: plotLabel(p.title, chars), glyph: GROUP_GLYPHS[g], group: g, mark: near.has(i) ? 'neighbour' : rec.has(p.index) ? 'rec' : undefined };
    });
    if (you.value) pts.push({ x: you.value.x, y: you.value.y, label: 'you', mark: 'you' });
    return pts;
  }, [shown, nb.value, recs.value, you.value, groupIndex, chars]);
  const view = fitViewport(points, s.zoom, shown[cursor]);

  useKeys(
    (input, k) => {
      if (s.editing) {
        if (k.escape) return s.cancelEdit();
        if (k.return) return s.commitEdit();
        const next = editText(s.editing.text, input, k);
        if (next !== null) s.setText(next);
        return;
      }
      if (input === 'm') return s.toggleMethod();
      if (input === 'x' || input === 'y') return s.edit(input);
      if (input === 'i') return s.edit('isolate');
      if (input === 'c') return s.nextColor();
      if (input === '+' || input === '=') return s.zoomIn();
      if (input === '-' || input === '_') return s.zoomOut();
      if (input === '0') return s.resetZoom();
      const dir = k.leftArrow ? 'left' : k.rightArrow ? 'right' : k.upArrow ? 'up' : k.downArrow ? 'down' : null;
      // the "you" point is drawn but not a stop for the cursor
      if (dir) s.setCursor(nearestInDirection(points.slice(0, shown.length), cursor, dir, view, plotW, plotH));
    },
    { isActive: active },
  );

  const m = map.value;
  const layoutName = m ? (m.layout === 'axes' ? 'custom axes' : m.layout.toUpperCase()) : req.method.toUpperCase();
  const neighbours = nb.value ?? [];
  const kept = neighbours.filter((n) => n.onMap).length;
  const body = !hasModel ? (
    <EmptyState>{NO_MODEL}</EmptyState>
  ) : map.state === 'error' && !m ? (
    <Text color={hue('bad')}>{map.message}</Text>
  ) : !m || (map.state === 'loading' && progress !== null) ? (
    <Spinner label={progress !== null ? `UMAP of the movie vectors (in a worker)… ${Math.round(progress * 100)}%` : 'laying out the movies…'} />
  ) : (
    <>
      <Text wrap="truncate-end">
        <Text bold>{`↑ ${m.axes.y.label}`}</Text>
        <Text color={hue('muted')}>{fitItems(
          '',
          // an isolated set comes first: what the map shows must never be cut off the line
          [
            ...(m.filter ? [`   only ${m.filter.what}: ${Math.min(SHOWN, m.points.length)} of ${m.filter.count}`] : []),
            `   → ${m.axes.x.label}`,
            `   ${layoutName}`,
            ...(m.filter ? [] : [` · ${Math.min(SHOWN, m.points.length)} of ${m.points.length} most-rated`]),
            ` · zoom ×${s.zoom}`,
          ],
          width - m.axes.y.label.length - 2,
          '',
        )}</Text>
      </Text>
      {map.state === 'error' ? <Text color={hue('bad')} wrap="truncate-end">{map.message}</Text> : null}
      <Box>
        <ScatterView grid={renderScatter(points, cursor, view, plotW, map.state === 'error' ? plotH - 1 : plotH, Math.floor(plotH * 0.6), m.layout === 'pca')} colour={colour} />
        {side ? <NeighbourList list={neighbours} kept={kept} trust={m.trustworthiness} k={m.k} width={SIDE} /> : null}
      </Box>
      <Text color={hue('muted')} wrap="truncate-end">{axisEnds('→', m.axes.x, width)}</Text>
      <Text color={hue('muted')} wrap="truncate-end">{axisEnds('↑', m.axes.y, width)}</Text>
      <Text wrap="truncate-end">
        <Text color={hue('warn')}>{`${MARK_GLYPHS.neighbour} nearest  `}</Text>
        {you.value ? <Text color={hue('good')}>{`${MARK_GLYPHS.you} you ${MARK_GLYPHS.rec} picks  `}</Text> : null}
        {`${req.color}:`}
        {legendItems(m.legend, width - 11 - (you.value ? 16 : 0) - req.color.length).map((text, i) => (
          <Text key={i} color={colour ? GROUP_COLORS[i] : undefined}>{`  ${text}`}</Text>
        ))}
      </Text>
      <Text wrap="truncate-end">
        <Text color={hue('accent')}>◉ </Text>
        {under ? fitItems('', [under.title, ` · keeps ${kept}/${neighbours.length || m.k} of its nearest`, ` · ${count(under.nRatings)} ratings`, ` · ${under.group}`, ` · map trust ${m.trustworthiness.toFixed(2)}`], width - 2, '') : ''}
      </Text>
      {!side ? (
        <Text color={hue('muted')} wrap="truncate-end">{neighbours.length ? fitItems(`nearest (${FAR} not near on the map): `, neighbours.map((n) => `${plotLabel(n.title, 24)} ${n.cosine.toFixed(2)}${n.onMap ? '' : FAR}`), width) : ''}</Text>
      ) : null}
    </>
  );
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Explain width={width}>Map: the movies by their factor vectors; near means liked by the same people.</Explain>
      <Box flexDirection="column" flexGrow={1}>
        {body}
      </Box>
      {s.editing ? (
        <TextField label={FIELD_LABELS[s.editing.field]} value={s.editing.text} focused={active} width={width} placeholder={FIELD_HINTS[s.editing.field]} />
      ) : (
        <KeyHints width={width}>arrows move · m PCA/UMAP · x y axes · i isolate · c colour · +/- 0 zoom · 1–9 panes</KeyHints>
      )}
    </Box>
  );
});

/** "→ PC1  − Title, Title   + Title, Title": what each end of an axis means, the titles furthest along it. */
export function axisEnds(arrow: string, axis: { label: string; low: string[]; high: string[] }, width: number): string {
  const name = axis.label.replace(/\s*\(.*\)$/, '');
  for (let k = Math.max(axis.low.length, axis.high.length); k >= 1; k--) {
    const line = `${arrow} ${name}  − ${axis.low.slice(0, k).map(noYear).join(', ')}   + ${axis.high.slice(0, k).map(noYear).join(', ')}`;
    if (line.length <= width) return line;
  }
  const half = Math.max(4, Math.floor((width - name.length - 12) / 2));
  return `${arrow} ${name}  − ${plotLabel(axis.low[0] ?? '', half)}   + ${plotLabel(axis.high[0] ?? '', half)}`;
}

const FIELD_LABELS: Record<MapField, string> = { x: 'x axis (A..B):', y: 'y axis (A..B):', isolate: 'isolate (genre or search):' };
const FIELD_HINTS: Record<MapField, string> = {
  x: 'Romance..Sci-Fi · a genre, titles a, b, or a search each end; empty clears',
  y: 'Disney..horror · Enter applies, Esc cancels, empty clears',
  isolate: 'Sci-Fi, or star trek · Enter applies, empty shows all',
};

/**
 * The legend's entries that fit in `width`: every group with its count if they all fit, else every
 * group without counts, else as many as fit and "+N more" — never a glyph on the plot left unexplained
 * without saying so.
 */
export function legendItems(legend: { group: string; count: number }[], width: number): string[] {
  const groups = legend.slice(0, GROUP_GLYPHS.length);
  const fits = (items: string[]) => items.reduce((n, t) => n + t.length + 2, 0) <= width;
  const full = groups.map((g, i) => `${GROUP_GLYPHS[i]} ${g.group} ${g.count}`);
  if (fits(full)) return full;
  const short = groups.map((g, i) => `${GROUP_GLYPHS[i]} ${g.group}`);
  if (fits(short)) return short;
  const out: string[] = [];
  for (let i = 0; i < short.length; i++) {
    const more = `+${short.length - i} more`;
    if (!fits([...out, short[i], ...(i + 1 < short.length ? [`+${short.length - i - 1} more`] : [])])) {
      out.push(more);
      break;
    }
    out.push(short[i]);
  }
  return out;
}

/** Marks a movie nearest in the model that the map does not place near (not a group's glyph: those are GROUP_GLYPHS). */
const FAR = '°';

function NeighbourList({ list, kept, trust, k, width }: { list: { title: string; cosine: number; onMap: boolean }[]; kept: number; trust: number; k: number; width: number }) {
  const hue = useHue();
  return (
    <Box flexDirection="column" width={width} marginLeft={1}>
      <Text bold wrap="truncate-end">{`nearest in the model (cosine)`}</Text>
      {list.map((n) => (
        <Text key={n.title} wrap="truncate-end" color={n.onMap ? hue('warn') : undefined}>
          {`${n.cosine.toFixed(2)} ${n.onMap ? ' ' : FAR} ${plotLabel(n.title, width - 7)}`}
        </Text>
      ))}
      <Text color={hue('muted')} wrap="truncate-end">{`${FAR} not near on the map; ${kept}/${list.length || k} are`}</Text>
      <Text color={hue('muted')} wrap="truncate-end">{`trustworthiness@${k}: ${trust.toFixed(3)}`}</Text>
    </Box>
  );
}

function ScatterView({ grid, colour }: { grid: ScatterCell[][]; colour: boolean }) {
  const hue = useHue();
  const colorOf = (c: ScatterCell) =>
    c.kind === 'cursor' ? hue('accent') : c.kind === 'neighbour' ? hue('warn') : c.kind === 'you' || c.kind === 'rec' ? hue('good') : c.kind === 'point' && colour && c.group !== undefined ? GROUP_COLORS[c.group] : c.kind === 'axis' ? hue('muted') : undefined;
  return (
    <Box flexDirection="column">
      {grid.map((row, r) => (
        <Text key={r} wrap="truncate-end">
          {runs(row).map((run, k) => (
            <Text key={k} color={run.color} bold={run.bold}>
              {run.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );

  function runs(row: ScatterCell[]): { color: string | undefined; bold: boolean; text: string }[] {
    const out: { color: string | undefined; bold: boolean; text: string }[] = [];
    for (const cell of row) {
      const color = colorOf(cell);
      const bold = cell.kind === 'cursor' || cell.kind === 'you';
      const last = out[out.length - 1];
      if (last && last.color === color && last.bold === bold) last.text += cell.ch;
      else out.push({ color, bold, text: cell.ch });
    }
    return out;
  }
}
