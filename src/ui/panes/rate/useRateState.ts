/** The Rate pane's own state: the query, which list has the focus, and the two cursors. */
import { useMemo, useState } from 'react';
import type { AppServices, TitleHit } from '../../services.js';

/** 'taste': the questionnaire, before (or instead of) ratings. */
export type RateZone = 'query' | 'results' | 'recs' | 'taste';

export const RESULT_LIMIT = 8;

export function useRateState(services: AppServices, datasetReady: boolean) {
  const [query, setQuery] = useState('');
  const [zone, setZone] = useState<RateZone>('query');
  const [resultAt, setResultAt] = useState(0);
  const [recAt, setRecAt] = useState(0);
  const results: TitleHit[] = useMemo(
    () => (datasetReady && query.trim() !== '' ? services.searchTitles(query, RESULT_LIMIT) : []),
    [services, query, datasetReady],
  );
  return {
    query,
    setQuery: (q: string) => {
      setQuery(q);
      setResultAt(0);
    },
    zone,
    setZone,
    results,
    resultAt: Math.min(resultAt, Math.max(0, results.length - 1)),
    setResultAt,
    recAt,
    setRecAt,
  };
}
