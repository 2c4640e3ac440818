/** The training flags `train` and every analysis command share, and their conversion to TrainOptions. */
import { Command, Option } from 'commander';
import { parseSplitFiles } from '../data/index.js';
import {
  checkYRange,
  DEFAULT_BASELINE,
  DEFAULT_EASE,
  DEFAULT_IALS,
  DEFAULT_KNN,
  DEFAULT_TRAIN_OPTIONS as D,
  MODEL_KINDS,
  PRESET_NAMES,
  kindUsesOption,
  presetOptions,
  type BackendChoice,
  type KnnSimilarity,
  type ModelKind,
  type Schedule,
  type Solver,
  type TrainOptions,
} from '../model/index.js';
import { UsageError, info, parseFloatArg, parseIntArg } from './common.js';
import { parseNumberText } from '../data/numbers.js';
import { terminalSafe } from '../data/terminalText.js';

export interface TrainFlags {
  preset?: string;
  data?: string;
  split?: string;
  validPct?: number;
  seed?: number;
  model?: string;
  factors?: number;
  layers?: number[];
  userEmb?: number;
  itemEmb?: number;
  epochs?: number;
  lr?: number;
  wd?: number;
  bs?: number;
  yRange?: [number, number];
  schedule?: string;
  backend?: string;
  solver?: string;
  threads?: number;
  splitFiles?: string;
  baselineRegU?: number;
  baselineRegI?: number;
  baselineEpochs?: number;
  knnK?: number;
  knnMinK?: number;
  knnSimilarity?: string;
  knnShrinkage?: number;
  knnMinSupport?: number;
  easeLambda?: number;
  ialsFactors?: number;
  ialsReg?: number;
  ialsAlpha?: number;
  ialsEpochs?: number;
  ialsCgSteps?: number;
}

/** "100,50": whole numbers in decimal digits (src/data/numbers.ts), a comma between them and nothing else. */
function parseLayers(value: string): number[] {
  const parts = value.split(',').map((s) => parseNumberText(s.trim(), 'integer'));
  if (!parts.length || parts.some((p) => !p.ok || p.value < 1)) {
    throw new UsageError(`--layers must be comma-separated positive whole numbers like 100,50, got "${terminalSafe(value).slice(0, 40)}"`);
  }
  return parts.map((p) => (p as { value: number }).value);
}

/** "0,5.5": two decimal numbers; that they suit the data is checked once the data is loaded (checkYRange). */
function parseYRange(value: string): [number, number] {
  const parts = value.split(',').map((s) => parseNumberText(s.trim(), 'decimal'));
  if (parts.length !== 2 || parts.some((p) => !p.ok)) {
    throw new UsageError(`--y-range must be two decimal numbers low,high like 0,5.5, got "${terminalSafe(value).slice(0, 40)}"`);
  }
  return [(parts[0] as { value: number }).value, (parts[1] as { value: number }).value];
}

/** The y_range warning for this data (checkYRange), on stderr. */
export function warnAboutYRange(yRange: [number, number], scale: { min: number; max: number }): void {
  const w = checkYRange(yRange, scale);
  if (w) info(`warning: ${w}`);
}

/** The split flags every command that takes a split shares: --split, --split-files, --valid-pct, --seed. */
export function addSplitFlags(cmd: Command, what = 'validation split'): Command {
  return cmd
    .addOption(new Option('--split <name>', `${what}: random, u1..u5, ua, ub, time (the newest 20 %), fold1..fold5, files (default: ${D.split})`))
    .addOption(new Option('--split-files <train,test>', "a published split: two rating files in the dataset's own format (implies --split files)"))
    .addOption(new Option('--valid-pct <x>', `fraction held out by the random and time splits (default: ${D.validPct})`).argParser(parseFloatArg('--valid-pct')))
    .addOption(new Option('--seed <n>', `random seed (default: ${D.seed})`).argParser(parseIntArg('--seed', 0, 0xffffffff)));
}

/** The split the flags name, with --split-files folded in ('files' and its two files). */
export function splitFromFlags(f: { split?: string; splitFiles?: string }): Pick<TrainOptions, 'split'> & Partial<Pick<TrainOptions, 'splitFiles'>> | Record<string, never> {
  if (f.splitFiles === undefined) return f.split === undefined ? {} : { split: f.split };
  if (f.split !== undefined && f.split !== 'files') throw new UsageError(`--split-files is a split of its own: drop --split ${f.split} (or say --split files)`);
  return { split: 'files', splitFiles: parseSplitFiles(f.splitFiles) };
}

