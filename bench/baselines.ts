/**
 * The baselines, measured: `npx tsx bench/baselines.ts` (or `node dist/bench/baselines.js` after a build).
 *   1. Surprise's published ML-100K table (README, 5-fold CV, default parameters): BaselineOnly 0.944,
 *      KNNBaseline 0.931 — against ours on cv5 (u1..u5) and on random 5-fold CV like Surprise's own
 *      (KFold shuffles every rating into five folds; several seeds, since one 5-fold mean moves by
 *      about ±0.002 with the shuffle).
 *   2. One table per split (u1, time, random by default): every baseline and the seeds' dotbias recipe,
 *      RMSE/MAE where the model predicts ratings, full-catalogue P@10 / Recall@20 / NDCG@10 (relevant =
 *      held-out ≥ 4, training items excluded), coverage, popularity lift, seconds to train.
 * Flags: --splits u1,time,random   --seeds 3 (random 5-fold repetitions)   --no-recipe   --no-surprise
 *        --leaderboard (split tables without the Surprise-configuration rows)
 *        --json (one JSON document on stdout)   --out FILE (also write the JSON there)
 * Prices are wall seconds on whatever machine runs it: on a shared one compare rows within one run.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset, makeSplit, makeSplits, type Dataset, type Split } from '../src/data/index.js';
import { meanSd, type MeanSd } from '../src/model/evaluate/folds.js';
import { predictorMetrics, selectRows, type Columns } from '../src/model/evaluate/metrics.js';
import { rankingFromScorer, rankingMetrics, type ItemScorer, type RankingMetrics } from '../src/model/evaluate/ranking.js';
import { fitBaselineOnly, predictBaseline, scoreBaseline } from '../src/model/models/baselines/baselineOnly.js';
import { easeTrainedUser, fitEase, scoreEase } from '../src/model/models/baselines/ease.js';
import { fitGlobalMean, scoreGlobalMean } from '../src/model/models/baselines/globalMean.js';
import { fitIals, ialsTrainedUser, scoreIals } from '../src/model/models/baselines/ials.js';
import { fitKnnBaseline, knnTrainedUser, predictKnnRows, scoreKnn, type KnnOptions } from '../src/model/models/baselines/knnBaseline.js';
import { fitPopularity, scorePopularity } from '../src/model/models/baselines/popularity.js';
import { ratingMatrix, type RatingMatrix } from '../src/model/models/baselines/ratings.js';

/** What a fitted baseline offers the bench: ratings (when it predicts them) and a ranking. */
interface Fitted {
  predict?: (users: Int32Array, items: Int32Array) => Float32Array;
  /** Absent for the global mean: every item scores μ, so its "ranking" would be catalogue order. */
  score?: ItemScorer;
}

interface Baseline {
  name: string;
  fit: (m: RatingMatrix) => Fitted;
  /** Only here to hold Surprise's README to its own configuration; not a leaderboard row. */
  surpriseOnly?: boolean;
}

const ITEM_KNN: Partial<KnnOptions> = {}; // item-based, shrunk pearson_baseline, k 40 (the defaults)
/** What Surprise's `KNNBaseline()` means without options — and what its README benchmark ran. */
const SURPRISE_DEFAULT_KNN: Partial<KnnOptions> = { userBased: true, similarity: 'msd' };

export const BASELINES: Baseline[] = [
  {
    name: 'global mean',
    fit: (m) => {
      const g = fitGlobalMean(m);
      return { predict: (users) => scoreGlobalMean(g, new Float32Array(users.length)) };
    },
  },
  {
    name: 'BaselineOnly',
    fit: (m) => {
      const b = fitBaselineOnly(m);
      return {
        predict: (users, items) => Float32Array.from(users, (u, k) => predictBaseline(b, b.userBias[u], items[k])),
        score: (u, out) => void scoreBaseline(b, b.userBias[u], out),
      };
    },
  },
  {
    name: 'popularity',
    fit: (m) => {
      const p = fitPopularity(m);
      return { score: (_u, out) => void scorePopularity(p, out) };
    },
  },
  { name: 'KNNBaseline item pearson_baseline', fit: (m) => knn(m, ITEM_KNN) },
  { name: 'KNNBaseline user msd (Surprise default)', fit: (m) => knn(m, SURPRISE_DEFAULT_KNN), surpriseOnly: true },
  {
    name: 'EASE^R',
    fit: (m) => {
      const e = fitEase(m);
      return { score: (u, out) => void scoreEase(e, easeTrainedUser(m, u), out) };
    },
  },
  {
    name: 'iALS',
    fit: (m) => {
      const model = fitIals(m);
      return { score: (u, out) => void scoreIals(model, ialsTrainedUser(model, u), out) };
    },
  },
];

