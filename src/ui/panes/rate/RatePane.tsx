/**
 * Pane 2 — Rate: you as a new user. Find a movie, Enter, give it stars; recommendations follow.
 *
 * The keys: the search box is a text field (it keeps every key but Tab). In the lists, Enter opens
 * the rating prompt for the highlighted movie and only the prompt takes digits, so a digit pressed
 * anywhere else switches panes and never re-rates a movie you did not aim at.
 */
import React, { memo, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import type { Recommendation, TitleHit } from '../../services.js';
import type { RatedMovie } from '../../state/appReducer.js';
import { useAsync } from '../../hooks/useAsync.js';
import { useKeyCapture } from '../../hooks/useKeyCapture.js';
import { editText } from '../../lib/textInput.js';
import { Explain, KeyHints } from '../../components/Explain.js';
import { TextField } from '../../components/TextField.js';
import { TogetherPanel } from './TogetherPanel.js';
import { Confirm } from '../../components/Confirm.js';
import { EmptyState, NO_DATASET, NO_MODEL } from '../../components/EmptyState.js';
import { useSpinnerFrame } from '../../components/Spinner.js';
import { useHue } from '../../lib/theme.js';
import { fitItems, fixed, padEnd, stars, truncate, wrapWords } from '../../lib/format.js';
import { useRateState } from './useRateState.js';
import { useTaste, perRow } from './taste/useTaste.js';
import { TasteQuestions, tasteSummary } from './taste/TasteQuestions.js';
import { RatingPrompt } from './RatingPrompt.js';
import { WhyView, reasonText } from './WhyView.js';
import type { MoviePaneProps } from '../paneProps.js';

export interface RatePaneProps extends MoviePaneProps {
  /** Whose ratings these are (null while the profile is being read). */
  profile: string | null;
}

export const RECS = 15;

export const RatePane = memo(function RatePane({ services, dispatch, ratings, modelVersion, hasModel, datasetReady, profile, width, height, active }: RatePaneProps) {
  const hue = useHue();
  const s = useRateState(services, datasetReady, modelVersion);
  const [together, setTogether] = useState(false);
  const prompting = s.target !== null || s.confirmClear || together;
  const typing = together || (s.target === null && s.zone === 'query' && !s.confirmClear);
  useKeyCapture('rate', typing ? 'text' : s.target !== null ? 'digits' : 'nav');
  const mine = useMemo(() => ratings.map((r) => ({ index: r.index, rating: r.rating })), [ratings]);
  // as many as the column shows (a tall terminal shows more than the 15 of an 80×24 one)
  const wanted = Math.max(RECS, height - 7);
  // the questionnaire starts the list before any rating; ratings then refine it from there, ranked either way
  const taste = useTaste(services, hasModel, modelVersion, true);
  const recs = useAsync(
    hasModel ? () => (taste.answered ? services.recommendFromAnswers(mine, taste.answers, wanted, s.ranking) : services.recommend(mine, wanted, s.ranking)) : null,
    [services, mine, hasModel, modelVersion, wanted, s.ranking, taste.answers, taste.answered],
    modelVersion,
  );
  const recList: Recommendation[] = hasModel ? recs.value ?? [] : [];
  const recAt = Math.min(s.recAt, Math.max(0, recList.length - 1));
  const scale = services.ratingScale();
  const spin = useSpinnerFrame(recs.state === 'loading');

  const rate = (rating: number) => {
    const t = s.target;
    s.setTarget(null);
    if (t) dispatch({ type: 'rate', movie: { index: t.index, item: t.item, title: t.title, rating } });
  };
  // the movie is aimed at by its item id too: a model that changes while the prompt is open moves its row
  const aim = (index: number, title: string) => {
    const item = services.catalogue()?.itemIds[index];
    if (item !== undefined) s.setTarget({ index, item, title });
  };

  // a movie nobody rated has no factors: nothing to fold a rating of it into
  const rateHit = (hit: TitleHit) =>
    hit.rated === false ? dispatch({ type: 'notice', text: `${hit.title} has no ratings: no model learns factors for it, so rating it would change nothing` }) : aim(hit.index, hit.title);

  useKeys(
    (input, key) => {
      const left = Math.floor(width / 2) - 1;
      if (s.zone === 'taste') {
        const n = perRow(left);
        if (key.escape) return s.setZone('query');
        if (key.leftArrow) return taste.move(-1);
        if (key.rightArrow) return taste.move(1);
        if (key.upArrow) return taste.at < n ? s.setZone('query') : taste.move(-n);
        if (key.downArrow) return taste.move(n);
        if (input === '+' || input === 'l') return taste.answer('like');
        if (input === '-' || input === 'd') return taste.answer('dislike');
        if (input === ' ' || input === 'n') return taste.answer('neutral');
        if (key.return && recList.length > 0) return s.setZone('recs');
        return;
      }
      if (s.zone === 'query') {
        if (key.downArrow || key.return) {
          if (s.results.length > 0) {
            s.setZone('results');
            // Enter rates the highlighted match at once: typing a title, Enter, then its stars
            const first = s.results[s.resultAt];
            if (key.return && first) rateHit(first);
            return;
          }
          if (s.query.trim() !== '') return;
          // an empty box: ↓ to the questionnaire while it is shown (no ratings yet), else to the list
          if (key.downArrow && taste.list.length > 0 && ratings.length === 0) return s.setZone('taste');
          if (recList.length > 0) return s.setZone('recs');
          return;
        }
        if (key.escape) {
          // Esc empties the box; in an empty box it leaves it for the recommendations
          if (s.query !== '') return s.setQuery('');
          if (recList.length > 0) return s.setZone('recs');
          return;
        }
        const next = editText(s.query, input, key);
        if (next !== null) s.setQuery(next);
        return;
      }
      if (input === 't' && taste.list.length > 0) return s.setZone('taste');
      if (input === 'u') return dispatch({ type: 'undoRating' });
      if (input === 's') return s.toggleRanking();
      if (input === 'w' && hasModel) return setTogether(true);
      if (input === 'c') return ratings.length > 0 ? s.setConfirmClear(true) : dispatch({ type: 'notice', text: 'no ratings to clear' });
      if (input === '/') return s.newSearch();
      if (key.escape) return s.why ? s.setWhy(false) : s.newSearch();
      if (s.zone === 'results') {
        const hit = s.results[s.resultAt];
        if (key.upArrow) return s.resultAt === 0 ? s.setZone('query') : s.setResultAt(s.resultAt - 1);
        if (key.downArrow) return s.setResultAt(Math.min(s.results.length - 1, s.resultAt + 1));
        if (key.rightArrow && recList.length > 0) return s.setZone('recs');
        if (key.return && hit) return rateHit(hit);
        return;
      }
      const rec = recList[recAt];
      if (key.upArrow) return s.setRecAt(Math.max(0, recAt - 1));
      if (key.downArrow) return s.setRecAt(Math.min(recList.length - 1, recAt + 1));
      if (key.leftArrow) return s.setZone(s.results.length > 0 ? 'results' : 'query');
      if (input === 'e' && rec) return s.setWhy(!s.why);
      if (key.return && rec) return aim(rec.index, rec.title);
    },
    { isActive: active && !prompting },
  );

  const left = Math.floor(width / 2) - 1;
  const right = width - left - 2;
  const bodyHeight = height - 3 - (prompting ? 2 : 0);
  const ratingsRoom = Math.max(1, bodyHeight - 3 - Math.max(1, Math.min(s.results.length, 8)));
  const selected = s.zone === 'recs' ? recList[recAt] : undefined;
  const because = becauseLines(selected?.because?.map(reasonText) ?? [], right);
  const recRoom = Math.max(1, bodyHeight - 2 - because.length);
  const given = (index: number) => ratings.find((x) => x.index === index)?.rating ?? null;
  // the list says how it is ranked (a model without its training ratings at hand falls back to stars)
  const ratingsHeader = (
    <Text bold wrap="truncate-end">
      {`Your ratings (${ratings.length})`}
      {profile ? <Text color={hue('muted')}>{` · profile ${profile}`}</Text> : null}
    </Text>
  );
  // a model that only ranks (implicit ALS, popularity) has scores, not stars, and one way to order them
  const predictsStars = services.modelInfo()?.shows.ratings ?? true;
  const byPick = predictsStars && (recList.length > 0 ? recList[0].popularityShare != null : s.ranking === 'pick-like');
  const head = `Recommended for you · ${byPick ? 'pick × like' : predictsStars ? 'by stars' : 'by score'}${recs.state === 'loading' ? ` ${spin}` : ''}`;
  const legendItems = predictsStars ? ['predicted ★', '? few ratings', `s ${byPick ? 'by stars' : 'pick × like'}`] : ['scores, not ★', '? few ratings'];
  const legend = hasModel ? fitItems(legendItems, right - head.length - 2) : '';

  if (together) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Explain width={width}>Watch together: you and other profiles, each folded in; average taste and least misery.</Explain>
        <TogetherPanel services={services} mine={mine} width={width} height={height - 2} active={active} onClose={() => setTogether(false)} />
        <KeyHints width={width} typing>
          Enter show the lists · Esc back · the names are profiles (--profile NAME)
        </KeyHints>
      </Box>
    );
  }

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Explain width={width}>
        {byPick
          ? 'You as a new user: ranked by what you would pick (popularity, movies liked by people who liked yours) × what you would like (your folded-in stars).'
          : !predictsStars
            ? 'You as a new user: this model ranks movies (its scores order them; they are not stars) — each movie you rate folds in as one you watched.'
            : "You as a new user: your taste starts at the average user's and moves with each rating — a fold-in with the movie factors fixed."}
      </Explain>
      <Box flexDirection="row" height={bodyHeight}>
        <Box flexDirection="column" width={left} marginRight={2}>
          <TextField label="find:" value={s.query} focused={active && s.zone === 'query' && !prompting} width={left} placeholder="type a title, e.g. star wars" />
          {!datasetReady ? (
            <EmptyState>{NO_DATASET}</EmptyState>
          ) : s.query.trim() !== '' && s.results.length === 0 ? (
            <EmptyState>{`No titles match "${s.query}".`}</EmptyState>
          ) : s.results.length === 0 ? (
            <Text color={hue('muted')}>then ↓ to a movie and Enter to rate it</Text>
          ) : (
            s.results.map((r, i) => {
              const on = s.zone === 'results' && i === s.resultAt;
              const g = given(r.index);
              return (
                <Text key={r.index} inverse={on} wrap="truncate-end">
                  {on ? '›' : ' '} {padEnd(r.rated === false ? `${r.title} · no ratings` : r.title, left - 9)} {g !== null ? stars(g) : ''}
                </Text>
              );
            })
          )}
          {ratings.length === 0 || s.zone === 'taste' ? (
            <>
              <Text bold wrap="truncate-end">
                Your taste<Text color={hue('muted')}>{tasteNote(ratings.length === 0, left)}</Text>
              </Text>
              <TasteQuestions taste={taste} focused={active && s.zone === 'taste' && !prompting} width={left} rows={Math.max(2, ratingsRoom - 2)} />
              {ratingsHeader}
            </>
          ) : (
            <>
              {ratingsHeader}
              {taste.answered ? (
                <Text color={hue('muted')} wrap="truncate-end">
                  {tasteSummary(taste)} (t)
                </Text>
              ) : null}
            </>
          )}
          {ratings.length === 0 ? (
            <EmptyState>{profile === null ? 'reading your profile…' : 'No ratings yet — pick a movie, Enter, then its stars.'}</EmptyState>
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
            {head}
            {legend ? <Text color={hue('muted')}>{`  ${legend}`}</Text> : null}
          </Text>
          {!hasModel ? (
            <EmptyState>{NO_MODEL}</EmptyState>
          ) : recs.state === 'error' ? (
            <Text color={hue('bad')} wrap="wrap">{recs.message}</Text>
          ) : s.why && selected ? (
            <WhyView rec={selected} width={right} height={bodyHeight - 1} />
          ) : (
            <>
              {recList.slice(0, recRoom).map((r, i) => {
                const on = s.zone === 'recs' && i === recAt;
                return (
                  <Text key={r.index} inverse={on} wrap="truncate-end">
                    {on ? '›' : ' '}
                    {String(i + 1).padStart(2)}. {padEnd(r.title, right - 14)} {fixed(r.predicted, 2)}
                    {r.lowEvidence ? <Text color={hue('warn')}> ?</Text> : '  '}
                  </Text>
                );
              })}
              {ratings.length === 0 && recList.length > 0 ? (
                <Text color={hue('muted')} wrap="truncate-end">
                  {taste.answered ? '(from your answers: rate to refine)' : "(the average taste's picks: rate some)"}
                </Text>
              ) : null}
              {because.map((l, i) => (
                <Text key={`b${i}`} color={hue('accent')}>
                  {l}
                </Text>
              ))}
            </>
          )}
        </Box>
      </Box>
      {s.target ? (
        <RatingPrompt key={s.target.index} title={s.target.title} given={given(s.target.index)} scale={scale} width={width} active={active} onRate={rate} onCancel={() => s.setTarget(null)} />
      ) : null}
      {s.confirmClear ? (
        <Box height={2}>
          <Confirm
            question={`Clear all ${ratings.length} ratings${profile ? ` of profile ${profile}` : ''}? (u undoes it)`}
            active={active}
            onAnswer={(yes) => {
              s.setConfirmClear(false);
              if (yes) dispatch({ type: 'clearRatings' });
            }}
          />
        </Box>
      ) : null}
      <KeyHints width={width} typing={typing}>
        {hints(s.zone, s.why, taste.list.length > 0, ratings.length === 0)}
      </KeyHints>
    </Box>
  );
});

