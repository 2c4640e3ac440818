/** `factorlens search "QUERY"`: typo-tolerant title search over the dataset's movies. */
import { Command, Option } from 'commander';
import { dataOption, jsonOption, parseIntArg, printJson } from '../common.js';
import { DataError, loadDataset, resolveDataDir, TitleSearch } from '../../data/index.js';
import { formatTable } from './data.js';

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('fuzzy search over movie titles ("star wrs" finds Star Wars)')
    .argument('<query>', 'part of a title; typos are fine')
    .addOption(dataOption())
    .addOption(new Option('--top <n>', 'number of results').default(10).argParser(parseIntArg('--top', 1, 1000)))
    .addOption(jsonOption())
    .action(async (query: string, opts: { data?: string; top: number; json?: boolean }) => {
      if (query.trim() === '') throw new DataError('empty search query: type part of a movie title');
      const ds = await loadDataset(resolveDataDir(opts.data));
      const hits = new TitleSearch(ds.titles, { popularity: ds.itemCount }).search(query, opts.top).map((h) => ({
        index: h.index,
        id: ds.itemIds[h.index],
        title: h.title,
        score: h.score,
        close: h.close,
        ratings: ds.itemCount[h.index],
        mean: Math.round(ds.itemMean[h.index] * 1000) / 1000,
      }));
      if (opts.json) {
        printJson({ query, hits });
        return;
      }
      if (hits.length === 0) {
        process.stdout.write(`no title matches "${query}"\n`);
        return;
      }
      if (!hits[0].close) process.stderr.write(`no title is close to "${query}": these are only the nearest\n`);
      process.stdout.write(
        formatTable(
          ['#', 'match', 'id', 'ratings', 'mean', 'title'],
          hits.map((h, k) => [
            String(k + 1),
            `${Math.round((1 - h.score) * 100)}%`,
            h.id,
            String(h.ratings),
            h.mean.toFixed(2),
            h.title,
          ]),
          'rrrrrl',
        ),
      );
    });
}