function knn(m: RatingMatrix, options: Partial<KnnOptions>): Fitted {
  const model = fitKnnBaseline(m, options);
  return { predict: (users, items) => predictKnnRows(model, users, items), score: (u, out) => void scoreKnn(model, knnTrainedUser(model, u), out) };
}

export interface BenchRow {
  model: string;
  rmse: number | null;
  mae: number | null;
  p10: number | null;
  recall20: number | null;
  ndcg10: number | null;
  coverage: number | null;
  popularityLift: number | null;
  /** Fitting, from the training columns (the CSR build included). */
  seconds: number;
  /** Ranking every user over the full catalogue. */
  rankSeconds: number | null;
}

const RANKING = { k: 10, recallK: 20 } as const;
const now = () => performance.now() / 1000;

function ranked(model: string, rmse: number | null, mae: number | null, r: RankingMetrics | null, seconds: number): BenchRow {
  return {
    model,
    rmse,
    mae,
    p10: r?.precision ?? null,
    recall20: r?.recall ?? null,
    ndcg10: r?.ndcg ?? null,
    coverage: r?.coverage ?? null,
    popularityLift: r?.popularityLift ?? null,
    seconds,
    rankSeconds: r?.seconds ?? null,
  };
}

/** Every baseline on one split: fit, RMSE/MAE (clipped to the scale, as Surprise scores), ranking. */
export function baselineRows(ds: Dataset, split: Split, only?: (name: string) => boolean): BenchRow[] {
  const train = selectRows(ds, split.train);
  const test = selectRows(ds, split.valid);
  const clip = [ds.scale.min, ds.scale.max] as const;
  return BASELINES.filter((b) => !only || only(b.name)).map((b) => {
    const t0 = now();
    const fitted = b.fit(ratingMatrix(train, ds.nUsers, ds.nItems));
    const seconds = now() - t0;
    const acc = fitted.predict ? predictorMetrics(fitted.predict, test, clip) : null;
    const r = fitted.score ? rankingFromScorer(fitted.score, ds.nUsers, ds.nItems, train, test, RANKING) : null;
    return ranked(b.name, acc?.rmse ?? null, acc?.mae ?? null, r, seconds);
  });
}

/** The seeds' recipe (dotbias, 5 epochs, one-cycle) on the same split, trained with the app's trainer. */
export async function recipeRow(ds: Dataset, split: Split): Promise<BenchRow> {
  const { trainModel } = await import('../src/model/train/train.js');
  const t0 = now();
  const r = await trainModel(ds, split, { split: split.name });
  const seconds = now() - t0;
  const last = r.epochs.at(-1)!;
  return ranked('dotbias recipe', last.validRmse, last.validMae, rankingMetrics(r.weights, ds, split, RANKING), seconds);
}

/** RMSE and MAE of the rating baselines over a list of folds. */
function crossValidate(ds: Dataset, folds: Split[], names: string[]): Record<string, { rmse: MeanSd; mae: MeanSd; folds: number[] }> {
  const out: Record<string, { rmse: number[]; mae: number[] }> = {};
  for (const split of folds) {
    for (const row of baselineRowsRatingOnly(ds, split, names)) {
      out[row.model] ??= { rmse: [], mae: [] };
      out[row.model].rmse.push(row.rmse);
      out[row.model].mae.push(row.mae);
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { rmse: meanSd(v.rmse), mae: meanSd(v.mae), folds: v.rmse }]));
}

/** Fit + RMSE/MAE only (cross-validation does not need the ranking). */
function baselineRowsRatingOnly(ds: Dataset, split: Split, names: string[]): { model: string; rmse: number; mae: number }[] {
  const train: Columns = selectRows(ds, split.train);
  const test = selectRows(ds, split.valid);
  const clip = [ds.scale.min, ds.scale.max] as const;
  return BASELINES.filter((b) => names.includes(b.name)).map((b) => {
    const fitted = b.fit(ratingMatrix(train, ds.nUsers, ds.nItems));
    const m = predictorMetrics(fitted.predict!, test, clip);
    return { model: b.name, rmse: m.rmse, mae: m.mae };
  });
}

