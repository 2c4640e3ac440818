/** Where an analysis command gets its model: a saved snapshot, or a fresh training run. */
import { Command, Option } from 'commander';
import { ProfileStore, loadDataset, resolveDataDir, type Dataset, type Profile } from '../data/index.js';
import { DEFAULT_TRAIN_OPTIONS, KeptModels, loadSnapshot, optionsFor, pickModelFor, selectRows, snapshotsDir, splitOf, trainModel, type Columns, type ModelWeights, type PickModel, type TrainOptions, type Vocab } from '../model/index.js';
import { SNAPSHOTS_HELP, UsageError, info } from './common.js';
import { ProgressLine } from './progress.js';
import { addTrainFlags, trainOptionsFromFlags, warnAboutYRange, type TrainFlags } from './trainFlags.js';

export interface ModelSourceFlags extends TrainFlags {
  snapshot?: string;
  snapshots?: string;
}

/** The profile NAME (the app's --profile): your ratings, and the model you last had open there. */
export async function readProfile(name: string): Promise<Profile> {
  const store = new ProfileStore();
  const { profile, problem } = await store.read(name);
  if (problem) info(`warning: ${problem}`);
  if (!profile.updatedAt) throw new UsageError(`no profile named "${name}" (${store.file(name)}): rate some movies in the app with --profile ${name} first`);
  return profile;
}

/** The profile's last model: the snapshot it names, else the copy the app kept of a model no snapshot holds. */
export async function profileModel(profile: Profile, flags: ModelSourceFlags): Promise<ObtainedModel> {
  const last = profile.model;
  if (last && 'snapshot' in last) return obtainModel({ ...flags, snapshot: last.snapshot });
  const kept = last ? await new KeptModels().load(profile.name) : null;
  if (!kept) throw new UsageError(`profile "${profile.name}" has no model yet: give --snapshot NAME (or train one in the app)`);
  // the pick model is kept with it; the training ratings themselves (for the cold-start models) need the data here
  const data = await trainingData(flags.data, kept.dataset.hash, kept.options);
  return {
    weights: kept.weights,
    vocab: kept.vocab,
    label: `profile ${profile.name}'s last model (${kept.options.model}, not in a snapshot)`,
    pick: kept.pick ?? data?.pick ?? null,
    train: data && { rows: data.rows, ds: data.ds },
    snapshot: null,
  };
}

export function addModelSourceOptions(cmd: Command): Command {
  cmd
    .addOption(new Option('--snapshot <name>', 'use a saved snapshot (see `factorlens snapshots list`)'))
    .addOption(new Option('--snapshots <dir>', SNAPSHOTS_HELP));
  return addTrainFlags(cmd);
}

export interface ObtainedModel {
  weights: ModelWeights;
  vocab: Vocab;
  label: string;
  /** The implicit half of pick × like, fitted on the model's training ratings (null when they are not here). */
  pick: PickModel | null;
  /** The model's training ratings and their dataset, when the data it was trained on is here (else null). */
  train: { rows: Columns; ds: Dataset } | null;
  /** The snapshot's name when it came from one. */
  snapshot: string | null;
}

/** Loads the snapshot, or trains with the given flags first (progress on stderr). */
export async function obtainModel(flags: ModelSourceFlags): Promise<ObtainedModel> {
  if (flags.snapshot) {
    const snap = await loadSnapshot(flags.snapshot, { dir: snapshotsDir(flags.snapshots) });
    for (const w of snap.warnings) info(`warning: ${w}`);
    // the snapshot carries its pick model; the training ratings themselves (for the cold-start models) need the data here
    const data = await trainingData(flags.data, snap.manifest.dataset.hash, snap.options);
    return { weights: snap.weights, vocab: snap.vocab, label: `snapshot ${snap.name}`, pick: snap.pick ?? data?.pick ?? null, train: data && { rows: data.rows, ds: data.ds }, snapshot: snap.name };
  }
  const dir = resolveDataDir(flags.data);
  const ds = await loadDataset(dir);
  const opts = trainOptionsFromFlags(flags);
  const split = splitOf(ds, opts);
  warnAboutYRange(optionsFor(ds, opts).yRange, ds.scale);
  info(`no --snapshot given: training ${opts.model ?? DEFAULT_TRAIN_OPTIONS.model} on ${ds.name} first`);
  const bar = new ProgressLine();
  const res = await trainModel(ds, split, opts, { onEvent: (e) => bar.onTrainEvent(e) });
  bar.finish();
  return {
    weights: res.weights,
    vocab: res.vocab,
    label: `${res.options.model} trained now (${res.message})`,
    pick: pickModelFor(ds, split),
    train: { rows: selectRows(ds, split.train), ds },
    snapshot: null,
  };
}

/** A snapshot's training ratings and their pick model, when its dataset is the one here (else null). */
async function trainingData(dataDir: string | undefined, hash: string, o: TrainOptions): Promise<{ pick: PickModel; rows: Columns; ds: Dataset } | null> {
  let ds;
  try {
    ds = await loadDataset(resolveDataDir(dataDir));
  } catch {
    return null;
  }
  if (ds.hash !== hash) return null;
  try {
    const split = splitOf(ds, o);
    return { pick: pickModelFor(ds, split), rows: selectRows(ds, split.train), ds };
  } catch {
    return null; // a 'files' split whose files are gone: rank by stars
  }
}
