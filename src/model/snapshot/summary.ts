/** The one-line view of a snapshot that list, show and save return. */
import type { Inspected } from './inspect.js';
import { shapeOfManifest, type SnapshotManifest } from './manifest.js';
import { epochsPerMember, modelKind } from '../models/index.js';
import type { PickModel } from '../interpret/pickAndLike.js';
import type { EpochRow, ModelKind, ModelWeights, StopReason, TrainOptions, Vocab } from '../types.js';

export interface SnapshotSummary {
  name: string;
  path: string;
  /** Fields below are null only for a broken snapshot, which carries `error` instead. */
  model: ModelKind | null;
  /** Factors of dot / dotbias; the user embedding size of nn. */
  factors: number | null;
  /** nn only: hidden layer sizes. */
  layers?: number[];
  /** Its size in a few characters ("50f", "74+102 [100]"), as its kind labels it. */
  size: string | null;
  /** The split it was trained and validated on (random, u1, …): RMSEs on different splits do not compare. */
  split: string | null;
  epochs: number | null;
  /** Final epoch's valid RMSE; null when not finite (a diverged run) or broken. */
  validRmse: number | null;
  dataset: string | null;
  createdAt: string | null;
  reason: StopReason | null;
  sizeBytes: number;
  error?: string;
  /** The same, only what is wrong ("damaged: manifest.json is not valid JSON …"), for a list with the name beside it. */
  problem?: string;
}

export interface LoadedSnapshot {
  name: string;
  manifest: SnapshotManifest;
  weights: ModelWeights;
  vocab: Vocab;
  options: TrainOptions;
  epochs: EpochRow[];
  batchLosses: number[];
  warnings: string[];
  /** The pick model saved with it (pick × like for new users), when it has one. */
  pick?: PickModel;
}

export interface SnapshotDetails {
  summary: SnapshotSummary;
  manifest: SnapshotManifest;
}

export function summarize(name: string, target: string, ins: Inspected): SnapshotSummary {
  const m = ins.manifest;
  const last = m.training.epochs[m.training.epochs.length - 1];
  const shape = shapeOfManifest(m.model);
  // an averaged ensemble is listed as its members: 50f ×2, 5 epochs (its weights hold 100 factors, its table 10 epochs)
  const members = m.options?.members ?? 1;
  return {
    name,
    path: target,
    model: m.model.kind,
    factors: m.model.userDim,
    ...(shape.hidden.length ? { layers: shape.hidden } : {}),
    size: members > 1 ? `${modelKind(shape.kind).slug(m.options)} ×${members}` : modelKind(shape.kind).label(shape),
    split: m.split,
    epochs: epochsPerMember(m.options ?? {}, m.training.epochs.length),
    validRmse: last && Number.isFinite(last.validRmse) ? last.validRmse : null,
    dataset: m.dataset.name,
    createdAt: m.createdAt,
    reason: m.training.reason,
    sizeBytes: ins.sizeBytes,
  };
}

export function emptySummary(name: string, target: string): SnapshotSummary {
  const none = { model: null, factors: null, size: null, split: null, epochs: null, validRmse: null, dataset: null, createdAt: null, reason: null };
  return { name, path: target, ...none, sizeBytes: 0 };
}

