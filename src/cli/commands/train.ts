/** `factorlens train`: fit a model, print fastai's epoch table as epochs finish, optionally save it. */
import { Command, Option } from 'commander';
import { loadDataset, resolveDataDir, type Dataset } from '../../data/index.js';
import {
  checkFreeSpace,
  checkSnapshotDestination,
  DEFAULT_TRAIN_OPTIONS,
  defaultKernel,
  meanSd,
  pickModelFor,
  estimateSnapshotBytes,
  optionsFor,
  saveSnapshotOrKeep,
  snapshotsDir,
  splitOf,
  splitsOf,
  trainModel,
  type EpochRow,
  type WeightsHome,
  type TrainOptions,
} from '../../model/index.js';
import { SNAPSHOTS_HELP, UsageError, info, out, printJson } from '../common.js';
import { ProgressLine } from '../progress.js';
import { addTrainFlags, trainOptionsFromFlags, warnAboutYRange, type TrainFlags } from '../trainFlags.js';

interface Flags extends TrainFlags {
  save?: string;
  force?: boolean;
  saveOnCancel?: boolean;
  snapshots?: string;
  json?: boolean;
}

export const EPOCH_HEADER = 'epoch  train_loss  valid_loss  rmse     mae      time';

export function formatEpochRow(r: EpochRow): string {
  const mm = Math.floor(r.seconds / 60);
  const ss = Math.round(r.seconds % 60);
  const time = r.seconds < 10 ? `${r.seconds.toFixed(2)}s` : `${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
  // a rank-only model has no validation loss: —, like a model without a metric anywhere else
  const f = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : '—');
  return [String(r.epoch).padEnd(5), f(r.trainLoss, 6).padEnd(10), f(r.validLoss, 6).padEnd(10), f(r.validRmse, 4).padEnd(7), f(r.validMae, 4).padEnd(7), time].join('  ');
}

export function registerTrain(program: Command): void {
  const cmd = program
    .command('train')
    .description('train a collaborative-filtering model (fastai recipe) and print the epoch table');
  addTrainFlags(cmd)
    .addOption(new Option('--save <name>', 'save a snapshot under this name when training ends'))
    .addOption(new Option('--force', 'overwrite an existing snapshot of that name'))
    .addOption(new Option('--save-on-cancel', 'with --save: also save when training is cancelled (Ctrl+C)'))
    .addOption(new Option('--snapshots <dir>', SNAPSHOTS_HELP))
    .addOption(new Option('--json', 'print one JSON document at the end'))
    .action(async (flags: Flags) => {
      const snapsDir = snapshotsDir(flags.snapshots);
      const opts = trainOptionsFromFlags(flags);
      if (opts.split === 'cv5') {
        if (flags.save) throw new UsageError('--split cv5 trains five models, one per fold: save one fold (--split u1, or fold1..fold5) instead');
        return trainFolds(await loadDataset(resolveDataDir(flags.data)), opts, flags.json === true);
      }
      // everything that would make --save fail is checked before a minute is spent training
      if (flags.save) await checkSnapshotDestination(flags.save, snapsDir, { force: flags.force === true });
      const ds = await loadDataset(resolveDataDir(flags.data));
      const split = splitOf(ds, opts);
      const resolved = optionsFor(ds, opts);
      warnAboutYRange(resolved.yRange, ds.scale);
      if (flags.save) await checkFreeSpace(flags.save, snapsDir, estimateSnapshotBytes(ds.nUsers, ds.nItems, resolved));
      const controller = new AbortController();
      const onSigint = () => {
        info('\ncancelling after this batch (Ctrl+C again to quit at once)…');
        process.off('SIGINT', onSigint);
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      const bar = new ProgressLine();
      let headerShown = false;
      try {
        const res = await trainModel(ds, split, opts, {
          signal: controller.signal,
          onEvent: (e) => {
            bar.onTrainEvent(e);
            if (e.type === 'start') info(`training ${opts.model ?? DEFAULT_TRAIN_OPTIONS.model} on ${ds.name} (${split.description}); backend ${e.backend} (${weightsNote(e.weightsIn, e.threads ?? 1)}`);
            if (e.type === 'epoch' && !flags.json) {
              bar.finish();
              if (!headerShown) out(EPOCH_HEADER);
              headerShown = true;
              out(formatEpochRow(e.row));
            }
          },
        });
        bar.finish();
        info(res.message);
        let saved: string | null = null;
        if (flags.save && (res.reason === 'completed' || (res.reason === 'cancelled' && flags.saveOnCancel))) {
          // a save that fails now keeps the model in a recovery folder and says where (destination.ts)
          // the snapshot carries the pick model of its training ratings, so recommend needs no dataset later
          const s = await saveSnapshotOrKeep(flags.save, { ...res, pick: pickModelFor(ds, split) }, { dir: snapsDir, force: flags.force });
          saved = s.name;
          info(`saved snapshot ${s.name} (${s.path})`);
        } else if (flags.save) {
          info(`not saved: training ${res.reason}` + (res.reason === 'cancelled' ? ' (add --save-on-cancel to keep a cancelled run)' : ''));
        }
        const final = res.epochs.at(-1);
        if (flags.json) {
          printJson({
            options: res.options,
            backend: res.backend,
            optimizerKernel: defaultKernel(),
            dataset: res.dataset,
            split: split.name,
            coldStart: { userRows: split.coldUserRows, itemRows: split.coldItemRows },
            epochs: res.epochs,
            finalValidRmse: final?.validRmse ?? null,
            trainSeconds: res.seconds,
            reason: res.reason,
            message: res.message,
            snapshot: saved,
          });
        }
        if (res.reason === 'diverged') process.exitCode = 1;
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}

/** Where training keeps the weights and what that means for the run (closes the parenthesis the start line opened). */
function weightsNote(home: WeightsHome, threads: number): string {
  if (home === 'tfjs-wasm') return `weights: tf.Variables, updated in place), optimizer kernel ${defaultKernel()}`;
  if (home === 'own') return `weights: engine memory, handed to tfjs at the end), optimizer kernel ${defaultKernel()}`;
  return (
    `weights: one memory shared by ${threads} threads, handed to tfjs at the end; stratified SGD with sparse AdamW ` +
    `(reproducible for ${threads} threads, not equal to a --threads 1 run))`
  );
}

/** `train --split cv5`: one model per fold, each fold's final epoch, then mean ± sd (Surprise's cross_validate). */
async function trainFolds(ds: Dataset, opts: Partial<TrainOptions>, json: boolean): Promise<void> {
  const splits = splitsOf(ds, 'cv5', opts);
  const finals: { split: string; row: EpochRow; seconds: number }[] = [];
  for (const split of splits) {
    const bar = new ProgressLine();
    info(`fold ${split.name}: ${split.description}`);
    const res = await trainModel(ds, split, { ...opts, split: split.name }, { onEvent: (e) => bar.onTrainEvent(e) });
    bar.finish();
    if (res.reason !== 'completed') throw new UsageError(`fold ${split.name} did not complete: ${res.message}`);
    finals.push({ split: split.name, row: res.epochs.at(-1)!, seconds: res.seconds });
    if (!json) out(`${split.name.padEnd(6)} ${formatEpochRow(res.epochs.at(-1)!)}`);
  }
  const rmse = meanSd(finals.map((f) => f.row.validRmse));
  const mae = meanSd(finals.map((f) => f.row.validMae));
  if (json) {
    printJson({ protocol: 'cv5', folds: finals.map((f) => ({ split: f.split, rmse: f.row.validRmse, mae: f.row.validMae, seconds: f.seconds })), rmse, mae });
    return;
  }
  const pm = (x: { mean: number; sd: number }) => (Number.isFinite(x.mean) ? `${x.mean.toFixed(4)} ± ${x.sd.toFixed(4)}` : '—');
  out(`cv5 over ${splits.map((s) => s.name).join(', ')}: RMSE ${pm(rmse)}  MAE ${pm(mae)}`);
}
