/**
 * Fused forward + backward of DotProduct / DotProductBias for one batch, on the flat parameters.
 * An embedding lookup is one-hot × matrix done by indexing; its gradient is the matching row
 * scatter-add, so only the rows in the batch are touched (tfjs's stock gather gradient goes through
 * UnsortedSegmentSum over the whole table and is unusable here).
 */
import type { TouchedRanges } from './optimizer.js';
import type { FlatParams } from './params.js';

export interface RatingColumns {
  users: Int32Array;
  items: Int32Array;
  ratings: Float32Array;
}

export interface DotLayout {
  k: number;
  userOff: number;
  itemOff: number;
  /** -1 when the model has no biases. */
  userBiasOff: number;
  itemBiasOff: number;
  /** Batch number each user / item row was last reported touched in: a row is listed once per batch. */
  userSeen: Int32Array;
  itemSeen: Int32Array;
  batch: number;
}

export function dotLayout(p: FlatParams, bias: boolean): DotLayout {
  const uf = p.views.get('user_factors')!;
  const mf = p.views.get('item_factors')!;
  return {
    k: uf.shape[1],
    userOff: uf.offset,
    itemOff: mf.offset,
    userBiasOff: bias ? p.views.get('user_bias')!.offset : -1,
    itemBiasOff: bias ? p.views.get('item_bias')!.offset : -1,
    userSeen: new Int32Array(uf.shape[0]).fill(-1),
    itemSeen: new Int32Array(mf.shape[0]).fill(-1),
    batch: 0,
  };
}

/**
 * Accumulates d(mean squared error)/dθ of rows order[start..end) into p.g and returns the batch's MSE.
 * Predictions are sigmoid_range(u·m + b_u + b_m, lo, hi).
 */
export function dotBatch(
  p: FlatParams,
  L: DotLayout,
  data: RatingColumns,
  order: Int32Array,
  start: number,
  end: number,
  lo: number,
  hi: number,
  touched: TouchedRanges,
): number {
  const { w, g } = p;
  const { k, userOff, itemOff, userBiasOff, itemBiasOff } = L;
  const span = hi - lo;
  const n = end - start;
  const scale = 2 / n;
  const tick = ++L.batch;
  let loss = 0;
  for (let r = start; r < end; r++) {
    const row = order[r];
    const u = data.users[row];
    const it = data.items[row];
    const ub = userOff + u * k;
    const mb = itemOff + it * k;
    let z = 0;
    for (let j = 0; j < k; j++) z += w[ub + j] * w[mb + j];
    if (userBiasOff >= 0) z += w[userBiasOff + u] + w[itemBiasOff + it];
    const s = 1 / (1 + Math.exp(-z));
    const pred = lo + span * s;
    const err = pred - data.ratings[row];
    loss += err * err;
    const dz = scale * err * span * s * (1 - s);
    for (let j = 0; j < k; j++) {
      const uj = w[ub + j];
      g[ub + j] += dz * w[mb + j];
      g[mb + j] += dz * uj;
    }
    if (userBiasOff >= 0) {
      g[userBiasOff + u] += dz;
      g[itemBiasOff + it] += dz;
    }
    if (L.userSeen[u] !== tick) {
      L.userSeen[u] = tick;
      touched.push(ub, k);
      if (userBiasOff >= 0) touched.push(userBiasOff + u, 1);
    }
    if (L.itemSeen[it] !== tick) {
      L.itemSeen[it] = tick;
      touched.push(mb, k);
      if (itemBiasOff >= 0) touched.push(itemBiasOff + it, 1);
    }
  }
  return loss / n;
}
