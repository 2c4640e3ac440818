/**
 * Pane 3 — Search: fuzzy title search on every keystroke; Enter opens a movie's card; Ctrl+N adds a
 * movie nobody has rated. The box types every key; ↓ (or Esc in an empty box) moves to the results,
 * where digits switch panes.
 */
import React, { memo, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import { useKeyCapture } from '../../hooks/useKeyCapture.js';
import { editText } from '../../lib/textInput.js';
import { Explain, KeyHints } from '../../components/Explain.js';
import { TextField } from '../../components/TextField.js';
import { EmptyState, NO_DATASET } from '../../components/EmptyState.js';
import { useHue } from '../../lib/theme.js';
import { padEnd, padStart } from '../../lib/format.js';
import { useSearchState } from './useSearchState.js';
import { useAsync } from '../../hooks/useAsync.js';
import type { NewMovieInput } from '../../services.js';
import { MovieCard } from './MovieCard.js';
import { NewMovieView } from './newMovie/NewMovieView.js';
import type { MoviePaneProps } from '../paneProps.js';

export type SearchPaneProps = MoviePaneProps;

/** The match column: 1.00 is the query itself, and the list is in this order. */
const MATCH = 'match';

export const SearchPane = memo(function SearchPane({ services, dispatch, ratings, modelVersion, hasModel, datasetReady, width, height, active }: SearchPaneProps) {
  const hue = useHue();
  const listRoom = Math.max(1, height - 7);
  // the movies added to the current snapshot (found by the search too); read again once one is added
  const [addedVersion, setAddedVersion] = useState(0);
  const added = useAsync(hasModel ? () => services.addedMovies() : null, [services, hasModel, modelVersion, addedVersion], modelVersion);
  const s = useSearchState(services, datasetReady, listRoom, modelVersion, added.value ?? undefined);
  // Ctrl+N: a movie the catalogue lacks, added as a new one (its title starts as the query); or one added before, reopened
  const [adding, setAdding] = useState<string | null>(null);
  const [reopen, setReopen] = useState<NewMovieInput | undefined>(undefined);
  const closeAdding = () => {
    setAdding(null);
    setReopen(undefined);
    setAddedVersion((v) => v + 1);
  };
  // the new movie's form types into its fields like the box does
  const typing = adding !== null || (s.card === null && !s.inList);
  useKeyCapture('search', typing ? 'text' : 'nav');
  const mine = useMemo(() => ratings.map((r) => ({ index: r.index, rating: r.rating })), [ratings]);

  useKeys(
    (input, key) => {
      if (adding !== null) return;
      if (key.ctrl && input === 'n' && hasModel) return setAdding(s.query.trim());
      if (s.card !== null) {
        // back to the list, not the box: from there a digit goes to another pane, / searches again
        if (key.escape || key.backspace || key.return) {
          s.setCard(null);
          if (s.results.length > 0) s.setInList(true);
        }
        return;
      }
      const open = () => {
        const hit = s.results[s.at];
        if (hit?.rated === false) return dispatch({ type: 'notice', text: `${hit.title} has no ratings: no model learns factors for it, so it has no card` });
        if (hit?.added) {
          setReopen(hit.added);
          return setAdding(hit.added.title);
        }
        if (hit) s.setCard(hit.index);
      };
      if (s.inList) {
        if (key.upArrow) return s.at === 0 ? s.setInList(false) : s.setAt(s.at - 1);
        if (key.downArrow) return s.setAt(Math.min(s.results.length - 1, s.at + 1));
        if (key.return) return open();
        if (input === '/' || key.escape) {
          s.setQuery('');
          return s.setInList(false);
        }
        return;
      }
      if (key.downArrow) return s.results.length > 0 ? s.setInList(true) : undefined;
      if (key.return) return open();
      if (key.escape) return s.query !== '' ? s.setQuery('') : s.setInList(true);
      const next = editText(s.query, input, key);
      if (next !== null) s.setQuery(next);
    },
    { isActive: active },
  );

  const close = s.results[0]?.close ?? true;
  const titleWidth = width - MATCH.length - 4;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Explain width={width}>Fuzzy search over titles (typos forgiven). A movie's learned bias is what the model adds to everyone's rating of it, whatever their taste.</Explain>
      {adding !== null ? (
        <NewMovieView key={reopen?.title ?? ''} services={services} initialTitle={adding} reopen={reopen} active={active} width={width} height={height - 3} onClose={closeAdding} />
      ) : s.card !== null ? (
        <MovieCard services={services} index={s.card} ratings={mine} hasModel={hasModel} modelVersion={modelVersion} width={width} height={height - 3} />
      ) : (
        <Box flexDirection="column" height={height - 3}>
          <TextField label="search:" value={s.query} focused={active && !s.inList} width={width} placeholder="type a title" />
          {!datasetReady ? (
            <EmptyState>{NO_DATASET}</EmptyState>
          ) : s.query.trim() === '' ? (
            <EmptyState>Type to search; results update on every keystroke.</EmptyState>
          ) : s.results.length === 0 ? (
            <EmptyState>{`No titles match "${s.query}".`}</EmptyState>
          ) : (
            <>
              {close ? (
                <Text color={hue('muted')}>{`  ${padEnd('title', titleWidth)} ${MATCH}`}</Text>
              ) : (
                <Text color={hue('warn')} wrap="truncate-end">{`  No title is close to "${s.query}"; the nearest:`}</Text>
              )}
              {s.results.map((r, i) => {
                const on = i === s.at && (s.inList || i === 0);
                return (
                  <Text key={r.added ? `added ${r.title}` : r.index} inverse={on && s.inList} bold={on && !s.inList} wrap="truncate-end">
                    {on ? '›' : ' '} {padEnd(r.rated === false ? `${r.title} · no ratings` : r.added ? `${r.title} · added` : r.title, titleWidth)} <Text color={hue('muted')}>{padStart((1 - r.score).toFixed(2), MATCH.length)}</Text>
                  </Text>
                );
              })}
            </>
          )}
        </Box>
      )}
      <KeyHints width={width} typing={typing}>
        {hints(s.card !== null, s.inList, adding !== null, hasModel)}
      </KeyHints>
    </Box>
  );
});

function hints(card: boolean, inList: boolean, adding: boolean, hasModel: boolean): string {
  if (adding) return '↑/↓ field · type · genres ←/→ space · Enter add (and the rating) · Esc back';
  if (card) return 'Esc/Enter back to the results · 1–9 panes';
  const add = hasModel ? ' · Ctrl+N a new movie' : '';
  if (inList) return `Enter movie card · ↑/↓ pick${add} · / or Esc new search · 1–9 panes`;
  return `type to search${add} · Enter card of the first · ↓ results · Esc clear, then leave the box`;
}
