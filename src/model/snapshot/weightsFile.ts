/**
 * model.json + weights.bin in tfjs's weights format, so tfjs's own IO (decodeWeights, fromMemory)
 * reads them; factorlens writes and reads the bytes itself (the format of float32 and int32 tables is
 * their bytes in order), which at ML-25M size saves copies of the whole file. Pure @tensorflow/tfjs has
 * no file:// handler, so the bytes go through node:fs elsewhere.
 */
import type * as tf from '../runtime/tf.js';
import { SnapshotError } from './errors.js';
import { WEIGHTS_FILE, factorlensVersion, manifestModel, manifestPick, shapeOfManifest, type ManifestPick, type SnapshotManifest } from './manifest.js';
import type { PickModel } from '../interpret/pickAndLike.js';
import { kindOf, modelKind } from '../models/index.js';
import type { ModelWeights } from '../types.js';

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

type ManifestModel = SnapshotManifest['model'];

/** The pick model's tables (interpret/pickAndLike.ts), stored after the weights in the same file. */
function pickSpecs(nItems: number, p: ManifestPick): WeightSpec[] {
  return [
    { name: 'pick.popularity', shape: [nItems], dtype: 'float32' },
    { name: 'pick.neighbour_start', shape: [nItems + 1], dtype: 'int32' },
    { name: 'pick.neighbour_idx', shape: [p.neighbours], dtype: 'int32' },
    { name: 'pick.neighbour_val', shape: [p.neighbours], dtype: 'float32' },
    { name: 'pick.liker_start', shape: [nItems + 1], dtype: 'int32' },
    { name: 'pick.likers', shape: [p.likers], dtype: 'int32' },
    ...(p.rated === undefined ? [] : table('pick.rated', nItems, p.rated)),
    ...(p.early === undefined ? [] : table('pick.early', nItems, p.early)),
    ...(p.lateUpTo === undefined ? [] : [{ name: 'pick.late_liked', shape: [(p.lateUpTo + 1) * nItems], dtype: 'float32' } as WeightSpec]),
  ];
}

/** A sparse neighbour table: CSR offsets, neighbour indices, values. */
function table(name: string, nItems: number, entries: number): WeightSpec[] {
  return [
    { name: `${name}_start`, shape: [nItems + 1], dtype: 'int32' },
    { name: `${name}_idx`, shape: [entries], dtype: 'int32' },
    { name: `${name}_val`, shape: [entries], dtype: 'float32' },
  ];
}

/** The weights a model of this shape must have, in file order (its kind declares them), then its pick model's. */
export function expectedSpecs(m: ManifestModel, pick?: ManifestPick): WeightSpec[] {
  const weights = modelKind(m.kind)
    .params(shapeOfManifest(m))
    .map((p): WeightSpec => ({ name: p.name, shape: p.shape, dtype: 'float32' }));
  return pick ? [...weights, ...pickSpecs(m.nItems, pick)] : weights;
}

function pickArrays(p: PickModel): Map<string, Float32Array | Int32Array> {
  return new Map<string, Float32Array | Int32Array>([
    ['pick.popularity', p.popularity],
    ['pick.neighbour_start', p.neighbourStart],
    ['pick.neighbour_idx', p.neighbourIdx],
    ['pick.neighbour_val', p.neighbourVal],
    ['pick.liker_start', p.likerStart],
    ['pick.likers', p.likers],
    ...(p.rated ? ([['pick.rated_start', p.rated.start], ['pick.rated_idx', p.rated.idx], ['pick.rated_val', p.rated.val]] as const) : []),
    ...(p.early ? ([['pick.early_start', p.early.start], ['pick.early_idx', p.early.idx], ['pick.early_val', p.early.val]] as const) : []),
    ...(p.lateLiked ? ([['pick.late_liked', p.lateLiked]] as const) : []),
  ]);
}


