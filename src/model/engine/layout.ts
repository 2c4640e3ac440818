/** The parameters of each model variant, their initialisation, and conversion to plain weights. */
import { embSize } from '../train/defaults.js';
import { fillNormal, fillUniform, type Rng } from './random.js';
import type { ModelWeights, TrainOptions } from '../types.js';
import { FlatParams, type ParamSpec, type StorageFactory } from './params.js';

export interface ModelShape {
  kind: TrainOptions['model'];
  nUsers: number;
  nItems: number;
  userDim: number;
  itemDim: number;
  layers: number[];
}

export function modelShape(o: TrainOptions, nUsers: number, nItems: number): ModelShape {
  if (o.model === 'nn') {
    return {
      kind: 'nn',
      nUsers,
      nItems,
      userDim: o.userEmb || embSize(nUsers),
      itemDim: o.itemEmb || embSize(nItems),
      layers: o.layers,
    };
  }
  return { kind: o.model, nUsers, nItems, userDim: o.factors, itemDim: o.factors, layers: [] };
}

export function paramSpecs(s: ModelShape): ParamSpec[] {
  const specs: ParamSpec[] = [
    { name: 'user_factors', shape: [s.nUsers, s.userDim] },
    { name: 'item_factors', shape: [s.nItems, s.itemDim] },
  ];
  if (s.kind === 'dotbias') specs.push({ name: 'user_bias', shape: [s.nUsers] }, { name: 'item_bias', shape: [s.nItems] });
  if (s.kind === 'nn') {
    const sizes = [s.userDim + s.itemDim, ...s.layers, 1];
    for (let l = 0; l + 1 < sizes.length; l++) {
      specs.push({ name: `layers.${l}.kernel`, shape: [sizes[l], sizes[l + 1]] }, { name: `layers.${l}.bias`, shape: [sizes[l + 1]] });
    }
  }
  return specs;
}

/**
 * Embeddings and biases ~ normal(0, 0.01) like the seeds' create_params; dense layers like PyTorch's
 * nn.Linear default, uniform(±1/sqrt(fan_in)).
 */
export function initParams(s: ModelShape, rng: Rng, scratchFloats = 0, storage?: StorageFactory): FlatParams {
  const p = new FlatParams(paramSpecs(s), scratchFloats, storage);
  for (const [name, v] of p.views) {
    const arr = p.weight(name);
    if (name.startsWith('layers.')) {
      const fanIn = name.endsWith('.kernel') ? v.shape[0] : p.views.get(name.replace('.bias', '.kernel'))!.shape[0];
      fillUniform(arr, rng, 1 / Math.sqrt(fanIn));
    } else {
      fillNormal(arr, rng, 0.01);
    }
  }
  return p;
}

/** A copy of the current weights as plain arrays (the form snapshots and interpretation use). */
export function toModelWeights(p: FlatParams, s: ModelShape, yRange: [number, number]): ModelWeights {
  const copy = (name: string) => p.weight(name).slice();
  const w: ModelWeights = {
    kind: s.kind,
    nUsers: s.nUsers,
    nItems: s.nItems,
    userDim: s.userDim,
    itemDim: s.itemDim,
    yRange: [yRange[0], yRange[1]],
    userFactors: copy('user_factors'),
    itemFactors: copy('item_factors'),
  };
  if (s.kind === 'dotbias') {
    w.userBias = copy('user_bias');
    w.itemBias = copy('item_bias');
  }
  if (s.kind === 'nn') {
    const sizes = [s.userDim + s.itemDim, ...s.layers, 1];
    w.layers = sizes.slice(1).map((out, l) => ({ inDim: sizes[l], outDim: out, kernel: copy(`layers.${l}.kernel`), bias: copy(`layers.${l}.bias`) }));
  }
  return w;
}

export function shapeOf(w: ModelWeights): ModelShape {
  return { kind: w.kind, nUsers: w.nUsers, nItems: w.nItems, userDim: w.userDim, itemDim: w.itemDim, layers: (w.layers ?? []).slice(0, -1).map((l) => l.outDim) };
}

/** Flat parameters holding a copy of plain weights (to run the engine's kernels on a trained model). */
export function paramsFromWeights(w: ModelWeights, scratchFloats = 0): FlatParams {
  const p = new FlatParams(paramSpecs(shapeOf(w)), scratchFloats);
  for (const [name, values] of namedArrays(w)) p.weight(name).set(values);
  return p;
}

/** The model's arrays with their tfjs names and shapes, one naming shared with snapshots. */
export function namedArrays(w: ModelWeights): [string, Float32Array, number[]][] {
  const out: [string, Float32Array, number[]][] = [
    ['user_factors', w.userFactors, [w.nUsers, w.userDim]],
    ['item_factors', w.itemFactors, [w.nItems, w.itemDim]],
  ];
  if (w.userBias && w.itemBias) out.push(['user_bias', w.userBias, [w.nUsers]], ['item_bias', w.itemBias, [w.nItems]]);
  w.layers?.forEach((l, i) => out.push([`layers.${i}.kernel`, l.kernel, [l.inDim, l.outDim]], [`layers.${i}.bias`, l.bias, [l.outDim]]));
  return out;
}
