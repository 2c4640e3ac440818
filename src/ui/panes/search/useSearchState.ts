/** The Search pane's own state: query, whether the box or the results have the focus, the open movie card. */
import { useMemo, useState } from 'react';
import type { AppServices, TitleHit } from '../../services.js';
import { rowInCatalogue } from '../../../data/profiles.js';

/**
 * Rows are the current model's, so a new model (`modelVersion`) searches again, and the open card is
 * held by the movie's item id and title: it stays on the same movie, or closes if the model lacks it.
 */
export function useSearchState(services: AppServices, datasetReady: boolean, limit: number, modelVersion: number) {
  const [query, setQueryRaw] = useState('');
  const [at, setAt] = useState(0);
  const [opened, setOpened] = useState<{ item: string; title: string } | null>(null);
  const card = useMemo(() => {
    const c = opened && services.catalogue();
    return c && opened ? rowInCatalogue(c, opened) : null;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [services, opened, modelVersion]);
  const setCard = (index: number | null) => {
    const c = index === null ? null : services.catalogue();
    const item = c && index !== null ? c.itemIds[index] : undefined;
    setOpened(c && index !== null && item !== undefined ? { item, title: c.titles[index] } : null);
  };
  // the box is a text field (digits are typed); in the list digits switch panes
  const [inList, setInList] = useState(false);
  const results: TitleHit[] = useMemo(
    () => (datasetReady && query.trim() !== '' ? services.searchTitles(query, limit) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [services, query, datasetReady, limit, modelVersion],
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
