/**
 * The trainer: fastai's fit_one_cycle for the collab models. Emits typed events, honours an AbortSignal
 * within one step, never writes to stdout, and can run inside a worker thread. A run is a plan of
 * stages for the one training loop (loop.ts): the model itself with the sgd solver, and for solver
 * 'autorec' an I-AutoRec after it, validated and handed on as its blend with the model.
 */
import type { Dataset, Split } from '../../data/types.js';
import { selectRows, type Columns } from '../evaluate/metrics.js';
import { mulberry32 } from '../engine/random.js';
import { modelKind } from '../models/index.js';
import { vocabFromDataset } from '../models/vocab.js';
import { initBackend } from '../runtime/backend.js';
import type { DotBiasWeights, ModelWeights, TrainOptions, TrainResult } from '../types.js';
import { AUTOREC_DEFAULTS, autorecSolver, blendDotbias } from './solvers/autorec.js';
import { runStages, type Stage, type TrainHooks } from './loop.js';
import { solverFor } from './solvers/index.js';

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

export async function trainModel(ds: Dataset, split: Split, partial: Partial<TrainOptions>, hooks: TrainHooks = {}): Promise<TrainResult> {
  const opts = optionsFor(ds, partial);
  const kind = modelKind(opts.model);
  const backend = await initBackend(opts.backend);
  const rng = mulberry32(opts.seed);
  // a rank-only model predicts no rating: its epochs have no validation loss (shown as —)
  const valid = kind.shows.ratings ? selectRows(ds, split.valid) : null;
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
  if (ar) stages.push(() => autorecStage(opts, ds, trainColumns(true), outputs[0] as DotBiasWeights));
  const totalEpochs = firstEpochs + (ar?.epochs ?? 0);

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
          : `trained dotbias (${opts.epochs} epochs) and I-AutoRec (${ar.epochs} epochs, ${ar.hidden} hidden), blended ${ar.blend}/${(1 - ar.blend).toFixed(2)}: valid RMSE ${last.validRmse.toFixed(4)} in ${r.seconds.toFixed(1)} s`;
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

/** The I-AutoRec stage of solver 'autorec' (see autorec.ts): trained alone, judged and handed on as the blend. */
function autorecStage(opts: TrainOptions, ds: Dataset, train: Columns, base: DotBiasWeights): Stage {
  const ar = opts.autorec!;
  const settings = { ...AUTOREC_DEFAULTS, hidden: ar.hidden, epochs: ar.epochs, lr: ar.lr, wd: ar.wd, bs: ar.bs, schedule: opts.schedule, yRange: opts.yRange, seed: opts.seed };
  const solver = autorecSolver(ds.nUsers, ds.nItems, train, settings, mulberry32(opts.seed), (w) => blendDotbias(w, base, ar.blend));
  return { solver, epochs: ar.epochs, lr: ar.lr, schedule: opts.schedule, name: 'the AutoRec stage' };
}
