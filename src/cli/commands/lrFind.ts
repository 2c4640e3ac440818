/** `factorlens lr-find`: fastai's learning-rate finder on the form's options. */
import { Command, Option } from 'commander';
import { loadDataset, resolveDataDir } from '../../data/index.js';
import { DEFAULT_TRAIN_OPTIONS, LR_FIND_CAVEAT, lrFind, lrFindNote, optionsFor, splitOf } from '../../model/index.js';
import { lrFindChart } from '../chart.js';
import { jsonOption, parseFloatArg, parseIntArg, printJson, out } from '../common.js';
import { addTrainFlags, trainOptionsFromFlags, warnAboutYRange, type TrainFlags } from '../trainFlags.js';

export function registerLrFind(program: Command): void {
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
    const split = splitOf(ds, opts);
    warnAboutYRange(optionsFor(ds, opts).yRange, ds.scale);
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
    // what fastai would do, and what it is worth on this kind (measured): never a bare "try" that the note then contradicts
    out(`fastai would train with --lr ${Number(r.suggestions.valley.toPrecision(1))}; ${lrFindNote(o.model)}`);
    out(`note: ${LR_FIND_CAVEAT}`);
  });
}
