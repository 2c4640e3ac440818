/** The one-line view of a snapshot that list, show and save return. */
import type { Inspected } from './inspect.js';
import type { SnapshotManifest } from './manifest.js';
import type { EpochRow, ModelKind, ModelWeights, StopReason, TrainOptions, Vocab } from '../types.js';

export interface SnapshotSummary {
  name: string;
  path: string;
  /** Fields below are null only for a broken snapshot, which carries `error` instead. */
  model: ModelKind | null;
  /** Factors of dot / dotbias; the user embedding size of nn. */
  factors: number | null;
  /** The movie embedding size (equal to factors for dot / dotbias). */
  itemDim: number | null;
  /** nn only: hidden layer sizes. */
  layers?: number[];
  /** The validation split it was trained and measured on (random, u1…): RMSEs of different splits do not compare. */
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
}

export interface SnapshotDetails {
  summary: SnapshotSummary;
  manifest: SnapshotManifest;
}

export function summarize(name: string, target: string, ins: Inspected): SnapshotSummary {
  const m = ins.manifest;
  const last = m.training.epochs[m.training.epochs.length - 1];
  return {
    name,
    path: target,
    model: m.model.kind,
    factors: m.model.userDim,
    itemDim: m.model.itemDim,
    ...(m.model.kind === 'nn' ? { layers: m.model.layers.slice(0, -1).map((l) => l.outDim) } : {}),
    epochs: m.training.epochs.length,
    validRmse: last && Number.isFinite(last.validRmse) ? last.validRmse : null,
    dataset: m.dataset.name,
    split: m.split,
    createdAt: m.createdAt,
    reason: m.training.reason,
    sizeBytes: ins.sizeBytes,
  };
}

export function emptySummary(name: string, target: string): SnapshotSummary {
  const none = { model: null, factors: null, itemDim: null, split: null, epochs: null, validRmse: null, dataset: null, createdAt: null, reason: null };
  return { name, path: target, ...none, sizeBytes: 0 };
}

