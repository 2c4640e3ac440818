/**
 * The trainer: fastai's fit_one_cycle for the collab models. Emits typed events, honours an AbortSignal
 * within one step, never writes to stdout, and can run inside a worker thread. A run is a plan of
 * stages for the one training loop (loop.ts): the model itself with the sgd solver, and for solver
 * 'autorec' an I-AutoRec after it (and a U-AutoRec after that, when configured), each validated and
 * handed on as its blend (or stack) with the model.
 */
import type { Dataset, Split } from '../../data/types.js';
import { selectRows, type Columns } from '../evaluate/metrics.js';
import { mulberry32 } from '../engine/random.js';
import { modelKind } from '../models/index.js';
import { vocabFromDataset } from '../models/vocab.js';
import { initBackend } from '../runtime/backend.js';
import type { DotBiasWeights, ModelWeights, TrainOptions, TrainResult } from '../types.js';
import { AUTOREC_DEFAULTS, autorecSolver, blendDotbias, stackDotbias, userAutorecSolver } from './solvers/autorec.js';
import type { AutoRecPart } from '../types.js';
import { runStages, type Stage, type TrainHooks } from './loop.js';
import { solverFor } from './solvers/index.js';
import { trainMembers } from './ensemble.js';

export type { TrainHooks } from './loop.js';
export { splitOf, splitsOf } from './splits.js';
export { optionsFor } from './options.js';
import { optionsFor } from './options.js';

/**
 * The range of a kind's output on this data: sigmoid_range's bounds (the options' y_range), or the
 * rating scale the baselines clip their predictions to (and a new user's ratings must be on).
 */
export function outputRange(opts: TrainOptions, scale: { min: number; max: number }): [number, number] {
  return modelKind(opts.model).output === 'sigmoid-range' ? [opts.yRange[0], opts.yRange[1]] : [scale.min, scale.max];
}

/**
 * Trains a model on split.train, validating on split.valid after every epoch (an empty split.valid means
 * no validation at all: the epoch table's valid columns are NaN). With members > 1 the run is repeated
 * with the seeds after it and averaged (ensemble.ts).
 */
export async function trainModel(ds: Dataset, split: Split, partial: Partial<TrainOptions>, hooks: TrainHooks = {}): Promise<TrainResult> {
  const opts = optionsFor(ds, partial);
  if ((opts.members ?? 1) > 1) return trainMembers(ds, split, opts, hooks, trainOne);
  return trainOne(ds, split, opts, hooks);
}

async function trainOne(ds: Dataset, split: Split, opts: TrainOptions, hooks: TrainHooks): Promise<TrainResult> {
  const kind = modelKind(opts.model);
  const backend = await initBackend(opts.backend);
  const rng = mulberry32(opts.seed);
  // a rank-only model predicts no rating: its epochs have no validation loss (shown as —)
  const valid = kind.shows.ratings && split.valid.length ? selectRows(ds, split.valid) : null;
  const range = outputRange(opts, ds.scale);
  const ar = opts.solver === 'autorec' ? opts.autorec : undefined;
  // the training columns are held only as long as a stage needs them (a threaded solver copies them
  // into its own memory: at ML-25M size a second copy is a quarter of a gigabyte)
  let train: Columns | null = selectRows(ds, split.train);
  const trainColumns = (last: boolean) => {
    const t = train!;
    if (last) train = null;
    return t;
  };

  // stage outputs, as each stage finishes
  const outputs: ModelWeights[] = [];
  const first = solverFor(opts.model, opts.threads);
  const firstEpochs = first.epochs(opts);
  const stages: (() => Stage)[] = [
    () => ({ solver: first.make(opts, ds.nUsers, ds.nItems, trainColumns(!ar), rng, range, valid), epochs: firstEpochs, lr: opts.lr, schedule: opts.schedule, name: '' }),
  ];
  // the I-AutoRec as trained (not blended): the U-AutoRec stage stacks it with its own
  let items: DotBiasWeights | null = null;
  if (ar) stages.push(() => autorecStage(opts, ds, trainColumns(!ar.users), outputs[0] as DotBiasWeights, (w) => (items = w)));
  if (ar?.users) stages.push(() => userAutorecStage(opts, ar.users!, ds, trainColumns(true), outputs[0] as DotBiasWeights, items!));
  const totalEpochs = firstEpochs + (ar?.epochs ?? 0) + (ar?.users?.epochs ?? 0);

  // one progress bar over both stages, counted in the AutoRec's steps (the dotbias stage's batches are pooled into them)
  const displaySteps = ar ? Math.ceil(ds.nItems / Math.max(1, Math.min(ar.bs, ds.nItems))) : undefined;
  const r = await runStages({ stages, totalEpochs, displaySteps, valid, yRange: range, backend }, hooks, (_, solver) => outputs.push(solver.weights()));
  let message = r.message;
  if (!ar && r.reason === 'completed') message = `trained ${r.epochs.length} epochs in ${r.seconds.toFixed(1)} s`;
  if (ar && r.stagesCompleted === 0) message = `${r.message} (the AutoRec stage did not run)`;
  if (ar && r.stagesCompleted > 0) {
    const last = r.epochs.at(-1)!;
    message =
      r.reason === 'cancelled'
        ? `cancelled during the AutoRec stage; kept the blend as of epoch ${r.epochs.length}`
        : r.reason === 'diverged'
          ? r.message
          : `trained dotbias (${opts.epochs} epochs) and I-AutoRec (${ar.epochs} epochs, ${ar.hidden} hidden)${ar.users ? ` and U-AutoRec (${ar.users.epochs} epochs, ${ar.users.hidden} hidden)` : ''}, ${ar.stack ? `stacked ${stackText(ar.stack)}` : `blended ${ar.blend}/${(1 - ar.blend).toFixed(2)}`}: valid RMSE ${last.validRmse.toFixed(4)} in ${r.seconds.toFixed(1)} s`;
  }
  hooks.onEvent?.({ type: 'done', reason: r.reason, message, epochs: r.epochs, seconds: r.seconds });
  return {
    weights: outputs.at(-1)!,
    vocab: vocabFromDataset(ds),
    options: opts,
    epochs: r.epochs,
    batchLosses: r.batchLosses,
    backend,
    reason: r.reason,
    message,
    seconds: r.seconds,
    dataset: { name: ds.name, nRatings: ds.nRatings, nUsers: ds.nUsers, nItems: ds.nItems, hash: ds.hash },
    split: split.name,
  };
}

