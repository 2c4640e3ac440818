/** lr-find's result: loss vs learning rate on a log axis, the suggestions marked, and how to use them. */
import React from 'react';
import { Box, Text } from 'ink';
import type { LrFindState } from '../panes/train/useLrFind.js';
import { lrChart, lrText } from '../lib/lrChart.js';
import { useHue } from '../lib/theme.js';
import { ProgressBar } from './ProgressBar.js';
import { LR_FIND_CAVEAT, lrFindNote } from '../services.js';
import { fitItems, wrapWords } from '../lib/format.js';

export function LrFindView({ state, width, height }: { state: LrFindState; width: number; height: number }) {
  const hue = useHue();
  if (state.phase === 'running') {
    return (
      <Box flexDirection="column" width={width}>
        <Text bold>Learning-rate finder</Text>
        <ProgressBar fraction={state.total > 0 ? state.done / state.total : 0} width={width} label={`${state.done} batches, lr growing from 1e-7…`} />
        <Text color={hue('muted')} wrap="wrap">A fresh model trains a few hundred batches with the learning rate growing exponentially; it stops when the loss explodes. Esc stops it.</Text>
      </Box>
    );
  }
  if (state.phase === 'error') {
    return (
      <Box flexDirection="column" width={width}>
        <Text bold>Learning-rate finder</Text>
        <Text color={hue('bad')} wrap="wrap">lr-find failed: {state.message ?? 'unknown error'}</Text>
        <Text color={hue('muted')}>Esc closes · f tries again</Text>
      </Box>
    );
  }
  const r = state.result;
  if (!r) return null;
  const s = r.suggestions;
  // what the suggestion is worth on this kind (measured) comes first; the general caveat when there is room
  const note = wrapWords(`note: ${lrFindNote(r.model)}`, width);
  const caveat = height >= 24 ? wrapWords(LR_FIND_CAVEAT, width).slice(0, 2) : [];
  // title, axis titles, axis + labels + marks, the suggestions, u, the note and the caveat
  const fixedLines = 1 + 1 + 3 + 2 + note.length + caveat.length;
  const chart = lrChart(r.lrs, r.losses, [{ key: 'v', index: r.suggestionIndex.valley }, { key: 's', index: r.suggestionIndex.steep }], width, Math.max(3, height - fixedLines));
  const markRow = [...' '.repeat(width)];
  for (const m of chart?.marks ?? []) if (m.col < markRow.length) markRow[m.col] = markRow[m.col] === ' ' ? m.key : '*';
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold wrap="truncate-end">
        {fitItems([`lr-find · ${r.model}`, `${r.lrs.length} batches in ${r.seconds.toFixed(1)} s`, ...(r.stop === 'exploded' ? ['stopped when the loss exploded'] : [])], width)}
      </Text>
      {chart ? (
        <>
          <Text color={hue('muted')} wrap="truncate-end">{fitItems(['↑ smoothed training loss', '→ learning rate (log scale)'], width)}</Text>
          {chart.plot.map((line, i) => (
            <Text key={i} color={hue('chart')} wrap="truncate-end">
              {line}
            </Text>
          ))}
          <Text wrap="truncate-end">{chart.axis}</Text>
          <Text wrap="truncate-end">{chart.labels}</Text>
          <Text color={hue('accent')} bold wrap="truncate-end">
            {markRow.join('').trimEnd()}
          </Text>
        </>
      ) : (
        <Text color={hue('muted')}>too few batches to draw</Text>
      )}
      <Text wrap="truncate-end">{fitItems([`v valley ${lrText(s.valley)}`, `s steepest ${lrText(s.steep)}`, `min/10 ${lrText(s.minimum)}`], width)}</Text>
      <Text color={hue('good')} wrap="truncate-end">
        {fitItems([`u/Enter: lr = ${lrText(s.valley)} (the valley, fastai's pick)`, 'Esc closes'], width)}
      </Text>
      {note.map((l, i) => (
        <Text key={`n${i}`} color={hue('warn')}>
          {l}
        </Text>
      ))}
      {caveat.map((l, i) => (
        <Text key={`c${i}`} color={hue('muted')}>
          {l}
        </Text>
      ))}
    </Box>
  );
}
