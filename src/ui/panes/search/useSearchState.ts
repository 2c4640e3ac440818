/** The Search pane's own state: query, whether the box or the results have the focus, the open movie card. */
import { useMemo, useState } from 'react';
import type { AppServices, TitleHit } from '../../services.js';

export function useSearchState(services: AppServices, datasetReady: boolean, limit: number) {
  const [query, setQueryRaw] = useState('');
  const [at, setAt] = useState(0);
  const [card, setCard] = useState<number | null>(null);
  // the box is a text field (digits are typed); in the list digits switch panes
  const [inList, setInList] = useState(false);
  const results: TitleHit[] = useMemo(
    () => (datasetReady && query.trim() !== '' ? services.searchTitles(query, limit) : []),
    [services, query, datasetReady, limit],
  );
  return {
    query,
    setQuery: (q: string) => {
      setQueryRaw(q);
      setAt(0);
    },
    results,
    at: Math.min(at, Math.max(0, results.length - 1)),
    setAt,
    card,
    setCard,
    inList,
    setInList,
  };
}
