/** A model kind's parameters as the engine holds them: one flat array, initialised, and back to plain weights. */
import { kindOf, modelKind, type ModelShape } from '../models/index.js';
import type { ModelWeights, TrainOptions } from '../types.js';
import { fillNormal, fillUniform, type Rng } from './random.js';
import { FlatParams, type StorageFactory } from './params.js';

/** The shape of the model these options train on a dataset of nUsers × nItems. */
export function modelShape(o: TrainOptions, nUsers: number, nItems: number): ModelShape {
  return modelKind(o.model).shapeFor(o, nUsers, nItems);
}

/** Fresh parameters, each initialised the way its kind declares. */
export function initParams(s: ModelShape, rng: Rng, scratchFloats = 0, storage?: StorageFactory): FlatParams {
  const decl = modelKind(s.kind).params(s);
  const p = new FlatParams(decl, scratchFloats, storage);
  for (const d of decl) {
    const arr = p.weight(d.name);
    if ('normal' in d.init) fillNormal(arr, rng, d.init.normal);
    else if ('uniformFanIn' in d.init) fillUniform(arr, rng, 1 / Math.sqrt(d.init.uniformFanIn));
    else arr.fill(0);
  }
  return p;
}

/** Plain weights whose arrays are views of the parameters (valid until the memory grows; no copy). */
export function weightsView(p: FlatParams, s: ModelShape, yRange: [number, number]): ModelWeights {
  return modelKind(s.kind).fromArrays(s, yRange, (name) => p.weight(name)) as ModelWeights;
}

/** A copy of the current weights as plain arrays (what crosses to the UI and into snapshots). */
export function toModelWeights(p: FlatParams, s: ModelShape, yRange: [number, number]): ModelWeights {
  return modelKind(s.kind).fromArrays(s, yRange, (name) => p.weight(name).slice()) as ModelWeights;
}

/** Flat parameters holding a copy of plain weights (to run the engine's kernels on a trained model). */
export function paramsFromWeights(w: ModelWeights, scratchFloats = 0): FlatParams {
  const kind = kindOf(w);
  const p = new FlatParams(kind.params(kind.shape(w)), scratchFloats);
  for (const [name, values] of kind.arrays(w)) p.weight(name).set(values);
  return p;
}