const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Pairs each expected weight with its array, refusing to save anything that could not be loaded back. */
function arraysFor(w: ModelWeights, pick?: PickModel): { spec: WeightSpec; values: Float32Array | Int32Array }[] {
  const kind = kindOf(w);
  const m = manifestModel(kind.shape(w), w.yRange);
  checkLayerChain(m, 'its layers');
  if (pick && pick.nItems !== w.nItems) throw new SnapshotError(`the pick model covers ${pick.nItems} movies, the model ${w.nItems}`);
  const byName = new Map<string, Float32Array | Int32Array>([...kind.arrays(w), ...(pick ? pickArrays(pick) : [])]);
  return expectedSpecs(m, pick ? manifestPick(pick) : undefined).map((spec) => {
    const values = byName.get(spec.name);
    const wanted = spec.dtype === 'int32' ? Int32Array : Float32Array;
    if (!(values instanceof wanted)) throw new SnapshotError(`the ${w.kind} model has no ${spec.name} weights`);
    if (values.length !== size(spec.shape)) {
      throw new SnapshotError(`${spec.name} has ${values.length} values, expected ${spec.shape.join('×')} = ${size(spec.shape)}`);
    }
    return { spec, values };
  });
}

/** An nn's dense layers must chain from [user ‖ item] embeddings down to one output. */
export function checkLayerChain(m: ManifestModel, where: string): void {
  if (m.layers.length === 0) return;
  let inDim = m.userDim + m.itemDim;
  m.layers.forEach((l, i) => {
    if (l.inDim !== inDim) throw new SnapshotError(`${where}: layer ${i} takes ${l.inDim} inputs, expected ${inDim}`);
    inDim = l.outDim;
  });
  if (inDim !== 1) throw new SnapshotError(`${where}: the last layer has ${inDim} outputs, expected 1`);
}

export interface EncodedWeights {
  modelJson: string;
  bin: Uint8Array;
}

export async function encodeModelWeights(w: ModelWeights, pick?: PickModel): Promise<EncodedWeights> {
  const arrays = arraysFor(w, pick);
  // tfjs's format for float32 and int32 is each array's little-endian bytes, one after another in the
  // manifest's order — written straight from the arrays (through tensors it cost three copies of the
  // file and grew the wasm heap by one for good: 200 MB with an ML-25M model's pick model)
  const bin = new Uint8Array(arrays.reduce((sum, a) => sum + a.values.byteLength, 0));
  let at = 0;
  for (const { values } of arrays) {
    bin.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), at);
    at += values.byteLength;
  }
  const modelJson = {
    format: 'factorlens-weights',
    generatedBy: `factorlens ${factorlensVersion()}`,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: arrays.map(({ spec }) => ({ name: spec.name, shape: spec.shape, dtype: spec.dtype })) }],
  };
  return { modelJson: JSON.stringify(modelJson, null, 1) + '\n', bin };
}

/**
 * The arrays of weights.bin by name, read straight from its bytes (one copy each) in the order of
 * `specs` — which readWeightSpecs has checked to be float32 / int32 tables that fill the file exactly.
 */
function weightArrays(bin: Uint8Array, specs: tf.io.WeightsManifestEntry[]): { f32(name: string): Float32Array; i32(name: string): Int32Array } {
  const at = new Map<string, { offset: number; length: number }>();
  let offset = 0;
  for (const s of specs) {
    const length = size(s.shape);
    at.set(s.name, { offset, length });
    offset += 4 * length;
  }
  const bytes = (name: string) => {
    const a = at.get(name);
    if (!a) throw new SnapshotError(`is damaged: ${WEIGHTS_FILE} has no ${name}`);
    // copied into a buffer of its own (a Buffer's slice is a view of a shared pool, not a copy)
    const out = new Uint8Array(4 * a.length);
    out.set(bin.subarray(a.offset, a.offset + 4 * a.length));
    return out.buffer;
  };
  return { f32: (name) => new Float32Array(bytes(name)), i32: (name) => new Int32Array(bytes(name)) };
}

/** The bytes weights.bin must have for a model of this shape (and its pick model); float32 and int32 take 4 each. */
export function weightsBytes(m: ManifestModel, pick?: ManifestPick): number {
  return expectedSpecs(m, pick).reduce((sum, s) => sum + 4 * size(s.shape), 0);
}

