/** `lr-find`, `compare`, `export`, `onehot`: issue #8's tools beyond the seeds. */
import path from 'node:path';
import { Command, Option } from 'commander';
import { loadDataset, makeSplit, resolveDataDir } from '../../data/index.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../model/defaults.js';
import { compareRuns, withoutWeightDecay, type Comparison } from '../../model/compare.js';
import { lrFind } from '../../model/lrFind.js';
import { LR_FIND_CAVEAT } from '../../model/lrFindNote.js';
import { oneHotVsLookup } from '../../model/onehot.js';
import { writeProjectorFiles } from '../../model/projector.js';
import { loadSnapshot, saveSnapshot, snapshotsDir, type LoadedSnapshot } from '../../model/snapshot.js';
import { trainModel } from '../../model/train.js';
import { epochCurvesChart, colored, lrFindChart, useColor } from '../chart.js';
import { UsageError, info, jsonOption, parseFloatArg, parseIntArg, printJson } from '../common.js';
import { addModelSourceOptions, obtainModel, type ModelSourceFlags } from '../modelSource.js';
import { ProgressLine } from '../progress.js';
import { addTrainFlags, trainOptionsFromFlags, type TrainFlags } from '../trainFlags.js';
import { formatTable } from './data.js';

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n');

export function registerBeyond(program: Command): void {
  registerLrFind(program);
  registerCompare(program);
  registerExport(program);
  registerOneHot(program);
}

function registerLrFind(program: Command): void {
  const cmd = program
    .command('lr-find')
    .description("fastai's learning-rate finder: loss vs exponentially growing lr from a fresh model, and a suggested lr")
    .addOption(new Option('--start-lr <x>', 'first learning rate (default: 1e-7)').argParser(parseFloatArg('--start-lr')))
    .addOption(new Option('--end-lr <x>', 'last learning rate (default: 10)').argParser(parseFloatArg('--end-lr')))
    .addOption(new Option('--iterations <n>', 'batches at most (default: 200)').argParser(parseIntArg('--iterations', 10, 10000)))
    .addOption(jsonOption());
  addTrainFlags(cmd).action(async (f: TrainFlags & { startLr?: number; endLr?: number; iterations?: number; json?: boolean }) => {
    const opts = trainOptionsFromFlags(f);
    const ds = await loadDataset(resolveDataDir(f.data));
    const split = makeSplit(ds, opts.split ?? DEFAULT_TRAIN_OPTIONS.split, { validPct: opts.validPct, seed: opts.seed });
    const r = await lrFind(ds, split, opts, { startLr: f.startLr, endLr: f.endLr, numIt: f.iterations });
    if (f.json) return printJson(r);
    const o = r.options;
    out(`lr-find: ${o.model} on ${ds.name} (${split.name}), bs ${o.bs}, wd ${o.wd}: ${r.lrs.length} batches in ${r.seconds.toFixed(2)} s, ${r.stop === 'exploded' ? 'stopped when the loss exploded' : `loss peaked at ${(Math.max(...r.losses) / r.minLoss).toFixed(1)}× its minimum`}\n`);
    const marks = [
      { label: 'valley', index: r.suggestionIndex.valley },
      { label: 'steep', index: r.suggestionIndex.steep },
    ];
    out(lrFindChart(r.lrs, r.losses, marks));
    out('');
    const e = (x: number) => x.toExponential(1);
    out(`suggested lr: ${e(r.suggestions.valley)} (valley, fastai's default)   steep ${e(r.suggestions.steep)}   minimum/10 ${e(r.suggestions.minimum)}`);
    out(`try: factorlens train --lr ${Number(r.suggestions.valley.toPrecision(1))}${o.model !== 'dotbias' ? ` --model ${o.model}` : ''}`);
    out(`note: ${LR_FIND_CAVEAT}`);
  });
}

function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('overlay the validation curves of saved runs, their hyperparameters side by side, and an overfitting verdict each')
    .argument('[names...]', 'two or more snapshot names')
    .addOption(new Option('--train-wd0 <name>', 'first train the same options as snapshot NAME with wd 0, save it as NAME-wd0, and compare the two'))
    .addOption(new Option('--force', 'with --train-wd0: replace an existing NAME-wd0'))
    .addOption(new Option('--data <dir>', 'dataset directory for --train-wd0 (default: $FACTORLENS_DATA, else the download cache)'))
    .addOption(new Option('--snapshots <dir>', 'snapshots folder (default: $FACTORLENS_SNAPSHOTS, else ./snapshots)'))
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
        const ds = await loadDataset(resolveDataDir(f.data));
        if (base.manifest.dataset.hash !== ds.hash) throw new UsageError(`snapshot ${base.name} was trained on other data (${base.manifest.dataset.name}); point --data at it`);
        const opts = withoutWeightDecay(base.options);
        const split = makeSplit(ds, opts.split, { validPct: opts.validPct, seed: opts.seed });
        info(`training ${base.name}'s options with wd 0 (was ${base.options.wd})…`);
        const bar = new ProgressLine();
        const res = await trainModel(ds, split, opts, { onEvent: (e) => bar.onTrainEvent(e) });
        bar.finish();
        if (res.reason !== 'completed') throw new UsageError(`the wd 0 run did not complete: ${res.message}`);
        const saved = await saveSnapshot(`${base.name}-wd0`, res, { dir, force: f.force });
        info(`saved snapshot ${saved.name}`);
        runs.push(base, { name: saved.name, options: res.options, epochs: res.epochs });
      }
      for (const n of names) if (!runs.some((r) => r.name === n)) runs.push(await load(n));
      if (runs.length < 2) throw new UsageError('compare needs two or more snapshot names (or --train-wd0 NAME)');
      const c = compareRuns(runs);
      if (f.json) return printJson(c);
      out(formatComparison(c, useColor()));
    });
}