/** "0.23·dotbias + 0.70·I + 0.18·U + 0.02". */
export function stackText(st: NonNullable<NonNullable<TrainOptions['autorec']>['stack']>): string {
  return `${st.dotbias.toFixed(2)}·dotbias + ${st.items.toFixed(2)}·I${st.users ? ` + ${st.users.toFixed(2)}·U` : ''} ${st.bias < 0 ? '−' : '+'} ${Math.abs(st.bias).toFixed(2)}`;
}

/** An AutoRec network's settings as the solver takes them, from the run's options. */
export function autorecSettings(opts: TrainOptions, part: AutoRecPart) {
  return { ...AUTOREC_DEFAULTS, hidden: part.hidden, epochs: part.epochs, lr: part.lr, wd: part.wd, bs: part.bs, schedule: opts.schedule, yRange: opts.yRange, seed: opts.seed };
}

/**
 * The I-AutoRec stage of solver 'autorec' (see autorec.ts): trained alone, judged and handed on as the blend
 * (or, with stack weights, as the stack of the dotbias model and it). `trained` sees the AutoRec itself.
 */
function autorecStage(opts: TrainOptions, ds: Dataset, train: Columns, base: DotBiasWeights, trained: (w: DotBiasWeights) => void): Stage {
  const ar = opts.autorec!;
  const st = ar.stack;
  const handOn = (w: DotBiasWeights) => {
    trained(w);
    return st ? stackDotbias([base, w], [st.dotbias, st.items], st.bias) : blendDotbias(w, base, ar.blend);
  };
  const solver = autorecSolver(ds.nUsers, ds.nItems, train, autorecSettings(opts, ar), mulberry32(opts.seed), handOn);
  return { solver, epochs: ar.epochs, lr: ar.lr, schedule: opts.schedule, name: 'the AutoRec stage' };
}

/** The U-AutoRec stage: trained alone, handed on as the stack of the dotbias model, the I-AutoRec and it. */
function userAutorecStage(opts: TrainOptions, part: AutoRecPart, ds: Dataset, train: Columns, base: DotBiasWeights, items: DotBiasWeights): Stage {
  const ar = opts.autorec!;
  // without fitted weights (a hand-made configuration): the three in equal shares
  const st = ar.stack ?? { dotbias: 1 / 3, items: 1 / 3, users: 1 / 3, bias: 0 };
  const solver = userAutorecSolver(ds.nUsers, ds.nItems, train, autorecSettings(opts, part), mulberry32(opts.seed), (w) => stackDotbias([base, items, w], [st.dotbias, st.items, st.users], st.bias));
  return { solver, epochs: part.epochs, lr: part.lr, schedule: opts.schedule, name: 'the U-AutoRec stage' };
}