/** Adds the training flags; defaults live in DEFAULT_TRAIN_OPTIONS (shown in --help, applied later). */
export function addTrainFlags(cmd: Command): Command {
  cmd
    .addOption(new Option('--data <dir>', 'dataset directory (default: $FACTORLENS_DATA, else the download cache)'))
    .addOption(new Option('--preset <name>', `start from a named set of hyperparameters: ${PRESET_NAMES.join(' | ')} (flags given too win)`));
  return addSplitFlags(cmd)
    .addOption(new Option('--model <kind>', `${MODEL_KINDS.join(' | ')} (default: ${D.model})`))
    .addOption(new Option('--factors <n>', `latent factors for dot/dotbias (default: ${D.factors})`).argParser(parseIntArg('--factors', 1, 1024)))
    .addOption(new Option('--layers <sizes>', `nn hidden layers, e.g. 100,50 (default: ${D.layers.join(',')})`).argParser(parseLayers))
    .addOption(new Option('--user-emb <n>', 'nn user embedding size (default: fastai rule)').argParser(parseIntArg('--user-emb', 1, 1024)))
    .addOption(new Option('--item-emb <n>', 'nn item embedding size (default: fastai rule)').argParser(parseIntArg('--item-emb', 1, 1024)))
    .addOption(new Option('--epochs <n>', `epochs (default: ${D.epochs})`).argParser(parseIntArg('--epochs', 1, 1000)))
    .addOption(new Option('--lr <x>', `maximum learning rate (default: ${D.lr})`).argParser(parseFloatArg('--lr')))
    .addOption(new Option('--wd <x>', `weight decay, decoupled (default: ${D.wd})`).argParser(parseFloatArg('--wd')))
    .addOption(new Option('--bs <n>', `batch size (default: ${D.bs})`).argParser(parseIntArg('--bs', 1, 65536)))
    .addOption(new Option('--y-range <lo,hi>', `sigmoid_range bounds (default: ${D.yRange.join(',')} for 1-5 stars)`).argParser(parseYRange))
    .addOption(new Option('--schedule <kind>', `one-cycle | constant (default: ${D.schedule})`))
    .addOption(new Option('--backend <name>', 'auto | node | wasm | cpu (default: auto)'))
    .addOption(new Option('--solver <name>', 'sgd | autorec: blend an I-AutoRec into the dotbias model (default: sgd)'))
    .addOption(
      new Option('--threads <n>', 'threads training dot/dotbias at once (default: the cores on large data, else 1; above 1: stratified SGD, sparse AdamW)').argParser(
        parseIntArg('--threads', 1, 64),
      ),
    )
    .addOption(new Option('--baseline-reg-u <x>', `baseline, itemknn: the users' bias regularisation (default: ${DEFAULT_BASELINE.regU})`).argParser(parseFloatArg('--baseline-reg-u')))
    .addOption(new Option('--baseline-reg-i <x>', `baseline, itemknn: the movies' bias regularisation (default: ${DEFAULT_BASELINE.regI})`).argParser(parseFloatArg('--baseline-reg-i')))
    .addOption(new Option('--baseline-epochs <n>', `baseline, itemknn: ALS epochs of the biases (default: ${DEFAULT_BASELINE.epochs})`).argParser(parseIntArg('--baseline-epochs', 1, 1000)))
    .addOption(new Option('--knn-k <n>', `itemknn: neighbours per prediction (default: ${DEFAULT_KNN.k})`).argParser(parseIntArg('--knn-k', 1, 10000)))
    .addOption(new Option('--knn-min-k <n>', `itemknn: fewer neighbours than this gives the baseline alone (default: ${DEFAULT_KNN.minK})`).argParser(parseIntArg('--knn-min-k', 0, 10000)))
    .addOption(new Option('--knn-similarity <name>', `itemknn: pearson_baseline | msd (default: ${DEFAULT_KNN.similarity})`))
    .addOption(new Option('--knn-shrinkage <x>', `itemknn: pearson_baseline's shrinkage (default: ${DEFAULT_KNN.shrinkage})`).argParser(parseFloatArg('--knn-shrinkage')))
    .addOption(new Option('--knn-min-support <n>', `itemknn: fewer common raters gives similarity 0 (default: ${DEFAULT_KNN.minSupport})`).argParser(parseIntArg('--knn-min-support', 0, 1e6)))
    .addOption(new Option('--ease-lambda <x>', `ease: the L2 weight λ (default: ${DEFAULT_EASE.lambda})`).argParser(parseFloatArg('--ease-lambda')))
    .addOption(new Option('--ials-factors <n>', `ials: factors (default: ${DEFAULT_IALS.factors})`).argParser(parseIntArg('--ials-factors', 1, 1024)))
    .addOption(new Option('--ials-reg <x>', `ials: the L2 weight (default: ${DEFAULT_IALS.reg})`).argParser(parseFloatArg('--ials-reg')))
    .addOption(new Option('--ials-alpha <x>', `ials: a rated cell's extra confidence (default: ${DEFAULT_IALS.alpha})`).argParser(parseFloatArg('--ials-alpha')))
    .addOption(new Option('--ials-epochs <n>', `ials: ALS epochs (default: ${DEFAULT_IALS.epochs})`).argParser(parseIntArg('--ials-epochs', 1, 1000)))
    .addOption(new Option('--ials-cg-steps <n>', `ials: conjugate-gradient steps per vector (default: ${DEFAULT_IALS.cgSteps})`).argParser(parseIntArg('--ials-cg-steps', 1, 100)));
}

