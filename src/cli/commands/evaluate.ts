/** `factorlens eval`: recompute a snapshot's metrics on a split. */
import { Command, Option } from 'commander';
import { loadDataset, resolveDataDir } from '../../data/index.js';
import { evaluateWeightsWithIntervals, initBackend, kindOf, loadSnapshot, rankingMetrics, rankingUserCapFor, snapshotsDir, splitOf, type Interval, type RankingMetrics } from '../../model/index.js';
import { splitFromFlags } from '../trainFlags.js';
import { SNAPSHOTS_HELP, UsageError, info, out, parseFloatArg, parseIntArg, printJson } from '../common.js';
import { terminalSafe } from '../../data/terminalText.js';
import { noteNewUsersIgnored, runNewUsers, type NewUserFlags } from './newUsers.js';
import { runNewMovies, type NewMovieFlags } from './newMovies.js';

interface Flags {
  snapshot?: string;
  snapshots?: string;
  data?: string;
  split?: string;
  splitFiles?: string;
  validPct?: number;
  seed?: number;
  backend?: string;
  json?: boolean;
  newUsers?: boolean;
  newMovies?: boolean;
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description("recompute a snapshot's validation metrics (RMSE, MAE) and ranking quality (precision/recall/NDCG@10, coverage) on a split")
    .addOption(new Option('--snapshot <name>', 'the snapshot to evaluate (required)'))
    .addOption(new Option('--snapshots <dir>', SNAPSHOTS_HELP))
    .addOption(new Option('--data <dir>', 'dataset directory (default: $FACTORLENS_DATA, else the download cache)'))
    .addOption(new Option('--split <name>', "split to evaluate on: random, u1..u5, ua, ub, time, fold1..fold5, files (default: the snapshot's own)"))
    .addOption(new Option('--split-files <train,test>', "a published split: two rating files in the dataset's own format"))
    .addOption(new Option('--valid-pct <x>', "random split fraction (default: the snapshot's)").argParser(parseFloatArg('--valid-pct')))
    .addOption(new Option('--seed <n>', "random split seed (default: the snapshot's)").argParser(parseIntArg('--seed', 0, 0xffffffff)))
    .addOption(new Option('--backend <name>', 'auto | node | wasm | cpu'))
    .addOption(new Option('--json', 'print one JSON document'))
    .addOption(new Option('--new-users', 'the new-user benchmark instead: users never in training reveal a few ratings; the model (--snapshot\'s options, --preset or --model; dotbias by default) is retrained without them'))
    .addOption(new Option('--reveal <counts>', 'with --new-users: how many ratings each reveals (default 5,10,20; 0 with --questionnaire)'))
    .addOption(new Option('--questionnaire', 'with --new-users: each also answers the taste questionnaire (like/dislike genres and eras, read from their hidden ratings) and the questionnaire\'s lists are measured'))
    .addOption(new Option('--answers-from <where>', 'with --questionnaire: half (default: answers from a random half of the hidden ratings, only the other half scored) or hidden (from all of them, the scored ones too)'))
    .addOption(new Option('--reveal-mode <modes>', 'with --new-users: earliest (as a new user arrives) and/or random (default both)'))
    .addOption(new Option('--users <role>', 'with --new-users: report (default) or validation, the users to tune on'))
    .addOption(new Option('--model <kind>', 'with --new-users / --new-movies: the model kind to retrain'))
    .addOption(new Option('--preset <name>', 'with --new-users / --new-movies: the preset to retrain'))
    .addOption(new Option('--new-movies', 'the new-movie benchmark instead: movies with ≥ 50 ratings, none of them in training, predicted from genres and year, then from their first ratings (--reveal, default 0,1,3,10)'))
    .addOption(new Option('--movies <role>', 'with --new-movies: report (default) or validation, the movies to tune on'))
    .addOption(new Option('--l2 <x>', 'with --new-movies: the new movie\'s fold-in strength').argParser(parseFloatArg('--l2')))
    .action(async (f: Flags & NewUserFlags & NewMovieFlags) => {
      if (f.newUsers && f.newMovies) throw new UsageError('--new-users and --new-movies are two benchmarks: run one at a time');
      if (f.newMovies) {
        noteNewUsersIgnored(f);
        return runNewMovies(f);
      }
      if (f.newUsers) {
        noteNewUsersIgnored(f);
        return runNewUsers(f);
      }
      if (!f.snapshot) throw new UsageError('eval needs --snapshot NAME (see `factorlens snapshots list`), or --new-users');
      const ds = await loadDataset(resolveDataDir(f.data));
      const snap = await loadSnapshot(f.snapshot, { dir: snapshotsDir(f.snapshots), datasetHash: ds.hash });
      for (const w of snap.warnings) info(`warning: ${w}`);
      if (snap.weights.nUsers !== ds.nUsers || snap.weights.nItems !== ds.nItems) {
        throw new UsageError(`snapshot ${snap.name} was trained on ${snap.weights.nUsers} users × ${snap.weights.nItems} items; this dataset has ${ds.nUsers} × ${ds.nItems}`);
      }
      // the model's rows are the snapshot's ids: the same counts with other ids would score the wrong users
      const userDiff = firstDifference(snap.vocab.userIds, ds.userIds);
      const itemDiff = firstDifference(snap.vocab.itemIds, ds.itemIds);
      if (userDiff || itemDiff) {
        const [what, d] = userDiff ? ['user', userDiff] : ['movie', itemDiff!];
        throw new UsageError(
          `snapshot ${snap.name} was trained on other ${what} ids than this dataset's (row ${d.at}: ${what} id ${d.ours} in the snapshot, ${d.theirs} here); evaluate it on the dataset it was trained on`,
        );
      }
      const o = snap.options;
      const chosen = splitFromFlags(f);
      if (chosen.split === 'cv5') {
        throw new UsageError('a snapshot is one model trained on one split: cv5 needs a model per fold (`factorlens train --split cv5`, or `factorlens leaderboard --split cv5`)');
      }
      const splitName = chosen.split ?? o.split;
      const validPct = f.validPct ?? o.validPct;
      const seed = f.seed ?? o.seed;
      const split = splitOf(ds, { split: splitName, validPct, seed, splitFiles: chosen.split ? chosen.splitFiles : o.splitFiles });
      const backend = await initBackend((f.backend as never) ?? 'auto');
      const shows = kindOf(snap.weights).shows;
      const m = evaluateWeightsWithIntervals(snap.weights, ds, split);
      const saved = snap.epochs.at(-1)?.validRmse ?? null;
      // the same test ratings as its training split's, however named (u1 and u1's files are one split)
      const sameSplit = sameRows(split.valid, ownSplit(ds, o));
      const ranking = shows.ranking ? rankingMetrics(snap.weights, ds, split, { intervals: {}, maxUsers: rankingUserCapFor(snap.weights) }) : null;
      if (f.json) {
        const rank = ranking && (({ seconds: _s, perUser: _p, mostRecommended, ...rest }) => ({ ...rest, mostRecommended: mostRecommended.map((x) => ({ ...x, title: snap.vocab.titles[x.index] ?? '' })) }))(ranking);
        const r = (x: number) => (shows.ratings ? x : null);
        printJson({
          snapshot: snap.name,
          split: splitName,
          backend,
          rows: m.n,
          mse: r(m.mse),
          rmse: r(m.rmse),
          mae: r(m.mae),
          intervals: shows.ratings ? m.intervals : null,
          savedValidRmse: shows.ratings ? saved : null,
          sameSplitAsTraining: sameSplit,
          ranking: rank,
        });
        return;
      }
      out(`${snap.name} on ${split.description} (${m.n} ratings, backend ${backend})`);
      if (shows.ratings) {
        out(`  rmse ${withInterval(m.intervals.rmse)}   mae ${withInterval(m.intervals.mae)}   mse ${m.mse.toFixed(4)}`);
        out(`  [95% intervals from resampling the ${m.intervals.users} users with held-out ratings, 1000 times]`);
      } else out(`  rmse —   mae — (the ${snap.weights.kind} model ranks movies; it predicts no ratings)`);
      if (saved !== null && Number.isFinite(saved) && sameSplit) out(`  saved final valid rmse ${saved.toFixed(4)} (trained on this split)`);
      if (!sameSplit) {
        out(
          `  warning: ${snap.name} was trained on split ${o.split}${o.split === 'random' ? ` (valid ${o.validPct}, seed ${o.seed})` : ''}; many of these ${splitName} ratings were in its training set, so these numbers flatter the model\n`,
        );
      }
      out(ranking ? rankingLines(ranking, snap.vocab.titles) : `  ranking — (the ${snap.weights.kind} model scores every movie the same)`);
    });
}

