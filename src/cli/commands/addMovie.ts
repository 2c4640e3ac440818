/** `factorlens add-movie`: a movie nobody has rated yet — whom to recommend it to, where it lands, how its first ratings move it. */
import { Command, Option } from 'commander';
import {
  catalogueGenres,
  fitMetadataModel,
  matchGenre,
  mergeAddedMovie,
  newMovieReport,
  readAddedMovies,
  snapshotsDir,
  writeAddedMovies,
  type AddedMovie,
  type MovieRating,
  type NewMovieReport,
  type Vocab,
} from '../../model/index.js';
import { parseNumberText } from '../../data/numbers.js';
import { terminalSafe } from '../../data/terminalText.js';
import { UsageError, info, jsonOption, out, parseIntArg, printJson } from '../common.js';
import { addModelSourceOptions, obtainModel, type ModelSourceFlags } from '../modelSource.js';
import { ratingBounds } from './analysis.js';
import { formatTable } from './data.js';

interface Flags extends ModelSourceFlags {
  title?: string;
  year?: number;
  genres?: string;
  rating: string[];
  top: number;
  list?: boolean;
  remove?: string;
  keep: boolean;
  json?: boolean;
}

export function registerAddMovie(program: Command): void {
  const cmd = program
    .command('add-movie')
    .description('a movie nobody has rated yet: its factors from its genres and year (a model fitted on the trained movies), whom to recommend it to, where it lands on the PCA map, and how its first ratings move it; kept with the snapshot')
    .addOption(new Option('--title <title>', 'the new movie\'s title'))
    .addOption(new Option('--year <year>', 'its year').argParser(parseIntArg('--year', 1870, 2100)))
    .addOption(new Option('--genres <list>', 'its genres, e.g. "Horror|Thriller" (the catalogue\'s names; | or , between)'))
    .addOption(new Option('--rating <user=stars>', 'a first rating of it by a user of the dataset (their id), repeatable: --rating 196=5').argParser(collect).default([]))
    .addOption(new Option('--top <n>', 'how many users to recommend it to').default(10).argParser(parseIntArg('--top', 1, 1000)))
    .addOption(new Option('--list', 'list the movies added to --snapshot'))
    .addOption(new Option('--remove <title>', 'remove an added movie from --snapshot'))
    .addOption(new Option('--no-keep', 'show it without keeping it with the snapshot'))
    .addOption(jsonOption());
  addModelSourceOptions(cmd).action(async (f: Flags) => {
    const dir = snapshotsDir(f.snapshots);
    if (f.list || f.remove !== undefined) {
      if (!f.snapshot) throw new UsageError(`${f.list ? '--list' : '--remove'} needs --snapshot NAME: added movies are kept with a snapshot`);
      const movies = await readAddedMovies(f.snapshot, dir);
      if (f.remove !== undefined) {
        const key = f.remove.trim().toLowerCase();
        const left = movies.filter((m) => m.title.toLowerCase() !== key);
        if (left.length === movies.length) throw new UsageError(`no movie titled "${f.remove}" was added to snapshot ${f.snapshot}${movies.length ? ` (added: ${movies.map((m) => m.title).join('; ')})` : ''}`);
        await writeAddedMovies(f.snapshot, left, dir);
        if (f.json) return printJson({ snapshot: f.snapshot, removed: f.remove, movies: left });
        return out(`removed "${f.remove}" from snapshot ${f.snapshot}`);
      }
      if (f.json) return printJson({ snapshot: f.snapshot, movies });
      if (!movies.length) return out(`no movies added to snapshot ${f.snapshot} yet (factorlens add-movie --snapshot ${f.snapshot} --title … --year … --genres …)`);
      return out(formatTable(['title', 'year', 'genres', 'ratings', 'added'], movies.map((m) => [m.title, m.year === null ? '' : String(m.year), m.genres.join('|'), String(m.ratings.length), m.addedAt.slice(0, 10)]), 'lrlrl'));
    }
    if (!f.title?.trim()) throw new UsageError('add-movie needs --title (and usually --year and --genres), or --list / --remove');
    const model = await obtainModel(f);
    const { weights, vocab, label, train } = model;
    if (!train) throw new UsageError("add-movie fits its metadata model on the model's training ratings: pass the --data it was trained on");
    const given: Omit<AddedMovie, 'addedAt'> = { title: f.title.trim(), year: f.year ?? null, genres: parseGenres(vocab, f.genres), ratings: f.rating.map((r) => parseMovieRating(r, weights, vocab)) };
    const keep = f.keep && model.snapshot !== null;
    const stored = model.snapshot ? await readAddedMovies(model.snapshot, dir) : [];
    const merged = mergeAddedMovie(stored, given);
    const movie = merged.movie;
    if (!merged.isNew) info(`"${movie.title}" was added to this snapshot before: its ${movie.ratings.length - given.ratings.length} earlier rating(s) are kept, ${given.ratings.length} new one(s) follow`);
    if (vocab.titles.some((t) => t.toLowerCase() === movie.title.toLowerCase())) info(`note: the catalogue already has a movie titled "${movie.title}"; this one is a new movie beside it`);
    const ratings = movie.ratings.map((r) => resolveUser(vocab, r.userId, r.rating));
    const mm = fitMetadataModel(weights, vocab, train.rows);
    const report = newMovieReport(weights, vocab, train.rows, mm, { title: movie.title, year: movie.year, genres: movie.genres }, ratings, { top: f.top });
    if (keep) await writeAddedMovies(model.snapshot!, merged.movies, dir);
    else info(model.snapshot ? 'not kept (--no-keep)' : 'not kept: without --snapshot there is no snapshot to keep it with');
    if (f.json) return printJson({ model: label, kept: keep, ...report });
    out(newMovieText(label, report, keep ? model.snapshot : null));
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseGenres(vocab: Vocab, text: string | undefined): string[] {
  if (!text?.trim()) return [];
  const known = catalogueGenres(vocab);
  return text.split(/[|,]/).map((s) => s.trim()).filter(Boolean).map((g) => {
    const m = matchGenre(known, g);
    if (!m) throw new UsageError(`unknown genre "${terminalSafe(g).slice(0, 40)}": this catalogue has ${known.join(', ')}`);
    return m;
  });
}

function parseMovieRating(text: string, w: Parameters<typeof ratingBounds>[0], vocab: Vocab): { userId: string; rating: number } {
  const at = text.lastIndexOf('=');
  const userId = at < 0 ? '' : text.slice(0, at).trim();
  const stars = at < 0 ? null : parseNumberText(text.slice(at + 1).trim(), 'stars');
  if (!userId || !stars?.ok) {
    const why = userId && stars && !stars.ok ? ` (the stars ${stars.problem})` : '';
    throw new UsageError(`--rating expects "USER=STARS" with a user id of the dataset, e.g. --rating 196=5${why}, got "${terminalSafe(text).slice(0, 80)}"`);
  }
  const rating = stars.value;
  const b = ratingBounds(w, vocab);
  if (b.strict ? !(rating > b.min && rating < b.max) : rating < b.min || rating > b.max) throw new UsageError(`rating ${rating} by user ${userId} is outside this model's scale (${b.min} to ${b.max})`);
  resolveUser(vocab, userId, rating);
  return { userId, rating };
}

function resolveUser(vocab: Vocab, userId: string, rating: number): MovieRating {
  const user = vocab.userIds.indexOf(userId);
  if (user < 0) throw new UsageError(`no user with id "${terminalSafe(userId).slice(0, 40)}" in this model (ids run like ${vocab.userIds.slice(0, 3).join(', ')}, …)`);
  return { user, rating };
}

const fix = (x: number, d = 2) => x.toFixed(d);

export function newMovieText(label: string, r: NewMovieReport, keptIn: string | null): string {
  const m = r.metadataModel;
  const lines = [
    `${label}: a new movie, "${r.movie.title}"${r.features.length ? ` — ${r.features.join(', ')}` : ' (no genres or year: the average movie)'}`,
    `its factors start from what its metadata predicts: a ridge regression fitted on ${m.movies} trained movies (λ ${m.lambda}, chosen by 5-fold CV; their ratings from metadata alone: RMSE ${fix(m.cvRmse, 3)})`,
  ];
  const s0 = r.steps[0];
  lines.push(`from its metadata alone: mean predicted rating ${fix(s0.meanPredicted)}${s0.bias !== null ? `, bias ${fix(s0.bias, 3)}` : ''}`);
  if (r.map) {
    const pcs = r.map.coords.map((c, k) => `PC${k + 1} ${fix(c, 3)}`).join(', ');
    lines.push(`on the PCA map (as \`pca\` and the PCA pane draw it): ${pcs}`);
  }
  if (r.nearest.length) lines.push(`nearest movies by factor cosine: ${r.nearest.map((x) => `${x.title} ${fix(x.similarity)}`).join('; ')}`);
  if (r.steps.length > 1) {
    lines.push('', 'as its first ratings arrive (each folded in with the metadata prediction as the prior):');
    lines.push(
      formatTable(
        ['ratings', 'user', 'rated', 'predicted before', 'mean predicted', 'bias'],
        r.steps.map((s) => [String(s.ratings), s.arrived?.userId ?? '', s.arrived ? String(s.arrived.rating) : '', s.arrived ? fix(s.arrived.predictedBefore) : '', fix(s.meanPredicted), s.bias === null ? '' : fix(s.bias, 3)]),
        'rrrrrr',
      ).trimEnd(),
    );
  }
  lines.push('', `whom to recommend it to (the highest predicted ratings${r.steps.length > 1 ? ', its raters left out' : ''}):`);
  lines.push(
    formatTable(
      ['#', 'user', 'predicted', 'place in their list', 'their favourites'],
      r.whom.map((a, k) => [String(k + 1), a.userId, fix(a.predicted), `#${a.rank}`, a.favourites.map((x) => `${x.title} ${x.rating}`).join('; ')]),
      'rrrrl',
    ).trimEnd(),
  );
  if (keptIn) lines.push('', `kept with snapshot ${keptIn} (factorlens add-movie --snapshot ${keptIn} --list)`);
  return lines.join('\n');
}
