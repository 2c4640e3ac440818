/** The training flags `train` and every analysis command share, and their conversion to TrainOptions. */
import { Command, Option } from 'commander';
import { anyPresetOptions, checkYRange, DEFAULT_TRAIN_OPTIONS as D, PRESET_NAMES, type BackendChoice, type ModelKind, type Schedule, type Solver, type TrainOptions } from '../model/index.js';
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
  members?: number;
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

/** Adds the training flags; defaults live in DEFAULT_TRAIN_OPTIONS (shown in --help, applied later). */
export function addTrainFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--data <dir>', 'dataset directory (default: $FACTORLENS_DATA, else the download cache)'))
    .addOption(new Option('--preset <name>', `start from a named set of hyperparameters: ${PRESET_NAMES.join(' | ')}, or one of yours (tune --save-preset); flags given too win`))
    .addOption(new Option('--split <name>', `validation split: random, u1..u5, ua, ub, time (the newest ratings), fold1..fold5 (default: ${D.split})`))
    .addOption(new Option('--valid-pct <x>', `fraction held out by the random and time splits (default: ${D.validPct})`).argParser(parseFloatArg('--valid-pct')))
    .addOption(new Option('--seed <n>', `random seed (default: ${D.seed})`).argParser(parseIntArg('--seed', 0, 0xffffffff)))
    .addOption(new Option('--model <kind>', `dot | dotbias | nn (default: ${D.model})`))
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
    .addOption(new Option('--members <n>', 'dotbias: train with this many seeds and average them into one model (default: 1)').argParser(parseIntArg('--members', 1, 16)));
}

/** The preset's options (if any) overlaid by the flags the user gave; resolveOptions fills and validates the rest. */
export function trainOptionsFromFlags(f: TrainFlags): Partial<TrainOptions> {
  const base = f.preset === undefined ? {} : anyPresetOptions(f.preset);
  const given = Object.entries(flagOptions(f)).filter(([, v]) => v !== undefined);
  return { ...base, ...Object.fromEntries(given) };
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
    split: f.split,
    validPct: f.validPct,
    seed: f.seed,
    backend: f.backend as BackendChoice | undefined,
    solver: f.solver as Solver | undefined,
    members: f.members,
  };
}
