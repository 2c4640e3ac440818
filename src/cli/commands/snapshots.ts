/** `snapshots list | show | rm`: the saved models in the snapshots folder. */
import { Command, Option } from 'commander';
import { removeSnapshot, scanSnapshots, showSnapshot, snapshotsDir, type SnapshotManifest, type SnapshotSummary } from '../../model/index.js';
import { SNAPSHOTS_HELP, info, jsonOption, printJson, out } from '../common.js';
import { formatTable } from './data.js';
import { terminalSafe } from '../../data/terminalText.js';

interface Flags {
  snapshots?: string;
  json?: boolean;
}

const dirOption = () => new Option('--snapshots <dir>', SNAPSHOTS_HELP);
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const day = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 16) : '');

function listTable(rows: SnapshotSummary[]): string {
  return formatTable(
    ['name', 'model', 'size', 'split', 'epochs', 'valid RMSE', 'dataset', 'created (UTC)', 'bytes'],
    rows.map((s) =>
      s.error
        ? [s.name, 'BROKEN', '', '', '', '', '', '', formatBytes(s.sizeBytes)]
        : [
            s.name,
            String(s.model),
            String(s.size),
            String(s.split),
            String(s.epochs),
            s.validRmse === null ? '-' : s.validRmse.toFixed(4),
            String(s.dataset),
            day(s.createdAt),
            formatBytes(s.sizeBytes),
          ],
    ),
    'lllrrrllr',
  );
}

/** The manifest for --json without the bulky parts (the vocabulary and the per-batch losses), counted instead. */
function manifestForJson(m: SnapshotManifest) {
  const { vocab, training, ...rest } = m;
  const { batchLosses, ...history } = training;
  return { ...rest, training: { ...history, batchLossCount: batchLosses.length }, vocab: { nUsers: vocab.userIds.length, nItems: vocab.itemIds.length } };
}

function describe(s: SnapshotSummary, m: SnapshotManifest): string {
  // every string below comes from the manifest: one terminal-safe line each (out() keeps newlines)
  const t = terminalSafe;
  const o = m.options;
  const shape = s.layers ? `embeddings ${m.model.userDim}+${m.model.itemDim}, layers ${s.layers.join(',')}` : `${m.model.userDim} factors`;
  const d = m.dataset;
  const lines = [
    `snapshot "${t(s.name)}"  ${t(s.path)}`,
    `model     ${t(m.model.kind)}, ${shape}, y_range ${m.model.yRange[0]}–${m.model.yRange[1]}`,
    `training  ${m.training.epochs.length} of ${o.epochs} epochs, ${t(m.training.reason)}, ${m.training.seconds.toFixed(1)} s on ${t(m.backend)}; ` +
      `lr ${o.lr}, wd ${o.wd}, bs ${o.bs}, ${t(String(o.schedule))}, seed ${o.seed}`,
    `dataset   ${t(d.name)} (${d.nRatings} ratings, ${d.nUsers} users, ${d.nItems} movies), split ${t(m.split)}, hash ${t(d.hash.slice(0, 12))}`,
    `created   ${t(day(m.createdAt))} UTC by factorlens ${t(m.factorlensVersion)} (format ${m.formatVersion})`,
    `size      ${formatBytes(s.sizeBytes)}, checksums verified`,
  ];
  if (m.training.message) lines.push(`note      ${t(m.training.message)}`);
  const epochs = formatTable(
    ['epoch', 'train loss', 'valid loss', 'valid RMSE', 'valid MAE', 'seconds'],
    m.training.epochs.map((r) => [String(r.epoch), r.trainLoss.toFixed(4), r.validLoss.toFixed(4), r.validRmse.toFixed(4), r.validMae.toFixed(4), r.seconds.toFixed(1)]),
    'rrrrrr',
  );
  return lines.join('\n') + '\n\n' + epochs;
}

/** What else is in the folder: named, not listed as snapshots, and not touched. */
function othersLine(dir: string, others: string[]): string {
  const shown = others.slice(0, 5).map((n) => terminalSafe(n)).join(', ');
  const more = others.length > 5 ? ` and ${others.length - 5} more` : '';
  const one = others.length === 1;
  return `${one ? '1 entry' : `${others.length} entries`} in ${dir} ${one ? 'is not a factorlens snapshot' : 'are not factorlens snapshots'} and ${one ? 'was' : 'were'} left alone: ${shown}${more}
`.trimEnd();
}

export function registerSnapshots(program: Command): void {
  const cmd = program.command('snapshots').description('saved models: list, show and remove snapshots');

  cmd
    .command('list')
    .description('every snapshot: name, model, factors, epochs, valid RMSE, dataset, date, size (broken ones too)')
    .addOption(dirOption())
    .addOption(jsonOption())
    .action(async (f: Flags) => {
      const dir = snapshotsDir(f.snapshots);
      const { snapshots: all, others } = await scanSnapshots(dir);
      if (f.json) return printJson({ dir, snapshots: all, others });
      if (all.length === 0) info(`no snapshots in ${dir} (save one with \`factorlens train --save NAME\`)`);
      else out(listTable(all));
      for (const s of all.filter((x) => x.error)) info(`${s.name}: ${s.error}`);
      if (others.length > 0) info(othersLine(dir, others));
    });

  cmd
    .command('show')
    .description('one snapshot in detail: hyperparameters, dataset, per-epoch metrics (verifies its checksums)')
    .argument('<name>', 'snapshot name')
    .addOption(dirOption())
    .addOption(jsonOption())
    .action(async (name: string, f: Flags) => {
      const { summary, manifest } = await showSnapshot(name, snapshotsDir(f.snapshots));
      if (f.json) return printJson({ summary, manifest: manifestForJson(manifest) });
      out(describe(summary, manifest));
    });

  cmd
    .command('rm')
    .description('remove a snapshot (broken ones too); a folder that is not a factorlens snapshot is never removed')
    .argument('<name>', 'snapshot name')
    .addOption(dirOption())
    .action(async (name: string, f: Flags) => {
      const dir = snapshotsDir(f.snapshots);
      await removeSnapshot(name, dir);
      info(`removed snapshot "${name}" from ${dir}`);
    });
}
