/** The global mean: every rating μ, the training average — the floor any rating model must clear. It ranks nothing. */
import type { MeanWeights } from '../types.js';
import type { ModelKindSpec } from './kind.js';
import { NO_SHOWS, ZEROS, noHiddenLayers, plainShape } from './baselines/kept.js';

export const mean: ModelKindSpec<MeanWeights> = {
  kind: 'mean',
  className: 'GlobalMean',
  output: 'rating',
  shows: { ...NO_SHOWS, ratings: true },
  optionKeys: [],
  threaded: false,
  trainerKeys: [],
  label: () => 'μ',
  slug: () => '',
  shapeFor: (_o, nUsers, nItems) => plainShape('mean', nUsers, nItems),
  shapeProblem: noHiddenLayers,
  shape: (w) => plainShape('mean', w.nUsers, w.nItems),
  params: () => [{ name: 'mean', shape: [1], init: ZEROS }],
  fromArrays: (s, yRange, get) => ({ kind: 'mean', nUsers: s.nUsers, nItems: s.nItems, yRange: [yRange[0], yRange[1]], mean: get('mean')[0] }),
  arrays: (w) => new Map([['mean', Float32Array.of(w.mean)]]),
  // θ = []: every user is the same
  userSize: () => 0,
  trainedUser: () => new Float64Array(0),
  logits: (w, _theta, items, out) => {
    for (let j = 0; j < items.length; j++) out[j] = w.mean;
  },
  foldIn: () => new Float64Array(0),
  userParts: () => ({ factors: [], bias: null }),
  userVectors: () => null,
  itemVectors: () => null,
  biases: () => null,
};
