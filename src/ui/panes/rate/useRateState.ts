/**
 * The Rate pane's own state: the query, which list has the focus, the two cursors, and the movie
 * being rated. Rating is explicit: Enter on a movie opens the rating prompt, and only there do digits
 * rate; anywhere else in the lists they switch panes like everywhere in the app.
 */
import { useMemo, useState } from 'react';
import type { AppServices, TitleHit, Ranking } from '../../services.js';

/** 'taste': the questionnaire, before (or instead of) ratings. */
export type RateZone = 'query' | 'results' | 'recs' | 'taste';

export const RESULT_LIMIT = 8;

export interface RatingTarget {
  index: number;
  /** Its item id: the rating is given to this movie, whatever row a new model gives it. */
  item: string;
  title: string;
}

/** `modelVersion`: the search's rows are the current model's, so a new model searches again. */
export function useRateState(services: AppServices, datasetReady: boolean, modelVersion: number) {
  const [query, setQueryRaw] = useState('');
  const [zone, setZone] = useState<RateZone>('query');
  const [resultAt, setResultAt] = useState(0);
  const [recAt, setRecAt] = useState(0);
  const [target, setTarget] = useState<RatingTarget | null>(null);
  const [why, setWhy] = useState(false);
  const [confirmClear, setConfirmClear] = useState(false);
  const [ranking, setRanking] = useState<Ranking>('pick-like');
  const results: TitleHit[] = useMemo(
    () => (datasetReady && query.trim() !== '' ? services.searchTitles(query, RESULT_LIMIT) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [services, query, datasetReady, modelVersion],
  );
  const setQuery = (q: string) => {
    setQueryRaw(q);
    setResultAt(0);
  };
  return {
    query,
    setQuery,
    /** Back to the search box for a new search: `/` and Esc start from an empty box, never the old query. */
    newSearch: () => {
      setQuery('');
      setZone('query');
      setWhy(false);
    },
    zone,
    setZone,
    results,
    resultAt: Math.min(resultAt, Math.max(0, results.length - 1)),
    setResultAt,
    recAt,
    setRecAt,
    /** The movie the rating prompt is open for (null: no prompt, digits switch panes). */
    target,
    setTarget,
    /** The full explanation of the highlighted recommendation is open. */
    why,
    setWhy,
    confirmClear,
    setConfirmClear,
    /** pick × like (the default) or predicted stars: s switches. */
    ranking,
    toggleRanking: () => setRanking((r) => (r === 'pick-like' ? 'stars' : 'pick-like')),
  };
}
