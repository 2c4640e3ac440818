/** `factorlens train`: fit a model, print fastai's epoch table as epochs finish, optionally save it. */
import { Command, Option } from 'commander';
import { loadDataset, makeSplit, resolveDataDir } from '../../data/index.js';
import {
  checkFreeSpace,
  checkSnapshotDestination,
  DEFAULT_TRAIN_OPTIONS,
  defaultKernel,
  pickModelFor,
  estimateSnapshotBytes,
  optionsFor,
  saveSnapshotOrKeep,
  snapshotsDir,
  trainModel,
  type EpochRow,
} from '../../model/index.js';
import { SNAPSHOTS_HELP, info, out, printJson } from '../common.js';
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
  return [String(r.epoch).padEnd(5), r.trainLoss.toFixed(6).padEnd(10), r.validLoss.toFixed(6).padEnd(10), r.validRmse.toFixed(4).padEnd(7), r.validMae.toFixed(4).padEnd(7), time].join('  ');
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
      // everything that would make --save fail is checked before a minute is spent training
      if (flags.save) await checkSnapshotDestination(flags.save, snapsDir, { force: flags.force === true });
      const opts = trainOptionsFromFlags(flags);
      const ds = await loadDataset(resolveDataDir(flags.data));
      const split = makeSplit(ds, opts.split ?? DEFAULT_TRAIN_OPTIONS.split, { validPct: opts.validPct, seed: opts.seed });
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
            if (e.type === 'start') info(`training ${opts.model ?? DEFAULT_TRAIN_OPTIONS.model} on ${ds.name} (${split.description}); backend ${e.backend} (weights: ${e.weightsIn === 'tfjs-wasm' ? 'tf.Variables, updated in place' : 'engine memory, handed to tfjs at the end'}), optimizer kernel ${defaultKernel()}`);
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
