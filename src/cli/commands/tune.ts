/**
 * `factorlens tune`: successive halving over the model's hyperparameters within a time budget, trials in
 * parallel worker threads, judged on a validation set carved from the training ratings; the winner is
 * retrained on all of them and tested once on the split's test rows.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { loadDataset, resolveDataDir } from '../../data/index.js';
import {
  candidateNames,
  candidatesFor,
  checkSnapshotDestination,
  saveSnapshotOrKeep,
  saveUserPreset,
  snapshotsDir,
  splitOf,
  TUNE_DEFAULTS,
  tuneModel,
  userPresetsFile,
  validatePresetName,
  workerPool,
  type TrialRow,
  type TuneResult,
} from '../../model/index.js';
import { info, out, parseFloatArg, parseIntArg, printJson, UsageError } from '../common.js';
import { formatBar } from '../progress.js';
import { splitFromFlags } from '../trainFlags.js';

interface Flags {
  data?: string;
  model: string;
  budget: number;
  metric: string;
  split?: string;
  splitFiles?: string;
  validPct?: number;
  seed: number;
  holdout: number;
  members: number;
  workers?: number;
  trials?: number;
  savePreset?: string;
  save?: string;
  force?: boolean;
  snapshots?: string;
  json?: boolean;
}

/** "60s", "5m", "1m30s", "90" (seconds) → seconds. */
export function parseBudget(value: string): number {
  const v = value.trim();
  const m = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s?)?$/.exec(v);
  const seconds = m && v !== '' ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : NaN;
  if (!Number.isFinite(seconds) || seconds < 5 || seconds > 24 * 3600) throw new UsageError(`--budget must be a time from 5s to 24h like 60s, 5m or 1m30s, got "${value}"`);
  return seconds;
}

