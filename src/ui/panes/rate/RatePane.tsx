/** Pane 2 — Rate: you as a new user. Find movies, rate them 1–5, watch your recommendations follow. */
import React, { memo, useMemo } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import type { Recommendation } from '../../services.js';
import type { RatedMovie } from '../../state/appReducer.js';
import { useAsync } from '../../hooks/useAsync.js';
import { useKeyCapture } from '../../hooks/useKeyCapture.js';
import { editText } from '../../lib/textInput.js';
import { Explain, KeyHints } from '../../components/Explain.js';
import { TextField } from '../../components/TextField.js';
import { EmptyState, NO_DATASET, NO_MODEL } from '../../components/EmptyState.js';
import { useHue } from '../../lib/theme.js';
import { fixed, padEnd, stars, truncate } from '../../lib/format.js';
import { useRateState } from './useRateState.js';
import type { MoviePaneProps } from '../paneProps.js';

export type RatePaneProps = MoviePaneProps;

export const RECS = 15;

function starsOf(ratings: RatedMovie[], title: string): string {
  const r = ratings.find((x) => x.title === title);
  return r ? ` ${r.rating}★` : '';
}

export const RatePane = memo(function RatePane({ services, dispatch, ratings, modelVersion, hasModel, datasetReady, width, height, active }: RatePaneProps) {
  const hue = useHue();
  const s = useRateState(services, datasetReady);
  useKeyCapture('rate', s.zone === 'query' ? 'text' : 'digits');
  const mine = useMemo(() => ratings.map((r) => ({ index: r.index, rating: r.rating })), [ratings]);
  const recs = useAsync(hasModel ? () => services.recommend(mine, RECS) : null, [services, mine, hasModel, modelVersion], modelVersion);
  const recList: Recommendation[] = hasModel ? recs.value ?? [] : [];
  const recAt = Math.min(s.recAt, Math.max(0, recList.length - 1));

  const rate = (index: number, title: string, rating: number) => dispatch({ type: 'rate', movie: { index, title, rating } });

  useKeys(
    (input, key) => {
      if (s.zone === 'query') {
        if ((key.downArrow || key.return) && s.results.length > 0) return s.setZone('results');
        if (key.escape) return s.setQuery('');
        const next = editText(s.query, input, key);
        if (next !== null) s.setQuery(next);
        return;
      }
      if (input === 'u') return dispatch({ type: 'undoRating' });
      if (input === 'c') return dispatch({ type: 'clearRatings' });
      if (input === '/' || key.escape) return s.setZone('query');
      const digit = /^[1-5]$/.test(input) ? Number(input) : null;
      if (s.zone === 'results') {
        const hit = s.results[s.resultAt];
        if (key.upArrow) return s.resultAt === 0 ? s.setZone('query') : s.setResultAt(s.resultAt - 1);
        if (key.downArrow) return s.setResultAt(Math.min(s.results.length - 1, s.resultAt + 1));
        if (key.rightArrow && recList.length > 0) return s.setZone('recs');
        if (digit && hit) return rate(hit.index, hit.title, digit);
        return;
      }
      const rec = recList[recAt];
      if (key.upArrow) return s.setRecAt(Math.max(0, recAt - 1));
      if (key.downArrow) return s.setRecAt(Math.min(recList.length - 1, recAt + 1));
      if (key.leftArrow) return s.setZone(s.results.length > 0 ? 'results' : 'query');
      if (digit && rec) return rate(rec.index, rec.title, digit);
    },
    { isActive: active },
  );

  const left = Math.floor(width / 2) - 1;
  const right = width - left - 2;
  const bodyHeight = height - 3;
  const ratingsRoom = Math.max(1, bodyHeight - 3 - Math.max(1, Math.min(s.results.length, 8)));
  const recRoom = Math.max(1, bodyHeight - 4);
  const selected = s.zone === 'recs' ? recList[recAt] : undefined;

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Explain>You as a new user: your taste starts at the average user's (no ratings, no opinion) and moves with each rating — a fold-in with the movie factors fixed.</Explain>
      <Box flexDirection="row" height={bodyHeight}>
        <Box flexDirection="column" width={left} marginRight={2}>
          <TextField label="find:" value={s.query} focused={active && s.zone === 'query'} width={left} placeholder="type a title, e.g. star wars" />
          {!datasetReady ? (
            <EmptyState>{NO_DATASET}</EmptyState>
          ) : s.query.trim() !== '' && s.results.length === 0 ? (
            <EmptyState>{`No titles match "${s.query}".`}</EmptyState>
          ) : s.results.length === 0 ? (
            <Text color={hue('muted')}>then ↓ and 1–5 to rate</Text>
          ) : (
            s.results.map((r, i) => {
              const on = s.zone === 'results' && i === s.resultAt;
              const given = ratings.find((x) => x.index === r.index);
              return (
                <Text key={r.index} inverse={on} wrap="truncate-end">
                  {on ? '›' : ' '} {padEnd(r.title, left - 9)} {given ? stars(given.rating) : ''}
                </Text>
              );
            })
          )}
          <Text bold>Your ratings ({ratings.length})</Text>
          {ratings.length === 0 ? (
            <EmptyState>No ratings yet — highlight a movie and press 1–5.</EmptyState>
          ) : (
            [...ratings]
              .reverse()
              .slice(0, ratingsRoom)
              .map((r) => (
                <Text key={r.index} wrap="truncate-end">
                  {stars(r.rating)} {truncate(r.title, left - 6)}
                </Text>
              ))
          )}
        </Box>
        <Box flexDirection="column" width={right}>
          <Text bold wrap="truncate-end">
            Recommended for you{recs.state === 'loading' ? <Text color={hue('muted')}> (updating…)</Text> : null}
            {hasModel ? <Text color={hue('muted')}>  predicted ★ · ? few ratings</Text> : null}
          </Text>
          {!hasModel ? (
            <EmptyState>{NO_MODEL}</EmptyState>
          ) : recs.state === 'error' ? (
            <Text color={hue('bad')} wrap="wrap">{recs.message}</Text>
          ) : (
            recList.slice(0, recRoom).map((r, i) => {
              const on = s.zone === 'recs' && i === recAt;
              return (
                <Text key={r.index} inverse={on} wrap="truncate-end">
                  {on ? '›' : ' '}
                  {String(i + 1).padStart(2)}. {padEnd(r.title, right - 14)} {fixed(r.predicted, 2)}
                  {r.lowEvidence ? <Text color={hue('warn')}> ?</Text> : '  '}
                </Text>
              );
            })
          )}
          {hasModel && ratings.length === 0 && recList.length > 0 ? <Text color={hue('muted')}>(the average taste's picks: rate something)</Text> : null}
          {selected?.because && selected.because.length > 0 ? (
            <Box height={2} overflow="hidden">
              <Text color={hue('accent')} wrap="wrap">
                {/* With your rating beside each: a 2★ you gave can push a movie up as much as a 5★ (unlike tastes). */}
                because you rated {selected.because.slice(0, 3).map((b) => `${truncate(b.title, 32)}${starsOf(ratings, b.title)}`).join(', ')}
              </Text>
            </Box>
          ) : null}
        </Box>
      </Box>
      <KeyHints width={width}>
        {s.zone === 'query' ? 'type to search · ↓/Enter results · Esc clear' : '1–5 rate · ↑/↓ move · →/← recommendations/results · u undo · c clear · / search'}
      </KeyHints>
    </Box>
  );
});
