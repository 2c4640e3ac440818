/** The Search pane's own state: query, whether the box or the results have the focus, the open movie card. */
import { useMemo, useState } from 'react';
import type { AppServices, NewMovieInput, TitleHit } from '../../services.js';
import { rowInCatalogue } from '../../../data/profiles.js';
import { TitleSearch } from '../../../data/search.js';

const NO_ADDED: readonly NewMovieInput[] = [];

/**
 * Rows are the current model's, so a new model (`modelVersion`) searches again, and the open card is
 * held by the movie's item id and title: it stays on the same movie, or closes if the model lacks it.
 */
export function useSearchState(services: AppServices, datasetReady: boolean, limit: number, modelVersion: number, added: readonly NewMovieInput[] = NO_ADDED) {
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
  const addedSearch = useMemo(() => (added.length > 0 ? new TitleSearch(added.map((m) => m.title)) : null), [added]);
  const results: TitleHit[] = useMemo(() => {
    if (!datasetReady || query.trim() === '') return [];
    const hits = services.searchTitles(query, limit);
    // the movies added to this snapshot, found when they match closely, in score order with the rest
    const mine = (addedSearch?.search(query, limit) ?? []).filter((h) => h.close).map((h) => ({ ...h, index: -1, added: added[h.index] }));
    return mine.length === 0 ? hits : [...mine, ...hits].sort((a, b) => a.score - b.score).slice(0, limit);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [services, query, datasetReady, limit, modelVersion, addedSearch, added]);
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