/** The preset's options (if any) overlaid by the flags the user gave; resolveOptions fills and validates the rest. */
export function trainOptionsFromFlags(f: TrainFlags): Partial<TrainOptions> {
  const base = f.preset === undefined ? {} : presetOptions(f.preset);
  const families = familyOptions(f);
  const given = Object.entries({ ...flagOptions(f), ...splitFromFlags(f), ...families }).filter(([, v]) => v !== undefined);
  const o: Partial<TrainOptions> = { ...base, ...Object.fromEntries(given) };
  const model = o.model ?? D.model;
  for (const [family, v] of Object.entries(families)) {
    if (v !== undefined && MODEL_KINDS.includes(model) && !kindUsesOption(model, family as keyof TrainOptions)) {
      throw new UsageError(`the --${family}-… flags set a ${family} model's settings; --model ${model} has none (use --model ${MODEL_KINDS.filter((k) => kindUsesOption(k, family as keyof TrainOptions)).join(' or ')})`);
    }
  }
  return o;
}

/** A baseline family's flags as its settings object (only those given: resolveOptions fills the rest). */
function familyOptions(f: TrainFlags): Partial<TrainOptions> {
  const some = <T extends object>(o: T): T | undefined => (Object.values(o).some((v) => v !== undefined) ? (Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T) : undefined);
  return {
    baseline: some({ regU: f.baselineRegU, regI: f.baselineRegI, epochs: f.baselineEpochs }) as TrainOptions['baseline'],
    knn: some({ k: f.knnK, minK: f.knnMinK, similarity: f.knnSimilarity as KnnSimilarity | undefined, shrinkage: f.knnShrinkage, minSupport: f.knnMinSupport }) as TrainOptions['knn'],
    ease: some({ lambda: f.easeLambda }) as TrainOptions['ease'],
    ials: some({ factors: f.ialsFactors, reg: f.ialsReg, alpha: f.ialsAlpha, epochs: f.ialsEpochs, cgSteps: f.ialsCgSteps }) as TrainOptions['ials'],
  };
}

function flagOptions(f: TrainFlags): Partial<TrainOptions> {
  return {
    model: f.model as ModelKind | undefined,
    factors: f.factors,
    layers: f.layers,
    userEmb: f.userEmb,
    itemEmb: f.itemEmb,
    epochs: f.epochs,
    lr: f.lr,
    wd: f.wd,
    bs: f.bs,
    yRange: f.yRange,
    schedule: f.schedule as Schedule | undefined,
    validPct: f.validPct,
    seed: f.seed,
    backend: f.backend as BackendChoice | undefined,
    solver: f.solver as Solver | undefined,
    threads: f.threads,
  };
}