export function registerTune(program: Command): void {
  program
    .command('tune')
    .description('search hyperparameters (successive halving, trials in parallel) within a time budget; test the winner once')
    .addOption(new Option('--data <dir>', 'dataset directory (default: $FACTORLENS_DATA, else the download cache)'))
    .addOption(new Option('--model <kinds>', `what to search: all, or any of ${candidateNames().join(', ')} (comma-separated; autorec = dotbias blended with an I-AutoRec)`).default('all'))
    .addOption(new Option('--budget <time>', 'wall time for everything, the final retrain and test included (e.g. 60s, 5m)').default(TUNE_DEFAULTS.budgetSeconds, '60s').argParser(parseBudget))
    .addOption(new Option('--metric <name>', 'what the search minimises or maximises on its validation set').choices(['rmse', 'ndcg']).default('rmse'))
    .addOption(new Option('--split <name>', 'the train/test split: random, u1..u5, ua, ub, time, fold1..fold5, files (default: u1 where the data ships it, else random; not cv5: one search tests one split); the search never sees its test rows'))
    .addOption(new Option('--split-files <train,test>', "a published split: two rating files in the dataset's own format (implies --split files)"))
    .addOption(new Option('--valid-pct <x>', 'fraction of the ratings the random and time splits test on (default: 0.2)').argParser(parseFloatArg('--valid-pct')))
    .addOption(new Option('--seed <n>', 'seed of the search, its validation set and the final run').default(TUNE_DEFAULTS.seed).argParser(parseIntArg('--seed', 0, 0xffffffff)))
    .addOption(new Option('--holdout <x>', "share of the training ratings the search validates on").default(TUNE_DEFAULTS.holdoutShare).argParser(parseFloatArg('--holdout')))
    .addOption(new Option('--members <n>', 'seeds averaged in the final dotbias / blend model (they train in parallel)').default(TUNE_DEFAULTS.members).argParser(parseIntArg('--members', 1, 16)))
    .addOption(new Option('--workers <n>', `parallel trials, one thread each (default: the cores, ${os.availableParallelism()})`).argParser(parseIntArg('--workers', 1, 64)))
    .addOption(new Option('--trials <n>', 'stop after this many configurations (with a generous budget the whole search is then reproducible)').argParser(parseIntArg('--trials', 1, 100000)))
    .addOption(new Option('--save-preset <name>', `save the winner's configuration as a preset of yours (${userPresetsFile()})`))
    .addOption(new Option('--save <name>', 'save the final model as a snapshot'))
    .addOption(new Option('--force', 'with --save: replace a snapshot of that name'))
    .addOption(new Option('--snapshots <dir>', 'snapshots folder (default: $FACTORLENS_SNAPSHOTS, else ./snapshots)'))
    .addOption(new Option('--json', 'print one JSON document at the end'))
    .action(async (flags: Flags) => {
      if (flags.savePreset) validatePresetName(flags.savePreset);
      // an unknown kind, or one the metric cannot judge (a rank-only kind for RMSE), before the data loads
      candidatesFor(flags.model, flags.metric as 'rmse' | 'ndcg');
      // everything that would make --save fail is checked before the budget is spent
      if (flags.save) await checkSnapshotDestination(flags.save, snapshotsDir(flags.snapshots), { force: flags.force === true });
      if (!(flags.holdout > 0 && flags.holdout < 0.5)) throw new UsageError(`--holdout must be between 0 and 0.5, got ${flags.holdout}`);
      if (flags.split === 'cv5') {
        throw new UsageError('tune searches on one split and tests its winner once: cv5 is five splits — tune one fold (--split u1 … u5, or fold1 … fold5), or compare tuned presets with `factorlens leaderboard --split cv5`');
      }
      const chosen = splitFromFlags(flags);
      const dataDir = resolveDataDir(flags.data);
      const ds = await loadDataset(dataDir);
      const splitName = chosen.split ?? (ds.format === 'ml-100k' && hasU1(ds.source) ? 'u1' : 'random');
      const split = splitOf(ds, { split: splitName, seed: flags.seed, validPct: flags.validPct, ...(chosen.splitFiles ? { splitFiles: chosen.splitFiles } : {}) });
      const workers = flags.workers ?? os.availableParallelism();
      const controller = new AbortController();
      const onSigint = () => {
        info('\nstopping the search; the best so far is retrained and tested (Ctrl+C again to quit at once)…');
        process.off('SIGINT', onSigint);
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      info(`tuning ${flags.model} on ${ds.name} (${split.description}); budget ${flags.budget} s, ${workers} worker${workers > 1 ? 's' : ''}, metric ${flags.metric}`);
      const tty = Boolean(process.stderr.isTTY);
      let lastLine = 0;
      let result: TuneResult;
      try {
        result = await tuneModel(
          ds,
          split,
          {
            model: flags.model,
            budgetSeconds: flags.budget,
            metric: flags.metric as 'rmse' | 'ndcg',
            seed: flags.seed,
            holdoutShare: flags.holdout,
            members: flags.members,
            maxTrials: flags.trials,
            ...(chosen.splitFiles ? { splitFiles: chosen.splitFiles } : {}),
            // the budget counts from the process start: what `time factorlens tune …` measures
            startedAt: 0,
          },
          (holdout) => workerPool(dataDir, holdout, flags.metric as 'rmse' | 'ndcg', workers),
          {
            signal: controller.signal,
            onEvent: (e) => {
              const now = performance.now();
              if (now - lastLine < (tty ? 200 : 5000) && e.type !== 'done') return;
              lastLine = now;
              let line = '';
              if (e.type === 'trials') {
                const done = e.trials.filter((t) => t.state !== 'queued' && t.state !== 'running').length;
                const best = e.best.at(-1);
                line = `search ${formatBar(e.elapsed / flags.budget, 20)} ${e.elapsed.toFixed(0)}/${flags.budget} s  ${done}/${e.trials.length} trials  best ${best ? best.metric.toFixed(4) + ` (#${best.trial})` : '—'}`;
              } else if (e.type === 'final') line = `final ${formatBar(e.epochs ? e.epoch / e.epochs : 0, 20)} ${e.message}`;
              if (line) process.stderr.write(tty ? `\r${line}\x1b[K` : line + '\n');
            },
          },
        );
      } finally {
        process.off('SIGINT', onSigint);
        if (tty) process.stderr.write('\r\x1b[K');
      }
      info(result.message);
      let preset: string | null = null;
      if (flags.savePreset && result.winner) {
        const p = await saveUserPreset({
          name: flags.savePreset,
          description: `tuned (${flags.model}, ${flags.budget} s, ${flags.metric}): ${result.winner.config}`,
          options: result.winner.options,
          source: `tune --model ${flags.model} --budget ${flags.budget}s --metric ${flags.metric} --seed ${flags.seed}`,
          validMetric: { metric: flags.metric, value: result.winner.validMetric },
          testRmse: finite(result.test?.rmse),
          split: split.name,
        });
        preset = p.name;
        info(`saved preset ${p.name} (${userPresetsFile()}): train --preset ${p.name}`);
      }
      let snapshot: string | null = null;
      if (flags.save && result.model) {
        // a save that fails keeps the model in a recovery folder and says where; the final run fitted its pick model
        const s = await saveSnapshotOrKeep(flags.save, result.model, { dir: snapshotsDir(flags.snapshots), force: flags.force });
        snapshot = s.name;
        info(`saved snapshot ${s.name} (${s.path})`);
      }
      if (flags.json) {
        const { model, ...rest } = result;
        printJson({
          ...rest,
          split: split.name,
          workers,
          testRmse: finite(result.test?.rmse) ?? null,
          finalModel: model ? { options: model.options, epochs: model.epochs, seconds: model.seconds, backend: model.backend } : null,
          preset,
          snapshot,
        });
      } else {
        out(formatTrials(result.trials, result.metric));
        if (result.winner) {
          out(
            `\nwinner  #${result.winner.trial} ${result.winner.candidate}: ${result.winner.config}\n` +
              `        validation ${result.metric} ${result.winner.validMetric.toFixed(4)} (holdout: ${result.holdout.valid} of the ${result.holdout.train + result.holdout.valid} training ratings)\n` +
              (result.test ? `        test ${Number.isFinite(result.test.rmse) ? `RMSE ${result.test.rmse.toFixed(4)}  MAE ${result.test.mae.toFixed(4)}` : '(a rank-only model: no RMSE)'}${result.test.ndcg !== undefined ? `  NDCG@10 ${result.test.ndcg.toFixed(4)}` : ''} on ${split.name}'s ${result.test.n} test ratings (${result.finalFrom === 'retrained' ? `retrained on all training ratings${(result.winner.options.members ?? 1) > 1 ? `, ${result.winner.options.members} seeds averaged` : ''}` : 'the trial model'})\n` : '') +
              `        seconds: search ${result.seconds.search.toFixed(1)}, final ${result.seconds.final.toFixed(1)}, total ${result.seconds.total.toFixed(1)} of ${result.budgetSeconds}\n`,
          );
        }
      }
      if (!result.winner) process.exitCode = 1;
    });
}

function hasU1(dir: string): boolean {
  return existsSync(path.join(dir, 'u1.base')) && existsSync(path.join(dir, 'u1.test'));
}

/** The trials as a table, best first within each state group the way a person reads it. */
export function formatTrials(trials: readonly TrialRow[], metric: string): string {
  const head = ['#', 'kind', 'configuration', 'rung', metric, 'state', 's'];
  const rows = trials.map((t) => [String(t.id), t.candidate, t.config, `${t.rung + 1}/${t.rungs}`, Number.isFinite(t.metric) ? t.metric.toFixed(4) : '—', t.state, t.seconds.toFixed(1)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 2 ? c.padEnd(widths[i]) : i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

/** A test RMSE that is a number (a rank-only winner has none). */
function finite(x: number | undefined): number | undefined {
  return x !== undefined && Number.isFinite(x) ? x : undefined;
}
