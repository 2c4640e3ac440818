/** `factorlens eval --new-movies`: how well a movie nobody rated is predicted from its metadata, then its first ratings. */
import { loadDataset, resolveDataDir } from '../../data/index.js';
import { loadSnapshot, NEW_MOVIE_DEFAULTS, newMovieBenchmark, presetOptions, snapshotsDir, type NewMovieBenchReport, type TrainOptions } from '../../model/index.js';
import { UsageError, info, out, printJson } from '../common.js';
import { formatTable } from './data.js';

export interface NewMovieFlags {
  snapshot?: string;
  snapshots?: string;
  data?: string;
  model?: string;
  preset?: string;
  reveal?: string;
  movies?: string;
  l2?: number;
  json?: boolean;
}

export async function runNewMovies(f: NewMovieFlags): Promise<void> {
  const reveal = f.reveal === undefined ? NEW_MOVIE_DEFAULTS.reveal : f.reveal.split(',').map((s) => {
    if (!/^[0-9]{1,3}$/.test(s.trim())) throw new UsageError(`--reveal takes counts of ratings like 0,1,3,10, got "${s}"`);
    return Number(s.trim());
  });
  const role = (f.movies ?? 'report') as 'report' | 'validation';
  if (role !== 'report' && role !== 'validation') throw new UsageError(`--movies is report (what to quote) or validation (what to tune on), got "${f.movies}"`);
  if (f.l2 !== undefined && !(f.l2 > 0)) throw new UsageError(`--l2 must be above 0, got ${f.l2}`);
  const ds = await loadDataset(resolveDataDir(f.data));
  let options: Partial<TrainOptions> = f.preset ? presetOptions(f.preset) : {};
  if (f.snapshot) options = (await loadSnapshot(f.snapshot, { dir: snapshotsDir(f.snapshots) })).options;
  if (f.model) options = { ...options, model: f.model as TrainOptions['model'] };
  const report = await newMovieBenchmark(ds, options, { reveal, role, ...(f.l2 !== undefined ? { l2: f.l2 } : {}) }, (what) => info(`new-movie benchmark: ${what}`));
  if (f.json) return printJson(report);
  out(newMovieTable(report));
}

export function newMovieTable(r: NewMovieBenchReport): string {
  const o = r.options;
  const maxReveal = Math.max(...o.reveal);
  const lines = [
    `${r.movies} ${o.role} movies with ≥ ${o.minRatings} ratings, none of their ratings in training (model ${r.model}, retrained without each group of ${o.groupSize}); ` +
      `scored on the ${r.scoredRows} ratings after each one's first ${maxReveal}`,
    `metadata models (ridge on genres and year bins, λ by 5-fold CV): ${r.metadataModels.map((m) => `${m.movies} movies, λ ${m.lambda}, CV RMSE ${m.cvRmse.toFixed(3)}`).join('; ')}`,
    'item mean (oracle) reads the very ratings it is scored on: a floor, not a method',
  ];
  const all = [...new Set(r.cells.flatMap((c) => c.rows.map((x) => x.method)))];
  lines.push(
    '',
    formatTable(
      ['RMSE by ratings revealed', ...r.cells.map((c) => String(c.reveal))],
      all.map((m) => [m, ...r.cells.map((c) => {
        const x = c.rows.find((y) => y.method === m);
        return x ? `${x.rmse.value.toFixed(3)} [${x.rmse.low.toFixed(3)}–${x.rmse.high.toFixed(3)}]` : '';
      })]),
      'l' + 'r'.repeat(r.cells.length),
    ),
  );
  lines.push(`fold-in λ ${o.l2}; 95% intervals from resampling the held-out movies 1000 times; ${r.seconds.toFixed(1)} s`);
  return lines.join('\n');
}