/** Checks model.json's weights manifest against what the snapshot manifest says the model is. */
export function readWeightSpecs(text: string, m: ManifestModel, binBytes: number, where: string, pick?: ManifestPick): tf.io.WeightsManifestEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SnapshotError(`is damaged: ${where} is not valid JSON (truncated or edited?)`);
  }
  const group = (parsed as { weightsManifest?: unknown })?.weightsManifest;
  const first = Array.isArray(group) && group.length === 1 ? (group[0] as { paths?: unknown; weights?: unknown }) : undefined;
  if (!first || !Array.isArray(first.weights) || JSON.stringify(first.paths) !== JSON.stringify([WEIGHTS_FILE])) {
    throw new SnapshotError(`is damaged: ${where} is not a tfjs weights manifest with one group stored in ${WEIGHTS_FILE}`);
  }
  const specs = first.weights as tf.io.WeightsManifestEntry[];
  const expected = expectedSpecs(m, pick);
  const describe = (s: { name?: unknown; shape?: unknown; dtype?: unknown }) => `${String(s?.name)} ${JSON.stringify(s?.shape)} ${String(s?.dtype)}`;
  const same =
    specs.length === expected.length &&
    specs.every(
      (s, i) =>
        s?.name === expected[i].name &&
        s.dtype === expected[i].dtype &&
        s.quantization === undefined &&
        JSON.stringify(s.shape) === JSON.stringify(expected[i].shape),
    );
  if (!same) {
    throw new SnapshotError(
      `is damaged: ${where} does not match the model in manifest.json: has [${specs.map(describe).join(', ')}], expected [${expected.map(describe).join(', ')}]`,
    );
  }
  const needed = expected.reduce((sum, x) => sum + 4 * size(x.shape), 0);
  if (needed !== binBytes) throw new SnapshotError(`is damaged: ${WEIGHTS_FILE} holds ${binBytes} bytes, the weights need ${needed}`);
  return specs;
}

/** The model's weights as plain arrays. */
export function decodeModelWeights(bin: Uint8Array, specs: tf.io.WeightsManifestEntry[], m: ManifestModel): ModelWeights {
  const { f32 } = weightArrays(bin, specs);
  return modelKind(m.kind).fromArrays(shapeOfManifest(m), m.yRange, f32) as ModelWeights;
}

/** The pick model stored in weights.bin, or undefined when the snapshot has none. */
export function decodePick(bin: Uint8Array, specs: tf.io.WeightsManifestEntry[], m: ManifestModel, pick: ManifestPick | undefined): PickModel | undefined {
  if (!pick) return undefined;
  const { f32, i32 } = weightArrays(bin, specs);
  const model: PickModel = {
    nItems: m.nItems,
    nRaters: pick.nRaters,
    likedMin: pick.likedMin,
    popularity: f32('pick.popularity'),
    neighbourStart: i32('pick.neighbour_start'),
    neighbourIdx: i32('pick.neighbour_idx'),
    neighbourVal: f32('pick.neighbour_val'),
    likerStart: i32('pick.liker_start'),
    likers: i32('pick.likers'),
    ...(pick.rated === undefined ? {} : { rated: { start: i32('pick.rated_start'), idx: i32('pick.rated_idx'), val: f32('pick.rated_val') } }),
    ...(pick.early === undefined ? {} : { early: { start: i32('pick.early_start'), idx: i32('pick.early_idx'), val: f32('pick.early_val') } }),
    ...(pick.lateUpTo === undefined ? {} : { lateLiked: f32('pick.late_liked'), lateUpTo: pick.lateUpTo }),
  };
  checkPick(model);
  return model;
}

/** Offsets rise from 0 to the table's length and every index names a movie or user in range: a damaged table is refused. */
function checkPick(p: PickModel): void {
  const ok = (start: Int32Array, n: number) => start[0] === 0 && start[start.length - 1] === n && start.every((x, i) => i === 0 || x >= start[i - 1]);
  if (!ok(p.neighbourStart, p.neighbourIdx.length) || !ok(p.likerStart, p.likers.length)) throw new SnapshotError('is damaged: the pick model\'s offsets do not add up');
  if (p.neighbourIdx.some((i) => i < 0 || i >= p.nItems)) throw new SnapshotError('is damaged: the pick model names a movie outside the model');
  if (p.likers.some((u) => u < 0)) throw new SnapshotError('is damaged: the pick model names a user below 0');
  for (const n of [p.rated, p.early]) {
    if (n && !ok(n.start, n.idx.length)) throw new SnapshotError("is damaged: the pick model's offsets do not add up");
    if (n && n.idx.some((i) => i < 0 || i >= p.nItems)) throw new SnapshotError('is damaged: the pick model names a movie outside the model');
  }
}
