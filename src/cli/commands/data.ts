/** `factorlens data info|crosstab|download`: look at a dataset, or fetch one. */
import { Command, Option } from 'commander';
import { dataOption, info, jsonOption, out, parseIntArg, printJson, UsageError } from '../common.js';
import { terminalSafe } from '../../data/terminalText.js';
import {
  cacheRoot,
  crosstab,
  DOWNLOADABLE,
  downloadDataset,
  isDownloadable,
  loadDataset,
  resolveDataDir,
  type Dataset,
} from '../../data/index.js';

const FORMAT_NAMES: Record<Dataset['format'], string> = {
  'ml-100k': 'MovieLens 100K',
  'ml-1m': 'MovieLens 1M/10M',
  'ml-csv': 'MovieLens CSV (latest/20M/25M/32M)',
  generic: 'generic user,item,rating file',
};

export function registerData(program: Command): void {
  const data = program.command('data').description('inspect a ratings dataset, or download MovieLens');

  data
    .command('info')
    .description('ratings, users, items, density, mean and the rating histogram')
    .addOption(dataOption())
    .addOption(jsonOption())
    .action(async (opts: { data?: string; json?: boolean }) => {
      const ds = await loadDataset(resolveDataDir(opts.data));
      if (opts.json) printJson(infoJson(ds));
      else out(infoText(ds));
    });

  data
    .command('crosstab')
    .description('the most active users × the most-rated movies, ratings in the cells')
    .addOption(dataOption())
    .addOption(new Option('--users <n>', 'number of users (rows)').default(15).argParser(parseIntArg('--users', 1, 1000)))
    .addOption(new Option('--movies <n>', 'number of movies (columns)').default(15).argParser(parseIntArg('--movies', 1, 1000)))
    .addOption(jsonOption())
    .action(async (opts: { data?: string; users: number; movies: number; json?: boolean }) => {
      const ds = await loadDataset(resolveDataDir(opts.data));
      const ct = crosstab(ds, opts.users, opts.movies);
      if (opts.json) {
        printJson(ct);
        return;
      }
      // titles are too wide for headers: number the columns and print a legend under the table
      const header = ['user', ...ct.movies.map((_, k) => String(k + 1))];
      const rows = ct.users.map((u, r) => [u, ...ct.cells[r].map((c) => (c === null ? '' : formatRating(c)))]);
      const legend = ct.movies.map((m, k) => `${String(k + 1).padStart(3)}  ${terminalSafe(m)}`).join('\n');
      out(`${formatTable(header, rows, 'rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr')}\n${legend}`);
    });

  data
    .command('download')
    .description(`download a MovieLens dataset into the cache (${cacheRoot()}) or --dest`)
    .addOption(
      new Option('--dataset <name>', 'which dataset').choices(Object.keys(DOWNLOADABLE)).default('ml-100k'),
    )
    .option('--dest <dir>', 'parent folder: the dataset lands in <dir>/<dataset> (default: the cache)')
    .option('--force', 'download again even if the dataset is already there')
    .action(async (opts: { dataset: string; dest?: string; force?: boolean }) => {
      if (!isDownloadable(opts.dataset)) throw new UsageError(`unknown dataset "${opts.dataset}"`);
      const name = opts.dataset;
      const progress = progressReporter(name, DOWNLOADABLE[name].approxMB);
      const dir = await downloadDataset(name, { dest: opts.dest, force: opts.force, onProgress: progress.update });
      progress.done();
      if (!progress.started) info(`${name} is already at ${dir} (use --force to download it again)`);
      else info(`${name} is ready at ${dir}`);
      if (name !== 'ml-100k' || opts.dest) info(`use it with --data ${dir} (or FACTORLENS_DATA=${dir})`);
    });
}

function infoJson(ds: Dataset) {
  let sum = 0;
  for (let r = 0; r < ds.nRatings; r++) sum += ds.ratings[r];
  return {
    name: ds.name,
    format: ds.format,
    source: ds.source,
    ratings: ds.nRatings,
    users: ds.nUsers,
    items: ds.nItems,
    density: ds.nRatings / (ds.nUsers * ds.nItems),
    mean: sum / ds.nRatings,
    scale: ds.scale,
    histogram: ds.histogram,
    genres: ds.genreNames,
    titled: ds.titles.filter((t) => t !== '').length,
    /** Movies the titles file lists that no rating names (not in `items`). */
    unrated: ds.unrated?.length ?? 0,
    hash: ds.hash,
    warnings: ds.warnings,
  };
}