/** Surprise's README, ML-100K, 5-fold CV with default parameters (RMSE, MAE). */
export const SURPRISE_ML100K: Record<string, { rmse: number; mae: number; theirs: string }> = {
  BaselineOnly: { rmse: 0.944, mae: 0.748, theirs: 'BaselineOnly()' },
  'KNNBaseline user msd (Surprise default)': { rmse: 0.931, mae: 0.733, theirs: 'KNNBaseline()' },
};

const fmt = (x: number | null, d = 4) => (x === null || Number.isNaN(x) ? '—' : x.toFixed(d));

function table(rows: BenchRow[]): string {
  const head = ['model', 'RMSE', 'MAE', 'P@10', 'R@20', 'NDCG@10', 'cover', 'pop×', 'fit s', 'rank s'];
  const body = rows.map((r) => [r.model, fmt(r.rmse), fmt(r.mae), fmt(r.p10), fmt(r.recall20), fmt(r.ndcg10), fmt(r.coverage, 3), fmt(r.popularityLift, 2), fmt(r.seconds, 2), fmt(r.rankSeconds, 2)]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  return [head, ...body].map((line) => line.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const json = args.includes('--json');
  const log = (s: string) => (json ? process.stderr : process.stdout).write(s + '\n');
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), process.argv[1].includes('dist') ? '../..' : '..');
  const dataDir = process.env.FACTORLENS_TEST_DATA ?? path.resolve(root, '../shared/data/ml-100k');
  if (!existsSync(path.join(dataDir, 'u.data'))) throw new Error(`MovieLens 100K not found at ${dataDir}; set FACTORLENS_TEST_DATA`);
  const ds = await loadDataset(dataDir);
  const results: Record<string, unknown> = { date: new Date().toISOString(), dataset: ds.name };

  if (!args.includes('--no-surprise')) {
    const rating = ['global mean', 'BaselineOnly', 'KNNBaseline item pearson_baseline', 'KNNBaseline user msd (Surprise default)'];
    const cv5 = crossValidate(ds, makeSplits(ds, 'cv5'), rating);
    const seeds = Number(value('--seeds') ?? 3);
    const random = Array.from({ length: seeds }, (_, s) =>
      crossValidate(ds, [1, 2, 3, 4, 5].map((k) => makeSplit(ds, `fold${k}`, { seed: s })), rating),
    );
    results.crossValidation = { cv5, random5fold: random, surprise: SURPRISE_ML100K };
    log('\nML-100K 5-fold RMSE (MAE), mean ± sd over the folds — Surprise README beside');
    for (const name of rating) {
      const ours = cv5[name];
      const r = random.map((x) => x[name].rmse.mean);
      const s = SURPRISE_ML100K[name];
      log(
        `  ${name.padEnd(40)} u1..u5 ${fmt(ours.rmse.mean)} ± ${fmt(ours.rmse.sd)} (${fmt(ours.mae.mean, 3)})` +
          `   random 5-fold ×${seeds} seeds ${fmt(meanSd(r).mean)} [${fmt(Math.min(...r))}..${fmt(Math.max(...r))}]` +
          ` (${fmt(meanSd(random.map((x) => x[name].mae.mean)).mean, 3)})` +
          (s ? `   Surprise ${s.theirs} ${s.rmse.toFixed(3)} (${s.mae.toFixed(3)})` : ''),
      );
    }
  }

  const splits = (value('--splits') ?? 'u1,time,random').split(',');
  const tables: Record<string, BenchRow[]> = {};
  for (const name of splits) {
    const split = makeSplit(ds, name);
    const t0 = now();
    const rows = baselineRows(ds, split, args.includes('--leaderboard') ? (n) => !BASELINES.find((b) => b.name === n)!.surpriseOnly : undefined);
    const baselineSeconds = now() - t0;
    if (!args.includes('--no-recipe')) rows.push(await recipeRow(ds, split));
    tables[name] = rows;
    log(`\n${split.description}\nall baselines: ${baselineSeconds.toFixed(1)} s (fit + evaluate)`);
    log(table(rows));
  }
  results.splits = tables;
  if (json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  const out = value('--out');
  if (out) writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
