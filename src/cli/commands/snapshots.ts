/** `snapshots list | show | rm`: the saved models in the snapshots folder. */
import { Command, Option } from 'commander';
import path from 'node:path';
import { loadDataset, resolveDataDir } from '../../data/index.js';
import {
  importFactors,
  scanSnapshots,
  readFactorTable,
  removeSnapshot,
  saveSnapshot,
  showSnapshot,
  snapshotsDir,
  validateSnapshotName,
  type FactorLink,
  type SnapshotManifest,
  type SnapshotSummary,
} from '../../model/index.js';
import { SNAPSHOTS_HELP, UsageError, info, jsonOption, printJson, out } from '../common.js';

function parsePair(flag: string, value: string): [number, number] {
  const p = value.split(',').map((x) => Number(x.trim()));
  if (p.length !== 2 || !p.every(Number.isFinite) || p[0] >= p[1]) throw new UsageError(`${flag} must be two numbers low,high with low < high, got "${value}"`);
  return [p[0], p[1]];
}
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
    .command('import')
    .description('a model trained elsewhere (e.g. Spark ALS) from user and movie factor tables, saved as a dot/dotbias snapshot')
    .argument('<name>', 'snapshot name')
    .requiredOption('--users <file>', 'user factors: one row per user, id,f1,...,fk (a header may name a "bias" column)')
    .requiredOption('--items <file>', 'movie factors, the same layout')
    .addOption(new Option('--link <link>', 'linear: the factors predict the rating (ALS); logit: factorlens/fastai space').choices(['linear', 'logit']).default('linear'))
    .addOption(new Option('--scale <lo,hi>', 'linear: the rating scale (default: the dataset\'s, else 0.5,5); logit: the y_range (default 0,5.5)'))
    .addOption(new Option('--data <dir>', 'the dataset the factors were trained on: titles, counts and its identity for eval (without it: ids only)'))
    .addOption(new Option('--force', 'replace a snapshot of that name'))
    .addOption(dirOption())
    .addOption(jsonOption())
    .action(async (name: string, f: Flags & { users: string; items: string; link: FactorLink; scale?: string; data?: string; force?: boolean }) => {
      validateSnapshotName(name);
      const scale = f.scale === undefined ? undefined : parsePair('--scale', f.scale);
      const dataset = f.data ? await loadDataset(resolveDataDir(f.data)) : undefined;
      const [users, items] = await Promise.all([readFactorTable(f.users), readFactorTable(f.items)]);
      const r = importFactors(users, items, { link: f.link, scale, dataset, source: `${path.basename(f.users)} and ${path.basename(f.items)}` });
      const s = await saveSnapshot(name, r.result, { dir: snapshotsDir(f.snapshots), force: f.force });
      const notes = [
        r.missingUsers || r.missingItems ? `${r.missingUsers} users and ${r.missingItems} movies of the dataset have no row (zero factors)` : '',
        r.unknownUsers || r.unknownItems ? `${r.unknownUsers} user rows and ${r.unknownItems} movie rows are not in the dataset (left out)` : '',
        r.linearError !== null ? `the linear link is kept to within ${r.linearError.toExponential(1)} of u·m` : '',
      ].filter(Boolean);
      if (f.json) return printJson({ snapshot: s.name, path: s.path, kind: r.result.weights.kind, factors: users.dim, ...r, result: undefined });
      info(`saved snapshot ${s.name} (${s.path}): ${r.result.weights.kind}, ${users.dim} factors, ${r.result.vocab.userIds.length} users × ${r.result.vocab.itemIds.length} movies`);
      for (const n of notes) info(`  ${n}`);
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
