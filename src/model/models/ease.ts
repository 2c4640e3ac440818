/**
 * EASE^R (Steck 2019, baselines/ease.ts): a user's score of movie i is Σ_j x_uj B_ji over the movies j
 * they rated, B the closed-form item-item weights. Rank only. θ = the user's rated-movie indicator x_u
 * (the model keeps which movies each training user rated); a new user's θ is theirs. Its neighbours are
 * B's rows: the movies whose score rating this one raises most.
 */
import type { EaseWeights } from '../types.js';
import type { ModelKindSpec } from './kind.js';
import { NO_SHOWS, ZEROS, keptArrays, keptFromArrays, keptOffsets, keptParams, noHiddenLayers, plainShape } from './baselines/kept.js';

function easeLogits(w: EaseWeights, theta: ArrayLike<number>, items: ArrayLike<number>, out: Float32Array | Float64Array): void {
  const n = w.nItems;
  const B = w.weights;
  const rated: number[] = [];
  for (let j = 0; j < n; j++) if (theta[j] !== 0) rated.push(j);
  let whole = items.length === n;
  for (let k = 0; whole && k < n; k++) whole = items[k] === k;
  if (whole) {
    // every movie: add up the rated movies' rows (contiguous reads)
    out.fill(0);
    for (const j of rated) {
      const x = theta[j];
      const row = j * n;
      for (let i = 0; i < n; i++) out[i] += x * B[row + i];
    }
    return;
  }
  for (let k = 0; k < items.length; k++) {
    const i = items[k];
    let s = 0;
    for (const j of rated) s += theta[j] * B[j * n + i];
    out[k] = s;
  }
}

export const ease: ModelKindSpec<EaseWeights> = {
  kind: 'ease',
  className: 'EASE^R',
  output: 'rank',
  shows: { ...NO_SHOWS, ranking: true, neighbours: true },
  optionKeys: ['ease'],
  threaded: false,
  trainerKeys: [],
  label: (s) => `${s.nItems}² weights`,
  slug: (o) => (o.ease ? `l${o.ease.lambda}` : ''),
  shapeFor: (_o, nUsers, nItems) => plainShape('ease', nUsers, nItems),
  shapeProblem: noHiddenLayers,
  shape: (w) => plainShape('ease', w.nUsers, w.nItems, { ratings: w.train.items.length }),
  params: (s) => [{ name: 'ease_weights', shape: [s.nItems, s.nItems], init: ZEROS }, ...keptParams(s, false)],
  fromArrays: (s, yRange, get) => ({
    kind: 'ease',
    nUsers: s.nUsers,
    nItems: s.nItems,
    yRange: [yRange[0], yRange[1]],
    weights: get('ease_weights'),
    train: keptFromArrays(get, false),
  }),
  arrays: (w) => new Map([['ease_weights', w.weights], ...keptArrays(w.train)]),
  userSize: (w) => w.nItems,
  trainedUser: (w, u) => {
    const theta = new Float64Array(w.nItems);
    const start = keptOffsets(w.train);
    for (let p = start[u]; p < start[u + 1]; p++) theta[w.train.items[p]] = 1;
    return theta;
  },
  logits: easeLogits,
  // EASE ignores the rating values: a new user is which movies they rated
  foldIn: (w, ratings) => {
    const theta = new Float64Array(w.nItems);
    for (const r of ratings) theta[r.item] = 1;
    return theta;
  },
  userParts: () => ({ factors: [], bias: null }),
  userVectors: () => null,
  itemVectors: () => null,
  biases: () => null,
  neighbours: {
    name: () => "EASE's item weights: how much rating this movie raises another's score",
    row: (w, item) => Float64Array.from(w.weights.subarray(item * w.nItems, (item + 1) * w.nItems)),
  },
};
