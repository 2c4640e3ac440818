/**
 * Item-based KNNBaseline (Koren 2010, Surprise's KNNBaseline with user_based False): the baseline plus
 * what the k movies most similar to i that the user rated say about it (baselines/knnBaseline.ts),
 *   r̂_ui = b_ui + Σ_j s_ij (r_uj − b_uj) / Σ_j s_ij,   clipped to the scale.
 * θ = [b_u, r_u0 … r_u(n−1)] with NaN where the user rated nothing: a user *is* their ratings, so the
 * model keeps its training ratings, and a new user's θ is their ratings and bias (nothing refitted).
 * Its neighbours are the similar movies the panes show.
 */
import type { ItemKnnWeights, ItemSimilarities, KnnSimilarity } from '../types.js';
import type { ModelKindSpec, ModelShape, ParamDecl } from './kind.js';
import { userBiasStep } from './baseline.js';
import { KNN_DEFAULTS, scoreKnnItems, type KnnModel, type KnnUser } from './baselines/knnBaseline.js';
import { NO_SHOWS, ZEROS, keptArrays, keptFromArrays, keptMatrix, keptOffsets, keptParams, noHiddenLayers, plainShape } from './baselines/kept.js';
import { denseSimilarities, sparseSimilarities, type Similarities } from './baselines/similarity.js';

const MEASURES: KnnSimilarity[] = ['pearson_baseline', 'msd'];
const MEASURE_NAMES: Record<KnnSimilarity, string> = {
  pearson_baseline: "item-kNN's own similarity: shrunk Pearson correlation of baseline residuals",
  msd: "item-kNN's own similarity: 1 / (mean squared rating difference + 1)",
};

function sizesOf(sim: ItemSimilarities, ratings: number): Record<string, number> {
  return 'dense' in sim ? { ratings, sparse: 0, neighbours: 0 } : { ratings, sparse: 1, neighbours: sim.neighbours.length };
}

function similarityParams(s: ModelShape): ParamDecl[] {
  if (!s.sizes.sparse) return [{ name: 'item_similarity', shape: [s.nItems, s.nItems], init: ZEROS }];
  const nnz = s.sizes.neighbours ?? 0;
  return [
    { name: 'similarity_counts', shape: [s.nItems], init: ZEROS },
    { name: 'similarity_items', shape: [nnz], init: ZEROS },
    { name: 'similarity_values', shape: [nnz], init: ZEROS },
  ];
}

const cores = new WeakMap<ItemKnnWeights, KnnModel>();

/** The weights as the core's model (built once per weights). */
export function knnCore(w: ItemKnnWeights): KnnModel {
  let m = cores.get(w);
  if (m) return m;
  const sim = w.similarity;
  let sims: Similarities;
  if ('dense' in sim) sims = denseSimilarities(w.nItems, sim.dense);
  else {
    const start = new Int32Array(w.nItems + 1);
    for (let i = 0; i < w.nItems; i++) start[i + 1] = start[i] + sim.rowCounts[i];
    let most = 0;
    for (const c of sim.rowCounts) most = Math.max(most, c);
    sims = sparseSimilarities(w.nItems, most, start, Int32Array.from(sim.neighbours), sim.values);
  }
  m = {
    options: { ...KNN_DEFAULTS, k: w.k, minK: w.minK, similarity: w.measure, userBased: false },
    biases: { nUsers: w.nUsers, nItems: w.nItems, mean: w.mean, userBias: Float64Array.from(w.userBias), itemBias: Float64Array.from(w.itemBias), options: { ...KNN_DEFAULTS.baseline, regU: w.regU } },
    matrix: keptMatrix(w.train, w.nItems),
    sims,
  };
  cores.set(w, m);
  return m;
}

/** θ back to the core's user: bias, and the rated items with their ratings. */
function userOf(theta: ArrayLike<number>, nItems: number): KnnUser {
  let n = 0;
  for (let i = 0; i < nItems; i++) if (!Number.isNaN(theta[1 + i])) n++;
  const items = new Int32Array(n);
  const ratings = new Float32Array(n);
  for (let i = 0, k = 0; i < nItems; i++) {
    const r = theta[1 + i];
    if (Number.isNaN(r)) continue;
    items[k] = i;
    ratings[k++] = r;
  }
  return { index: -1, bias: theta[0], items, ratings };
}

