/** `factorlens search "QUERY"`: typo-tolerant title search over the dataset's movies. */
import { Command, Option } from 'commander';
import { dataOption, info, jsonOption, out, parseIntArg, printJson } from '../common.js';
import { DataError, loadDataset, queryTooLong, resolveDataDir, SEARCH_DEFAULTS, TitleSearch, type Dataset } from '../../data/index.js';
import { formatTable } from './data.js';

interface Hit {
  /** The dense item index a model knows the movie by; null for a movie no one rated. */
  index: number | null;
  id: string;
  title: string;
  /** The match the text output and the Search pane show: 1 is the query itself, higher is closer. */
  match: number;
  /** Its distance, 1 − match (0 = a perfect match; the results come in this order). */
  score: number;
  /** As close as a match gets (false: only the nearest title). */
  close: boolean;
  ratings: number;
  mean: number | null;
  rated: boolean;
}

const matchOf = (score: number) => Math.round((1 - score) * 1000) / 1000;

/**
 * Rated movies and, after them, the ones the titles file lists without a rating: a search for one of
 * those finds it (and says it has no ratings) instead of offering a poor match among the rated.
 */
function searchAll(ds: Dataset, query: string, top: number): Hit[] {
  const unrated = ds.unrated ?? [];
  const titles = [...ds.titles, ...unrated.map((u) => u.title)];
  const popularity = Int32Array.from({ length: titles.length }, (_, i) => (i < ds.nItems ? ds.itemCount[i] : 0));
  return new TitleSearch(titles, { popularity }).search(query, top).map((h) => {
    if (h.index < ds.nItems) {
      return { index: h.index, id: ds.itemIds[h.index], title: h.title, match: matchOf(h.score), score: h.score, close: h.close, ratings: ds.itemCount[h.index], mean: Math.round(ds.itemMean[h.index] * 1000) / 1000, rated: true };
    }
    const u = unrated[h.index - ds.nItems];
    return { index: null, id: u.id, title: u.title, match: matchOf(h.score), score: h.score, close: h.close, ratings: 0, mean: null, rated: false };
  });
}

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('fuzzy search over movie titles ("star wrs" finds Star Wars), unrated ones included')
    .argument('<query>', `part of a title; typos are fine (at most ${SEARCH_DEFAULTS.maxQueryChars} characters)`)
    .addOption(dataOption())
    .addOption(new Option('--top <n>', 'number of results').default(10).argParser(parseIntArg('--top', 1, 1000)))
    .addOption(jsonOption())
    .action(async (query: string, opts: { data?: string; top: number; json?: boolean }) => {
      if (query.trim() === '') throw new DataError('empty search query: type part of a movie title');
      if (query.length > SEARCH_DEFAULTS.maxQueryChars) throw queryTooLong('the search query', query.length);
      const ds = await loadDataset(resolveDataDir(opts.data));
      const hits = searchAll(ds, query, opts.top);
      if (opts.json) {
        printJson({ query, hits });
        return;
      }
      if (hits.length === 0) {
        out(`no title matches "${query}"`);
        return;
      }
      if (!hits[0].close) info(`no title is close to "${query}": these are only the nearest`);
      out(
        formatTable(
          ['#', 'match', 'id', 'ratings', 'mean', 'title'],
          hits.map((h, k) => [
            String(k + 1),
            `${Math.round((1 - h.score) * 100)}%`,
            h.id,
            h.rated ? String(h.ratings) : 'none',
            h.mean === null ? '—' : h.mean.toFixed(2),
            h.title,
          ]),
          'rrrrrl',
        ),
      );
      const unrated = hits.filter((h) => !h.rated).length;
      if (unrated > 0) {
        info(
          `${unrated === 1 ? '1 of these has' : `${unrated} of these have`} no ratings in ${ds.name}: no model learns factors for ` +
            `${unrated === 1 ? 'it' : 'them'}, so ${unrated === 1 ? 'it' : 'they'} cannot be rated, compared or recommended`,
        );
      }
    });
}
