/** Pane 7 — Data: the dataset summary and the seeds' crosstab; the download prompt on first launch. */
import React, { memo, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import type { Crosstab } from '../../services.js';
import type { DatasetState } from '../../state/appReducer.js';
import { useAsync } from '../../hooks/useAsync.js';
import { useKeyCapture } from '../../hooks/useKeyCapture.js';
import { Explain, KeyHints } from '../../components/Explain.js';
import { useHue } from '../../lib/theme.js';
import { bar, count, fixed, truncate } from '../../lib/format.js';
import { DownloadPrompt } from './DownloadPrompt.js';
import type { PaneProps } from '../paneProps.js';

export interface DataPaneProps extends PaneProps {
  dataset: DatasetState;
  onDatasetReady: () => void;
}

const SUMMARY_WIDTH = 30;
const CELL = 3;

export const DataPane = memo(function DataPane({ services, dispatch, dataset, onDatasetReady, width, height, active }: DataPaneProps) {
  const hue = useHue();
  useKeyCapture('data', 'nav');
  const ready = dataset.state === 'ready';
  const tableWidth = width - SUMMARY_WIDTH - 2;
  const nMovies = Math.max(3, Math.min(15, Math.floor((tableWidth - 7) / CELL)));
  const nUsers = Math.max(3, Math.min(15, height - 7));
  const summary = useAsync(ready ? () => services.datasetStatus() : null, [services, ready]);
  const crosstab = useAsync(ready && active ? () => services.crosstab(nUsers, nMovies) : null, [services, ready, active, nUsers, nMovies]);
  const [col, setCol] = useState(0);

  useKeys(
    (_input, key) => {
      const n = crosstab.value?.movies.length ?? 0;
      if (key.leftArrow) setCol((c) => Math.max(0, c - 1));
      if (key.rightArrow) setCol((c) => Math.min(Math.max(0, n - 1), c + 1));
    },
    { isActive: active && ready },
  );

  if (dataset.state === 'missing') {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Explain width={width}>Collaborative filtering learns from nothing but who rated what: it needs a ratings dataset first.</Explain>
        <DownloadPrompt services={services} cacheDir={dataset.cacheDir} width={width} active={active} onDone={onDatasetReady} />
      </Box>
    );
  }
  if (dataset.state === 'error') {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Explain width={width}>Collaborative filtering learns from nothing but who rated what: it needs a ratings dataset first.</Explain>
        <Text color={hue('bad')} wrap="wrap">{dataset.message}</Text>
        <Text> </Text>
        <Text wrap="wrap">
          Point --data (or FACTORLENS_DATA) at a MovieLens folder and start again; or leave both unset, and the app offers to download MovieLens 100K into its own cache.
        </Text>
      </Box>
    );
  }
  const s = summary.value?.state === 'ready' ? summary.value.summary : null;
  const maxCount = s ? Math.max(...s.histogram.map((h) => h.count)) : 1;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Explain width={width}>The seeds' crosstab: the most active users × the most rated movies. Blanks are what the model must fill in — most of the matrix is blank.</Explain>
      {dataset.state === 'loading' ? <Text color={hue('muted')}>loading the dataset…</Text> : null}
      <Box flexDirection="row" height={height - 3}>
        <Box flexDirection="column" width={SUMMARY_WIDTH} marginRight={2}>
          {s ? (
            <>
              <Text bold>{s.name}</Text>
              <Text>{count(s.nRatings)} ratings</Text>
              <Text>{count(s.nUsers)} users · {count(s.nItems)} movies</Text>
              <Text>density {(s.density * 100).toFixed(2)}%</Text>
              <Text>mean rating {fixed(s.mean, 3)}</Text>
              <Text> </Text>
              <Text bold>ratings histogram</Text>
              {s.histogram.slice(-8).map((h) => (
                <Text key={h.rating} wrap="truncate-end">
                  {String(h.rating).padStart(3)} <Text color={hue('accent')}>{bar(h.count / maxCount, 14)}</Text> {count(h.count)}
                </Text>
              ))}
              {s.source ? <Text color={hue('muted')} wrap="truncate-end">{truncate(s.source, SUMMARY_WIDTH)}</Text> : null}
            </>
          ) : null}
        </Box>
        <Box flexDirection="column" width={tableWidth}>
          {crosstab.value ? <CrosstabView table={crosstab.value} col={Math.min(col, crosstab.value.movies.length - 1)} width={tableWidth} /> : <Text color={hue('muted')}>{ready ? 'building the crosstab…' : ''}</Text>}
        </Box>
      </Box>
      <KeyHints width={width}>←/→ column of the crosstab (its title shows above it)</KeyHints>
    </Box>
  );
});

export function CrosstabView({ table, col, width }: { table: Crosstab; col: number; width: number }) {
  const hue = useHue();
  const movie = table.movies[col];
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>column {col + 1}: </Text>
        {movie ? truncate(`${movie.title} (${count(movie.nRatings)} ratings)`, width - 12) : ''}
      </Text>
      <Text wrap="truncate-end">
        {'user  '}
        {table.movies.map((_, j) => (
          <Text key={j} inverse={j === col}>
            {String(j + 1).padStart(CELL)}
          </Text>
        ))}
      </Text>
      {table.users.map((u, i) => (
        <Text key={u} wrap="truncate-end">
          <Text color={hue('muted')}>{truncate(u, 5).padStart(5)} </Text>
          {table.cells[i].map((v, j) => (
            <Text key={j} inverse={j === col}>
              {(v === null ? '·' : String(v)).padStart(CELL)}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