/** The human lines of the ranking block: quality first, then what the lists do to the catalogue. */
export function rankingLines(r: RankingMetrics, titles: string[]): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const iv = r.intervals;
  const q = (x: number, i: Interval | undefined) => (i ? withInterval(i) : x.toFixed(4));
  const top = r.mostRecommended.slice(0, 3).map((x) => `${terminalSafe(titles[x.index] ?? String(x.index))} (${x.lists})`).join(', ');
  return (
    `  ranking@${r.k} over ${r.users} users${r.userStride > 1 ? ` (every ${r.userStride}th user: a large model is ranked on a sample)` : ''} (relevant = held-out rating ≥ ${r.relevantThreshold}; movies rated in train excluded)\n` +
    `  precision@${r.k} ${q(r.precision, iv?.precision)}   recall@${r.k} ${q(r.recall, iv?.recall)}   ndcg@${r.k} ${q(r.ndcg, iv?.ndcg)}\n` +
    `  top-${r.k} lists of ${r.listUsers} users cover ${r.itemsRecommended} of ${r.catalogueSize} movies (${pct(r.coverage)}); ` +
    `their mean popularity is ${r.meanPopularity.toFixed(0)}${iv ? ` [${iv.meanPopularity.low.toFixed(0)}–${iv.meanPopularity.high.toFixed(0)}]` : ''} ratings vs ${r.catalogueMeanPopularity.toFixed(0)} for the catalogue (×${r.popularityLift.toFixed(1)})\n` +
    (top ? `  most recommended: ${top}\n` : '')
  );
}

/** The snapshot's own split's test rows, or null when it cannot be made here (its split files are gone). */
function ownSplit(ds: Parameters<typeof splitOf>[0], o: Parameters<typeof splitOf>[1]): Int32Array | null {
  try {
    return splitOf(ds, o).valid;
  } catch {
    return null;
  }
}

function sameRows(a: Int32Array, b: Int32Array | null): boolean {
  return b !== null && a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Where two id lists first disagree, or null when they are the same. */
function firstDifference(ours: readonly string[], theirs: readonly string[]): { at: number; ours: string; theirs: string } | null {
  const n = Math.max(ours.length, theirs.length);
  for (let i = 0; i < n; i++) if (ours[i] !== theirs[i]) return { at: i, ours: ours[i] ?? '(none)', theirs: theirs[i] ?? '(none)' };
  return null;
}

/** "0.9156 [0.9071–0.9243]": a value with its 95 % interval. */
export function withInterval(x: Interval, digits = 4): string {
  return `${x.value.toFixed(digits)} [${x.low.toFixed(digits)}–${x.high.toFixed(digits)}]`;
}
