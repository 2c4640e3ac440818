/** Test fixtures build weights field by field; this is their shape until they are handed on as ModelWeights. */
import type { DenseWeights, ModelKind, ModelWeights } from '../../src/model/types.js';

export interface LooseWeights {
  kind: ModelKind;
  nUsers: number;
  nItems: number;
  userDim: number;
  itemDim: number;
  yRange: [number, number];
  userFactors: Float32Array;
  itemFactors: Float32Array;
  userBias?: Float32Array;
  itemBias?: Float32Array;
  layers?: DenseWeights[];
}

/** Any kind's weights with every optional field readable (tests only). */
export const loose = (w: ModelWeights): LooseWeights => w as LooseWeights;

/** DotProductBias the slow, obvious way (an independent check of the forward in src/model/models). */
export function naiveDotBias(w: LooseWeights, users: ArrayLike<number>, items: ArrayLike<number>): Float32Array {
  const out = new Float32Array(users.length);
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    const i = items[r];
    let z = (w.userBias?.[u] ?? 0) + (w.itemBias?.[i] ?? 0);
    for (let k = 0; k < w.userDim; k++) z += w.userFactors[u * w.userDim + k] * w.itemFactors[i * w.itemDim + k];
    out[r] = w.yRange[0] + (w.yRange[1] - w.yRange[0]) / (1 + Math.exp(-z));
  }
  return out;
}