export function formatComparison(c: Comparison, color: boolean): string {
  const lines: string[] = [];
  lines.push('valid loss per epoch');
  lines.push(epochCurvesChart(c.runs.map((r) => r.validLoss), color));
  lines.push('   ' + c.runs.map((r, i) => colored(`${i + 1} ── ${r.name}`, i, color)).join('   '));
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
  for (const r of c.runs) lines.push(`  ${r.name}: ${r.reason}`);
  return lines.join('\n');
}

function registerExport(program: Command): void {
  const cmd = program
    .command('export')
    .description('write the movie factors for the TensorFlow Embedding Projector (vectors.tsv + metadata.tsv)')
    .addOption(new Option('--out <dir>', 'output folder (default: ./projector/NAME, as in the app)'))
    .addOption(jsonOption());
  addModelSourceOptions(cmd).action(async (f: ModelSourceFlags & { out?: string; json?: boolean }) => {
    const { weights, vocab, label } = await obtainModel(f);
    const dir = path.resolve(f.out ?? path.join('projector', f.snapshot ?? weights.kind));
    const r = await writeProjectorFiles(dir, weights, vocab);
    if (f.json) return printJson({ model: label, dir, ...r });
    out(`${label}: ${r.rows} movies × ${r.dims} factors`);
    out(`  ${r.vectorsPath}\n  ${r.metadataPath}`);
    out('Open https://projector.tensorflow.org, click "Load", choose vectors.tsv then metadata.tsv.');
  });
}

function registerOneHot(program: Command): void {
  const cmd = program
    .command('onehot')
    .description("the first seed's point on your model: one_hot(u) · U equals the row U[u]; timing and memory at MovieLens and Netflix scale")
    .addOption(new Option('--user <id>', 'user id as in the data (default: the first user)'))
    .addOption(new Option('--repeats <n>', 'timed repetitions, median reported').default(30).argParser(parseIntArg('--repeats', 1, 10000)))
    .addOption(jsonOption());
  addModelSourceOptions(cmd).action(async (f: ModelSourceFlags & { user?: string; repeats: number; json?: boolean }) => {
    const { weights, vocab, label } = await obtainModel(f);
    const id = f.user ?? vocab.userIds[0];
    const user = vocab.userIds.indexOf(id);
    if (user < 0) throw new UsageError(`no user with id "${id}" in this model (ids run ${vocab.userIds[0]}…${vocab.userIds.at(-1)})`);
    const r = await oneHotVsLookup(weights, user, id, { repeats: f.repeats, backend: (f.backend as never) ?? 'auto' });
    if (f.json) return printJson({ model: label, ...r });
    const v = (xs: number[]) => `[${xs.slice(0, 5).map((x) => x.toFixed(4)).join(', ')}, … ${xs.length} values]`;
    out(`${label}, user ${id} (row ${user} of ${r.nUsers}), backend ${r.backend}\n`);
    out(`  U[u]            = gather(U, u)             ${v(r.lookup)}`);
    out(`  one_hot(u) · U  = matMul(oneHot(u, ${r.nUsers}), U)  ${v(r.viaOneHot)}`);
    out(`  max |difference| ${r.maxAbsDiff} (this user), ${r.batchMaxAbsDiff} (a batch of ${r.timing.batch}); the one-hot vector has ${r.oneHotNonZeros} non-zero of ${r.nUsers}\n`);
    out(`  a batch of ${r.timing.batch}, median of ${r.timing.repeats}: lookup ${r.timing.gatherMs.toFixed(3)} ms, one-hot × matrix ${r.timing.oneHotMatMulMs.toFixed(3)} ms (×${r.timing.ratio.toFixed(1)})\n`);
    const mb = (b: number) => (b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(1)} kB`);
    out(
      formatTable(
        ['scale', 'users', 'movies', 'one-hot inputs / batch', 'lookup reads / batch', 'matMul flops / batch'],
        r.memory.map((m) => [m.name, String(m.nUsers), String(m.nItems), mb(m.oneHotBytes), mb(m.lookupBytes), m.matMulFlops.toExponential(1)]),
        'lrrrrr',
      ).trimEnd(),
    );
    out('\nThe lookup reads the rows it needs; the one-hot way builds and multiplies a mostly-zero matrix that grows with the catalogue.');
  });
}