export const itemknn: ModelKindSpec<ItemKnnWeights> = {
  kind: 'itemknn',
  className: 'KNNBaseline',
  output: 'rating',
  shows: { ...NO_SHOWS, ratings: true, ranking: true, biases: true, neighbours: true },
  optionKeys: ['baseline', 'knn'],
  threaded: false,
  trainerKeys: [],
  label: (s) => (s.sizes.sparse ? `${s.nItems} items, top neighbours` : `${s.nItems}² similarities`),
  slug: (o) => (o.knn ? `k${o.knn.k}-${o.knn.similarity === 'msd' ? 'msd' : 'pearson'}` : ''),
  shapeFor: (_o, nUsers, nItems) => plainShape('itemknn', nUsers, nItems),
  shapeProblem: noHiddenLayers,
  shape: (w) => plainShape('itemknn', w.nUsers, w.nItems, sizesOf(w.similarity, w.train.items.length)),
  params: (s) => [
    { name: 'settings', shape: [4], init: ZEROS },
    { name: 'mean', shape: [1], init: ZEROS },
    { name: 'user_bias', shape: [s.nUsers], init: ZEROS },
    { name: 'item_bias', shape: [s.nItems], init: ZEROS },
    ...similarityParams(s),
    ...keptParams(s, true),
  ],
  fromArrays: (s, yRange, get) => {
    const [regU, k, minK, measure] = get('settings');
    const similarity: ItemSimilarities = s.sizes.sparse
      ? { rowCounts: get('similarity_counts'), neighbours: get('similarity_items'), values: get('similarity_values') }
      : { dense: get('item_similarity') };
    return {
      kind: 'itemknn',
      nUsers: s.nUsers,
      nItems: s.nItems,
      yRange: [yRange[0], yRange[1]],
      regU,
      k,
      minK,
      measure: MEASURES[measure] ?? 'pearson_baseline',
      mean: get('mean')[0],
      userBias: get('user_bias'),
      itemBias: get('item_bias'),
      similarity,
      train: keptFromArrays(get, true),
    };
  },
  arrays: (w) => {
    const sim = w.similarity;
    const simArrays: [string, Float32Array][] =
      'dense' in sim ? [['item_similarity', sim.dense]] : [['similarity_counts', sim.rowCounts], ['similarity_items', sim.neighbours], ['similarity_values', sim.values]];
    return new Map([
      ['settings', Float32Array.of(w.regU, w.k, w.minK, MEASURES.indexOf(w.measure))],
      ['mean', Float32Array.of(w.mean)],
      ['user_bias', w.userBias],
      ['item_bias', w.itemBias],
      ...simArrays,
      ...keptArrays(w.train),
    ]);
  },
  userSize: (w) => 1 + w.nItems,
  trainedUser: (w, u) => {
    const theta = new Float64Array(1 + w.nItems).fill(NaN);
    theta[0] = w.userBias[u];
    const start = keptOffsets(w.train);
    for (let p = start[u]; p < start[u + 1]; p++) theta[1 + w.train.items[p]] = w.train.ratings![p];
    return theta;
  },
  logits: (w, theta, items, out) => scoreKnnItems(knnCore(w), userOf(theta, w.nItems), items, out),
  foldIn: (w, ratings) => {
    const theta = new Float64Array(1 + w.nItems).fill(NaN);
    theta[0] = userBiasStep(w.mean, w.itemBias, w.regU, ratings);
    for (const r of ratings) theta[1 + r.item] = r.rating;
    return theta;
  },
  userParts: (_w, theta) => ({ factors: [], bias: theta[0] }),
  userVectors: () => null,
  itemVectors: () => null,
  biases: (w) => ({ user: w.userBias, item: w.itemBias }),
  neighbours: {
    name: (w) => MEASURE_NAMES[w.measure],
    row: (w, item) => Float64Array.from(knnCore(w).sims.row(item)),
  },
};
