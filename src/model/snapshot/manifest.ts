/** manifest.json: what a snapshot is (model, hyperparameters, dataset, vocab, history) and its checks. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kindOf, type ModelShape } from '../models/index.js';
import { layerSizes } from '../models/nn.js';
import type { EpochRow, ModelWeights, StopReason, TrainOptions, TrainResult, Vocab } from '../types.js';
import type { PickModel } from '../interpret/pickAndLike.js';

export const FORMAT_ID = 'factorlens-snapshot';
export const FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_MANIFEST_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

export interface FileEntry {
  bytes: number;
  sha256: string;
}

export interface SnapshotManifest {
  format: typeof FORMAT_ID;
  formatVersion: number;
  createdAt: string;
  factorlensVersion: string;
  /** The weights' shape (ModelWeights without the arrays): what the kind's params() lay out. */
  model: Pick<ModelWeights, 'kind' | 'nUsers' | 'nItems' | 'yRange'> & {
    /** Factor sizes (0 for the kinds without factor tables). */
    userDim: number;
    itemDim: number;
    /** nn only (empty otherwise): dense layer sizes, hidden layers then the output layer. */
    layers: { inDim: number; outDim: number }[];
    /** The kind's other sizes (item-kNN and EASE: training ratings kept, stored neighbours); absent in older snapshots. */
    sizes?: Record<string, number>;
  };
  options: TrainOptions;
  backend: string;
  dataset: TrainResult['dataset'];
  split: string;
  training: { reason: StopReason; message: string; seconds: number; epochs: EpochRow[]; batchLosses: number[] };
  vocab: Vocab;
  /** The pick model stored beside the weights (pickAndLike.ts), when the run has one: its sizes. */
  pick?: ManifestPick;
  files: { [WEIGHTS_MANIFEST_FILE]: FileEntry; [WEIGHTS_FILE]: FileEntry };
  /** sha256 of this manifest serialised with this field empty: an edited manifest is caught, not trusted. */
  manifestSha256: string;
}

let cachedVersion: string | undefined;

/** The version in factorlens's own package.json, found by walking up (works from src/ under tsx and from dist/). */
export function factorlensVersion(): string {
  if (cachedVersion) return cachedVersion;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'factorlens' && typeof pkg.version === 'string') return (cachedVersion = pkg.version);
      } catch {
        // an unreadable package.json on the way up is not ours; keep looking
      }
    }
    dir = path.dirname(dir);
  }
  return (cachedVersion = '0.0.0');
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

type ManifestModel = SnapshotManifest['model'];

export interface ManifestPick {
  nRaters: number;
  likedMin: number;
  /** Entries of the neighbour table and of the likers table. */
  neighbours: number;
  likers: number;
  /** Entries of the "rated → rated" and "first ratings → liked later" tables, and late_K's last K (absent: a first-version pick model). */
  rated?: number;
  early?: number;
  lateUpTo?: number;
}

/** The manifest's pick block for a pick model. */
export function manifestPick(p: PickModel): ManifestPick {
  return {
    nRaters: p.nRaters,
    likedMin: p.likedMin,
    neighbours: p.neighbourIdx.length,
    likers: p.likers.length,
    ...(p.rated ? { rated: p.rated.idx.length } : {}),
    ...(p.early ? { early: p.early.idx.length } : {}),
    ...(p.lateLiked ? { lateUpTo: p.lateUpTo ?? 0 } : {}),
  };
}

/** The manifest's model block for a shape: dense layers are listed in full (in → out) when there are hidden ones. */
export function manifestModel(s: ModelShape, yRange: [number, number]): ManifestModel {
  const sizes = layerSizes(s);
  return {
    kind: s.kind,
    nUsers: s.nUsers,
    nItems: s.nItems,
    userDim: s.userDim,
    itemDim: s.itemDim,
    yRange: [yRange[0], yRange[1]],
    layers: s.hidden.length ? sizes.slice(1).map((outDim, l) => ({ inDim: sizes[l], outDim })) : [],
    ...(Object.keys(s.sizes).length ? { sizes: { ...s.sizes } } : {}),
  };
}

/** The shape a manifest's model block describes. */
export function shapeOfManifest(m: ManifestModel): ModelShape {
  return { kind: m.kind, nUsers: m.nUsers, nItems: m.nItems, userDim: m.userDim, itemDim: m.itemDim, hidden: m.layers.slice(0, -1).map((l) => l.outDim), sizes: { ...(m.sizes ?? {}) } };
}

export function buildManifest(result: TrainResult, files: SnapshotManifest['files']): SnapshotManifest {
  const w = result.weights;
  return {
    format: FORMAT_ID,
    formatVersion: FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    factorlensVersion: factorlensVersion(),
    model: manifestModel(kindOf(w).shape(w), w.yRange),
    options: result.options,
    backend: result.backend,
    dataset: result.dataset,
    split: result.split,
    training: {
      reason: result.reason,
      message: result.message,
      seconds: result.seconds,
      epochs: result.epochs,
      batchLosses: result.batchLosses,
    },
    vocab: result.vocab,
    ...(result.pick ? { pick: manifestPick(result.pick) } : {}),
    files,
    manifestSha256: '',
  };
}

/** JSON has no NaN or Infinity (a diverged run has them in its losses): write them as strings. */
function finiteReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

function canonical(m: SnapshotManifest): string {
  return JSON.stringify({ ...m, manifestSha256: '' }, finiteReplacer, 1);
}

export function serializeManifest(m: SnapshotManifest): string {
  const sealed = { ...m, manifestSha256: sha256(canonical(m)) };
  return JSON.stringify(sealed, finiteReplacer, 1) + '\n';
}

/** True when the manifest is byte-for-byte what was sealed (re-serialising parsed JSON is exact for numbers). */
export function manifestSealIntact(m: SnapshotManifest): boolean {
  return typeof m.manifestSha256 === 'string' && m.manifestSha256 === sha256(canonical(m));
}

/** Undoes finiteReplacer for the number fields that may legitimately hold NaN / Infinity. */
export function reviveNumber(x: unknown): number {
  if (typeof x === 'number') return x;
  if (x === 'NaN') return NaN;
  if (x === 'Infinity') return Infinity;
  if (x === '-Infinity') return -Infinity;
  return NaN;
}
