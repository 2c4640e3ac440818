/** Pane 4 — Bias: the movies (or users) the model lifts or sinks whatever the taste. */
import React, { memo, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import type { BiasRow } from '../../services.js';
import { useAsync } from '../../hooks/useAsync.js';
import { useKeyCapture } from '../../hooks/useKeyCapture.js';
import { Explain, KeyHints } from '../../components/Explain.js';
import { EmptyState, NO_MODEL } from '../../components/EmptyState.js';
import { useHue } from '../../lib/theme.js';
import { count, fixed, padEnd } from '../../lib/format.js';
import { OneHotView } from '../../components/OneHotView.js';
import { Spinner } from '../../components/Spinner.js';
import { useOneHot } from './useOneHot.js';
import type { ModelPaneProps } from '../paneProps.js';

export type BiasPaneProps = ModelPaneProps;

export function useBiasState(maxN: number) {
  const [kind, setKind] = useState<'movie' | 'user'>('movie');
  const [n, setN] = useState(10);
  return { kind, toggle: () => setKind((k) => (k === 'movie' ? 'user' : 'movie')), n: Math.min(n, maxN), more: () => setN(Math.min(maxN, n + 1)), fewer: () => setN(Math.max(1, Math.min(n, maxN) - 1)) };
}

/** Side by side from here up; stacked below. */
export const STACK_BELOW = 100;

export const BiasPane = memo(function BiasPane({ services, dispatch, modelVersion, hasModel, width, height, active }: BiasPaneProps) {
  const hue = useHue();
  // Below 100 columns the two lists stack, so titles get the whole width instead of ~17 cells each.
  const stacked = width < STACK_BELOW;
  const maxN = Math.max(1, stacked ? Math.floor((height - 8) / 2) : height - 6);
  const s = useBiasState(maxN);
  useKeyCapture('bias', 'nav');
  // Only asked while on screen: a hidden pane should not compete with training for the CPU.
  const oneHot = useOneHot(services, hasModel, modelVersion, active);
  const table = useAsync(hasModel && active && !oneHot.open ? () => services.bias(s.kind, s.n) : null, [services, s.kind, s.n, hasModel, modelVersion, active, oneHot.open], modelVersion);

  useKeys(
    (input, key) => {
      if (oneHot.open) {
        if (input === 'o' || key.escape) oneHot.toggle();
        else if (key.leftArrow || key.rightArrow) oneHot.step(key.leftArrow ? -1 : 1);
        else if (key.upArrow || key.downArrow) oneHot.step(key.upArrow ? -100 : 100);
        return;
      }
      if (input === 'o') oneHot.toggle();
      else if (input === 'u') s.toggle();
      else if (input === '+' || input === '=') {
        // at the most rows the screen holds, + says so rather than doing nothing
        if (s.n >= maxN) dispatch({ type: 'notice', text: `${maxN} rows fit at this terminal size${stacked ? ` (${STACK_BELOW}+ columns: side by side, more rows)` : ''}` });
        else s.more();
      }
      else if (input === '-' || input === '_') s.fewer();
    },
    { isActive: active },
  );

  const half = Math.floor((width - 2) / 2);
  const what = s.kind === 'movie' ? 'movies' : 'users';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Explain width={width}>
        {oneHot.open
          ? "An embedding is a one-hot vector times a matrix, done by indexing: here both ways on this model's user factors, their results side by side."
          : s.kind === 'movie'
          ? 'A movie bias is how much better (or worse) it is rated than its factors predict — the bottom are unliked even by people who like that kind of movie.'
          : 'A user bias is how generous a rater is: positive users rate everything higher than their tastes alone would say.'}
      </Explain>
      <Box flexDirection="column" flexGrow={1}>
      {!hasModel ? (
        <EmptyState>{NO_MODEL}</EmptyState>
      ) : oneHot.open ? (
        <OneHotView report={oneHot.report} width={width} />
      ) : table.state === 'error' ? (
        <Text color={hue('bad')}>{table.message}</Text>
      ) : !table.value ? (
        <Spinner label="ranking the biases…" />
      ) : (
        <Box flexDirection={stacked ? 'column' : 'row'} height={height - 3}>
          <BiasColumn title={`Top ${s.n} ${what} by bias`} rows={table.value.top} width={stacked ? width : half} />
          <Box width={2} height={stacked ? 1 : undefined} />
          <BiasColumn title={`Bottom ${s.n} ${what} by bias`} rows={table.value.bottom} width={stacked ? width : half} />
        </Box>
      )}
      </Box>
      <KeyHints width={width}>{oneHot.open ? '←/→ user · ↑/↓ 100 users · o/Esc back to the biases' : `u show ${s.kind === 'movie' ? 'users' : 'movies'} · +/- rows (${s.n}) · o one-hot = lookup`}</KeyHints>
    </Box>
  );
});

function BiasColumn({ title, rows, width }: { title: string; rows: BiasRow[]; width: number }) {
  const labelWidth = Math.max(8, width - 22);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {title}
      </Text>
      <Text wrap="truncate-end">{`${padEnd('', labelWidth)}   bias     n  mean`}</Text>
      {rows.map((r, i) => (
        <Text key={`${r.label}-${i}`} wrap="truncate-end">
          {padEnd(r.label, labelWidth)} {fixed(r.bias, 3).padStart(6)} {count(r.nRatings).padStart(5)} {fixed(r.mean, 2).padStart(5)}
        </Text>
      ))}
    </Box>
  );
}