function infoText(ds: Dataset): string {
  const j = infoJson(ds);
  const n = (x: number) => x.toLocaleString('en-US');
  const head = formatTable(
    [],
    [
      ['dataset', `${j.name} (${FORMAT_NAMES[ds.format]})`],
      ['source', j.source],
      ['ratings', n(j.ratings)],
      ['users', n(j.users)],
      ['items', `${n(j.items)}${j.titled < j.items ? ` (${n(j.titled)} with titles)` : ''}${j.unrated ? `; ${n(j.unrated)} more listed without ratings` : ''}`],
      ['density', `${(j.density * 100).toFixed(2)}%`],
      ['mean', j.mean.toFixed(3)],
      ['scale', `${j.scale.min}..${j.scale.max} (step ${j.scale.step})`],
      ['genres', j.genres.length ? String(j.genres.length) : 'none'],
      ['hash', j.hash.slice(0, 16)],
    ],
    'll',
  );
  const max = Math.max(...j.histogram.map((h) => h.count));
  const hist = formatTable(
    ['rating', 'count', 'share', ''],
    j.histogram.map((h) => [
      formatRating(h.rating),
      n(h.count),
      `${((100 * h.count) / j.ratings).toFixed(1)}%`,
      '█'.repeat(Math.max(h.count > 0 ? 1 : 0, Math.round((30 * h.count) / max))),
    ]),
    'rrrl',
  );
  const warn = j.warnings.map((w) => `warning: ${terminalSafe(w)}\n`).join('');
  return `${head}\n${hist}${warn ? '\n' + warn : ''}`;
}

export function formatRating(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100);
}

/**
 * Aligned columns; `align` has one letter per column, l or r (default l). Header underlined when given.
 * Every cell is made terminal-safe first (cells hold titles and ids from files), so widths are right.
 */
export function formatTable(header: string[], rows: string[][], align = ''): string {
  header = header.map(terminalSafe);
  rows = rows.map((r) => r.map(terminalSafe));
  const all = header.length ? [header, ...rows] : rows;
  const cols = Math.max(0, ...all.map((r) => r.length));
  const width = Array.from({ length: cols }, (_, c) => Math.max(0, ...all.map((r) => [...(r[c] ?? '')].length)));
  const line = (r: string[]) =>
    width
      .map((w, c) => {
        const cell = r[c] ?? '';
        const pad = ' '.repeat(w - [...cell].length);
        return align[c] === 'r' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  const out = rows.map(line);
  if (header.length) out.unshift(line(header), width.map((w) => '─'.repeat(w)).join('  '));
  return out.join('\n') + '\n';
}

/**
 * Progress on stderr: redrawn in place on a terminal, otherwise a line every 10% so logs and CI
 * output stay readable.
 */
function progressReporter(name: string, approxMB: number) {
  const tty = process.stderr.isTTY === true;
  let started = false;
  let lastDecile = -1;
  let lastDraw = 0;
  let lastText = '';
  const fmt = (b: number) => `${(b / (1 << 20)).toFixed(1)} MB`;
  const render = (received: number, total: number | null): string => {
    if (total === null) return `downloading ${name}: ${fmt(received)} (~${approxMB} MB expected)`;
    const frac = Math.min(1, received / total);
    const width = 30;
    const fill = Math.round(frac * width);
    return `downloading ${name} [${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${fmt(received)} / ${fmt(total)}`;
  };
  return {
    get started() {
      return started;
    },
    update(received: number, total: number | null): void {
      started = true;
      lastText = render(received, total);
      if (tty) {
        const now = Date.now();
        if (now - lastDraw < 100 && received !== total) return;
        lastDraw = now;
        process.stderr.write(`\r${lastText}\x1b[K`);
      } else {
        const decile = total ? Math.floor((10 * received) / total) : Math.floor(received / (10 << 20));
        if (decile !== lastDecile) {
          lastDecile = decile;
          process.stderr.write(lastText + '\n');
        }
      }
    },
    done(): void {
      if (started && tty) process.stderr.write(`\r${lastText}\x1b[K\n`);
    },
  };
}
