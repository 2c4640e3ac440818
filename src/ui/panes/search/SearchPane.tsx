/** Pane 3 — Search: fuzzy title search on every keystroke; Enter opens a movie's card. */
import React, { memo, useMemo } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import { useKeyCapture } from '../../hooks/useKeyCapture.js';
import { editText } from '../../lib/textInput.js';
import { Explain, KeyHints } from '../../components/Explain.js';
import { TextField } from '../../components/TextField.js';
import { EmptyState, NO_DATASET } from '../../components/EmptyState.js';
import { useHue } from '../../lib/theme.js';
import { padEnd } from '../../lib/format.js';
import { useSearchState } from './useSearchState.js';
import { MovieCard } from './MovieCard.js';
import type { MoviePaneProps } from '../paneProps.js';

export type SearchPaneProps = MoviePaneProps;

export const SearchPane = memo(function SearchPane({ services, dispatch, ratings, modelVersion, hasModel, datasetReady, width, height, active }: SearchPaneProps) {
  const hue = useHue();
  const listRoom = Math.max(1, height - 5);
  const s = useSearchState(services, datasetReady, listRoom);
  useKeyCapture('search', s.card === null ? 'text' : 'nav');
  const mine = useMemo(() => ratings.map((r) => ({ index: r.index, rating: r.rating })), [ratings]);

  useKeys(
    (input, key) => {
      if (s.card !== null) {
        if (key.escape || key.backspace || key.return) s.setCard(null);
        return;
      }
      if (key.upArrow) return s.setAt(Math.max(0, s.at - 1));
      if (key.downArrow) return s.setAt(Math.min(s.results.length - 1, s.at + 1));
      if (key.return) {
        const hit = s.results[s.at];
        if (hit) s.setCard(hit.index);
        return;
      }
      if (key.escape) return s.setQuery('');
      const next = editText(s.query, input, key);
      if (next !== null) s.setQuery(next);
    },
    { isActive: active },
  );

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Explain>Fuzzy search over titles (typos forgiven). A movie's learned bias is what the model adds to everyone's rating of it, whatever their taste.</Explain>
      {s.card !== null ? (
        <MovieCard services={services} index={s.card} ratings={mine} hasModel={hasModel} modelVersion={modelVersion} width={width} height={height - 3} />
      ) : (
        <Box flexDirection="column" height={height - 3}>
          <TextField label="search:" value={s.query} focused={active} width={width} placeholder="type a title" />
          {!datasetReady ? (
            <EmptyState>{NO_DATASET}</EmptyState>
          ) : s.query.trim() === '' ? (
            <EmptyState>Type to search; results update on every keystroke.</EmptyState>
          ) : s.results.length === 0 ? (
            <EmptyState>{`No titles match "${s.query}".`}</EmptyState>
          ) : (
            s.results.map((r, i) => (
              <Text key={r.index} inverse={i === s.at} wrap="truncate-end">
                {i === s.at ? '›' : ' '} {padEnd(r.title, width - 14)} <Text color={hue('muted')}>{(1 - r.score).toFixed(2)}</Text>
              </Text>
            ))
          )}
        </Box>
      )}
      <KeyHints width={width}>{s.card !== null ? 'Esc/Enter back to the results' : 'type to search · ↑/↓ pick · Enter movie card · Esc clear'}</KeyHints>
    </Box>
  );
});
