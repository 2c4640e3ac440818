/** `factorlens compare`: validation curves of saved runs on one chart, and the wd-0 lesson. */
import { Command, Option } from 'commander';
import { loadDataset, resolveDataDir } from '../../data/index.js';
import { checkSnapshotDestination, compareRuns, loadSnapshot, pickModelFor, saveSnapshotOrKeep, snapshotsDir, splitOf, trainModel, withoutWeightDecay, type Comparison, type LoadedSnapshot } from '../../model/index.js';
import { epochCurvesChart, colored, useColor } from '../chart.js';
import { SNAPSHOTS_HELP, UsageError, info, jsonOption, printJson, outStyled } from '../common.js';
import { terminalSafe } from '../../data/terminalText.js';
import { ProgressLine } from '../progress.js';
import { formatTable } from './data.js';

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('overlay the validation curves of saved runs, their hyperparameters side by side, and an overfitting verdict each')
    .argument('[names...]', 'two or more snapshot names')
    .addOption(new Option('--train-wd0 <name>', 'first train the same options as snapshot NAME with wd 0, save it as NAME-wd0, and compare the two'))
    .addOption(new Option('--force', 'with --train-wd0: replace an existing NAME-wd0'))
    .addOption(new Option('--data <dir>', 'dataset directory for --train-wd0 (default: $FACTORLENS_DATA, else the download cache)'))
    .addOption(new Option('--snapshots <dir>', SNAPSHOTS_HELP))
    .addOption(jsonOption())
    .action(async (names: string[], f: { trainWd0?: string; force?: boolean; data?: string; snapshots?: string; json?: boolean }) => {
      const dir = snapshotsDir(f.snapshots);
      const load = async (name: string) => {
        const s = await loadSnapshot(name, { dir });
        for (const w of s.warnings) info(`warning: ${name}: ${w}`);
        return s;
      };
      const runs: { name: string; options: LoadedSnapshot['options']; epochs: LoadedSnapshot['epochs'] }[] = [];
      if (f.trainWd0) {
        const base = await load(f.trainWd0);
        if (base.options.wd === 0) throw new UsageError(`snapshot ${base.name} already has wd 0: pick a run trained with weight decay`);
        await checkSnapshotDestination(`${base.name}-wd0`, dir, { force: f.force === true });
        const ds = await loadDataset(resolveDataDir(f.data));
        if (base.manifest.dataset.hash !== ds.hash) throw new UsageError(`snapshot ${base.name} was trained on other data (${base.manifest.dataset.name}); point --data at it`);
        const opts = withoutWeightDecay(base.options);
        const split = splitOf(ds, opts);
        info(`training ${base.name}'s options with wd 0 (was ${base.options.wd})…`);
        const bar = new ProgressLine();
        const res = await trainModel(ds, split, opts, { onEvent: (e) => bar.onTrainEvent(e) });
        bar.finish();
        if (res.reason !== 'completed') throw new UsageError(`the wd 0 run did not complete: ${res.message}`);
        const saved = await saveSnapshotOrKeep(`${base.name}-wd0`, { ...res, pick: pickModelFor(ds, split) }, { dir, force: f.force });
        info(`saved snapshot ${saved.name}`);
        runs.push(base, { name: saved.name, options: res.options, epochs: res.epochs });
      }
      for (const n of names) if (!runs.some((r) => r.name === n)) runs.push(await load(n));
      if (runs.length < 2) throw new UsageError('compare needs two or more snapshot names (or --train-wd0 NAME)');
      const c = compareRuns(runs);
      if (f.json) return printJson(c);
      outStyled(formatComparison(c, useColor()));
    });
}

export function formatComparison(c: Comparison, color: boolean): string {
  const lines: string[] = [];
  lines.push('valid loss per epoch');
  lines.push(epochCurvesChart(c.runs.map((r) => r.validLoss), color));
  lines.push('   ' + c.runs.map((r, i) => colored(`${i + 1} ── ${terminalSafe(r.name)}`, i, color)).join('   '));
  lines.push('');
  // A star, not bold: escape codes would count as width in the table's column arithmetic.
  const mark = (s: string, differs: boolean) => (differs ? `${s} *` : s);
  lines.push(
    formatTable(
      ['', ...c.runs.map((r) => r.name)],
      c.params.map((p) => [mark(p.key, p.differs), ...p.values.map((v) => mark(v, p.differs))]),
      'l' + 'r'.repeat(c.runs.length),
    ).trimEnd(),
  );
  lines.push('(* differs between runs)');
  lines.push('');
  lines.push(
    formatTable(
      ['run', 'best valid', 'at epoch', 'final valid', 'final rmse', 'verdict'],
      c.runs.map((r) => [r.name, r.bestValidLoss.toFixed(4), String(r.bestEpoch), r.finalValidLoss.toFixed(4), r.finalValidRmse.toFixed(4), r.verdict]),
      'lrrrrl',
    ).trimEnd(),
  );
  for (const r of c.runs) lines.push(`  ${terminalSafe(r.name)}: ${terminalSafe(r.reason)}`);
  return lines.join('\n');
}