/** `taste`: the model has a questionnaire; `tasteShown`: it is open below the box (no ratings yet). */
function hints(zone: string, why: boolean, taste: boolean, tasteShown: boolean): string {
  if (zone === 'query') return `type to search · ↓ results${taste && tasteShown ? ' (or your taste)' : ''} · Esc clear, then ↓ recommendations · Tab next pane`;
  if (zone === 'taste') return 'arrows move · + like · − dislike · space no opinion · Enter recommendations · Esc search';
  if (why) return 'e/Esc back to the list · ↑/↓ another recommendation · Enter rate it · 1–9 panes';
  const list = zone === 'results' ? '→ recommendations' : 'e why · ← results';
  return `Enter rate · ↑/↓ move · ${list} · / new search · s ranking${taste ? ' · t taste' : ''} · w together · u undo · c clear`;
}

/**
 * "because you rated …" under the list: the first reason in full, with its numbers, wrapped into at
 * most three lines (the short form when the long one would need more); e opens all of them.
 */
export function becauseLines(reasons: string[], width: number): string[] {
  if (reasons.length === 0) return [];
  const more = reasons.length > 1 ? ` (e: all ${reasons.length})` : ' (e: why)';
  const long = wrapWords(`because you rated ${reasons[0].replace(/^↑ /, '')}${more}`, width);
  return long.length <= 3 ? long : wrapWords(`${reasons[0]}${more}`, width).slice(0, 3);
}

/** What follows "Your taste": the longest of its forms that fits the column whole. */
function tasteNote(beforeAnyRating: boolean, width: number): string {
  const when = beforeAnyRating ? ' — before any rating' : '';
  const forms = [`${when} (+ like, − dislike, space none)`, `${when} (+ like, − dislike)`, `${when} (+ / −)`, ' (+ like, − dislike)', ''];
  return forms.find((f) => 'Your taste'.length + f.length <= width) ?? '';
}
