/**
 * model.json + weights.bin in tfjs's weights format, so tfjs's own IO (decodeWeights, fromMemory)
 * reads them. Pure @tensorflow/tfjs has no file:// handler, so the bytes go through node:fs elsewhere.
 */
import * as tf from '../runtime/tf.js';
import { SnapshotError } from './errors.js';
import { WEIGHTS_FILE, factorlensVersion, manifestModel, shapeOfManifest, type SnapshotManifest } from './manifest.js';
import { kindOf, modelKind } from '../models/index.js';
import type { ModelWeights } from '../types.js';

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

type ManifestModel = SnapshotManifest['model'];

/** The weights a model of this shape must have, in file order (its kind declares them). */
export function expectedSpecs(m: ManifestModel): WeightSpec[] {
  return modelKind(m.kind)
    .params(shapeOfManifest(m))
    .map((p) => ({ name: p.name, shape: p.shape, dtype: 'float32' }));
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Pairs each expected weight with its array, refusing to save anything that could not be loaded back. */
function arraysFor(w: ModelWeights): { spec: WeightSpec; values: Float32Array }[] {
  const kind = kindOf(w);
  const m = manifestModel(kind.shape(w), w.yRange);
  checkLayerChain(m, 'its layers');
  const byName = kind.arrays(w);
  return expectedSpecs(m).map((spec) => {
    const values = byName.get(spec.name);
    if (!(values instanceof Float32Array)) throw new SnapshotError(`the ${w.kind} model has no ${spec.name} weights`);
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

export async function encodeModelWeights(w: ModelWeights): Promise<EncodedWeights> {
  const arrays = arraysFor(w);
  const named: tf.NamedTensorMap = {};
  try {
    for (const { spec, values } of arrays) named[spec.name] = tf.tensor(values, spec.shape, 'float32');
    const { data, specs } = await tf.io.encodeWeights(named);
    const modelJson = {
      format: 'factorlens-weights',
      generatedBy: `factorlens ${factorlensVersion()}`,
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
    };
    return { modelJson: JSON.stringify(modelJson, null, 1) + '\n', bin: new Uint8Array(data) };
  } finally {
    for (const t of Object.values(named)) t.dispose();
  }
}

/** Checks model.json's weights manifest against what the snapshot manifest says the model is. */
export function readWeightSpecs(text: string, m: ManifestModel, binBytes: number, where: string): tf.io.WeightsManifestEntry[] {
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
  const expected = expectedSpecs(m);
  const describe = (s: { name?: unknown; shape?: unknown; dtype?: unknown }) => `${String(s?.name)} ${JSON.stringify(s?.shape)} ${String(s?.dtype)}`;
  const same =
    specs.length === expected.length &&
    specs.every(
      (s, i) =>
        s?.name === expected[i].name &&
        s.dtype === 'float32' &&
        s.quantization === undefined &&
        JSON.stringify(s.shape) === JSON.stringify(expected[i].shape),
    );
  if (!same) {
    throw new SnapshotError(
      `is damaged: ${where} does not match the model in manifest.json: has [${specs.map(describe).join(', ')}], expected [${expected.map(describe).join(', ')}]`,
    );
  }
  const needed = expected.reduce((sum, s) => sum + 4 * size(s.shape), 0);
  if (needed !== binBytes) throw new SnapshotError(`is damaged: ${WEIGHTS_FILE} holds ${binBytes} bytes, the weights need ${needed}`);
  return specs;
}

/** Decodes with tfjs and copies out to plain arrays; every tensor made here is disposed before returning. */
export function decodeModelWeights(bin: Uint8Array, specs: tf.io.WeightsManifestEntry[], m: ManifestModel): ModelWeights {
  const buffer = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  let tensors: tf.NamedTensorMap = {};
  try {
    tensors = tf.io.decodeWeights(buffer, specs);
    const get = (name: string) => new Float32Array(tensors[name].dataSync() as Float32Array);
    return modelKind(m.kind).fromArrays(shapeOfManifest(m), m.yRange, get) as ModelWeights;
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}
