/**
 * Popularity: every movie scored by how many rated it in training, the same list for everyone (their own
 * movies excluded). Rank only. The ranking baseline full-catalogue metrics punish a model for not beating.
 */
import type { PopularityWeights } from '../types.js';
import type { ModelKindSpec } from './kind.js';
import { NO_SHOWS, ZEROS, noHiddenLayers, plainShape } from './baselines/kept.js';

export const popularity: ModelKindSpec<PopularityWeights> = {
  kind: 'popularity',
  className: 'Popularity',
  output: 'rank',
  shows: { ...NO_SHOWS, ranking: true },
  optionKeys: [],
  threaded: false,
  trainerKeys: [],
  label: () => 'counts',
  slug: () => '',
  shapeFor: (_o, nUsers, nItems) => plainShape('popularity', nUsers, nItems),
  shapeProblem: noHiddenLayers,
  shape: (w) => plainShape('popularity', w.nUsers, w.nItems),
  params: (s) => [{ name: 'item_count', shape: [s.nItems], init: ZEROS }],
  fromArrays: (s, yRange, get) => ({ kind: 'popularity', nUsers: s.nUsers, nItems: s.nItems, yRange: [yRange[0], yRange[1]], counts: get('item_count') }),
  arrays: (w) => new Map([['item_count', w.counts]]),
  // θ = []: the list is everyone's
  userSize: () => 0,
  trainedUser: () => new Float64Array(0),
  logits: (w, _theta, items, out) => {
    for (let j = 0; j < items.length; j++) out[j] = w.counts[items[j]];
  },
  foldIn: () => new Float64Array(0),
  userParts: () => ({ factors: [], bias: null }),
  userVectors: () => null,
  itemVectors: () => null,
  biases: () => null,
};
