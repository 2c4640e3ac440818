/**
 * The solvers of the baseline kinds, in the training loop's shape: a fit that is not SGD (ALS epochs, a
 * closed form, similarity rows) cut into steps, so the loop reports progress, honours a cancel between
 * steps and validates after each epoch like any run. The loop's lr schedule means nothing to them.
 * Each step returns a training loss where the fit has one (the baselines' training MSE, iALS's error on
 * the rated cells), 0 where it has none (popularity, EASE).
 */
import type { Columns } from '../../evaluate/metrics.js';
import type { Rng } from '../../engine/random.js';
import { modelKind } from '../../models/index.js';
import { predictRows } from '../../models/forward.js';
import { alsEpoch, BASELINE_DEFAULTS, baselineTrainMse } from '../../models/baselines/baselineOnly.js';
import { EaseFit, EASE_DEFAULTS } from '../../models/baselines/ease.js';
import { IalsFit, IALS_DEFAULTS } from '../../models/baselines/ials.js';
import { keepRatings, keptSize } from '../../models/baselines/kept.js';
import { KNN_DEFAULTS } from '../../models/baselines/knnBaseline.js';
import { ratingMatrix, type RatingMatrix } from '../../models/baselines/ratings.js';
import { SimilarityBuilder, type SimilaritySides } from '../../models/baselines/similarity.js';
import type { ModelKind, ModelWeights, TrainOptions } from '../../types.js';
import type { Solver } from './solver.js';

/** What every closed-form solver shares: its weights are rebuilt from its state; keep/restore hold a copy. */
interface Fit {
  steps: number;
  nParams: number;
  step(s: number): number;
  /** The model as it stands (its arrays copied, so later steps cannot change it). */
  arrays(): Map<string, Float32Array>;
  sizes(): Record<string, number>;
  epochLoss?(): number;
}

function fitSolver(kind: ModelKind, nUsers: number, nItems: number, yRange: [number, number], fit: Fit): Solver {
  const spec = modelKind(kind);
  const build = (arrays: Map<string, Float32Array>, sizes: Record<string, number>): ModelWeights => {
    const shape = { kind, nUsers, nItems, userDim: 0, itemDim: 0, hidden: [], sizes };
    // iALS has factor tables: their size is in the arrays it hands over
    const factors = arrays.get('user_factors');
    if (factors) shape.userDim = shape.itemDim = factors.length / Math.max(1, nUsers);
    return spec.fromArrays(shape, yRange, (name) => arrays.get(name)!) as ModelWeights;
  };
  const current = () => build(fit.arrays(), fit.sizes());
  // a cancel before the first epoch ends keeps the untrained model, like an SGD run's epoch 0
  let kept = current();
  let restored = false;
  return {
    steps: fit.steps,
    nParams: fit.nParams,
    weightsIn: 'own',
    threads: 1,
    beginEpoch() {},
    step: (s) => fit.step(s),
    ...(fit.epochLoss ? { epochLoss: fit.epochLoss } : {}),
    predict: (valid) => predictRows(current(), valid),
    keep: () => {
      kept = current();
      restored = false;
    },
    restore: () => {
      restored = true;
    },
    weights: () => (restored ? kept : current()),
    dispose() {},
  };
}

const scalar = (x: number) => Float32Array.of(x);

function matrixOf(train: Columns, nUsers: number, nItems: number): RatingMatrix {
  return ratingMatrix(train, nUsers, nItems);
}

export function meanSolver(_o: TrainOptions, nUsers: number, nItems: number, train: Columns, _rng: Rng, yRange: [number, number]): Solver {
  const m = matrixOf(train, nUsers, nItems);
  let mean = 0;
  let fitted = false;
  return fitSolver('mean', nUsers, nItems, yRange, {
    steps: 1,
    nParams: 1,
    step: () => {
      mean = m.mean;
      fitted = true;
      let se = 0;
      for (let k = 0; k < m.nRatings; k++) se += (m.userRatings[k] - mean) ** 2;
      return m.nRatings ? se / m.nRatings : 0;
    },
    arrays: () => new Map([['mean', scalar(fitted ? mean : (yRange[0] + yRange[1]) / 2)]]),
    sizes: () => ({}),
  });
}

export function popularitySolver(_o: TrainOptions, nUsers: number, nItems: number, train: Columns, _rng: Rng, yRange: [number, number]): Solver {
  const counts = new Float32Array(nItems);
  return fitSolver('popularity', nUsers, nItems, yRange, {
    steps: 1,
    nParams: nItems,
    step: () => {
      counts.fill(0);
      for (let r = 0; r < train.items.length; r++) counts[train.items[r]]++;
      return 0;
    },
    arrays: () => new Map([['item_count', counts.slice()]]),
    sizes: () => ({}),
  });
}

/** BaselineOnly: one ALS epoch (items, then users) per loop epoch. */
export function baselineSolver(o: TrainOptions, nUsers: number, nItems: number, train: Columns, _rng: Rng, yRange: [number, number]): Solver {
  const b = o.baseline ?? BASELINE_DEFAULTS;
  const m = matrixOf(train, nUsers, nItems);
  const bu = new Float64Array(nUsers);
  const bi = new Float64Array(nItems);
  return fitSolver('baseline', nUsers, nItems, yRange, {
    steps: 1,
    nParams: nUsers + nItems + 1,
    step: () => {
      alsEpoch(m, b, bu, bi);
      return baselineTrainMse(m, bu, bi);
    },
    arrays: () =>
      new Map([
        ['settings', scalar(b.regU)],
        ['mean', scalar(m.mean)],
        ['user_bias', Float32Array.from(bu)],
        ['item_bias', Float32Array.from(bi)],
      ]),
    sizes: () => ({}),
  });
}

/** Similarity rows per step of item-kNN's one epoch (~50 steps whatever the catalogue). */
const KNN_STEPS = 50;

/** Item-kNN: the baseline's ALS epochs as the first step, then the similarity rows in slices; one epoch. */
export function itemKnnSolver(o: TrainOptions, nUsers: number, nItems: number, train: Columns, _rng: Rng, yRange: [number, number]): Solver {
  const b = o.baseline ?? BASELINE_DEFAULTS;
  const k = o.knn ?? { k: KNN_DEFAULTS.k, minK: KNN_DEFAULTS.minK, similarity: KNN_DEFAULTS.similarity, shrinkage: KNN_DEFAULTS.shrinkage, minSupport: KNN_DEFAULTS.minSupport };
  const m = matrixOf(train, nUsers, nItems);
  const kept = keepRatings(m, true);
  const bu = new Float64Array(nUsers);
  const bi = new Float64Array(nItems);
  const slices = Math.max(1, Math.min(KNN_STEPS, nItems));
  let trainMse = 0;
  let builder: SimilarityBuilder | null = null;
  let done = 0;
  return fitSolver('itemknn', nUsers, nItems, yRange, {
    steps: 1 + slices,
    nParams: nUsers + nItems + 1 + nItems * nItems,
    step: (s) => {
      if (s === 0) {
        bu.fill(0);
        for (let e = 0; e < b.epochs; e++) alsEpoch(m, b, bu, bi);
        trainMse = baselineTrainMse(m, bu, bi);
        builder = new SimilarityBuilder(itemSides(m, k.similarity, bu, bi), { name: k.similarity, shrinkage: k.shrinkage, minSupport: k.minSupport });
        done = 0;
        return trainMse;
      }
      const to = Math.floor((s * nItems) / slices);
      builder!.rows(done, to);
      done = to;
      return trainMse;
    },
    arrays: () => {
      const sims = (builder ?? new SimilarityBuilder(itemSides(m, k.similarity, bu, bi), { name: k.similarity, shrinkage: k.shrinkage, minSupport: k.minSupport })).finish();
      const simArrays: [string, Float32Array][] = sims.sparse
        ? [
            ['similarity_counts', Float32Array.from({ length: nItems }, (_, i) => sims.sparse!.start[i + 1] - sims.sparse!.start[i])],
            ['similarity_items', Float32Array.from(sims.sparse.idx)],
            ['similarity_values', sims.sparse.val.slice()],
          ]
        : [['item_similarity', sims.dense!.slice()]];
      return new Map([
        ['settings', Float32Array.of(b.regU, k.k, k.minK, k.similarity === 'msd' ? 1 : 0)],
        ['mean', scalar(m.mean)],
        ['user_bias', Float32Array.from(bu)],
        ['item_bias', Float32Array.from(bi)],
        ...simArrays,
        ['train_user_counts', kept.userCounts],
        ['train_items', kept.items],
        ['train_ratings', kept.ratings!],
      ]);
    },
    sizes: () => {
      const sims = builder?.finish();
      return sims?.sparse ? { ...keptSize(kept), sparse: 1, neighbours: sims.sparse.idx.length } : { ...keptSize(kept), sparse: 0, neighbours: 0 };
    },
  });
}

/** Items as the rows compared, users as the columns; each rating's value its baseline residual (pearson_baseline) or itself (msd). */
function itemSides(m: RatingMatrix, similarity: string, bu: Float64Array, bi: Float64Array): SimilaritySides {
  const residual = similarity === 'pearson_baseline';
  const byUser = new Float32Array(m.nRatings);
  for (let u = 0; u < m.nUsers; u++) {
    for (let p = m.userStart[u]; p < m.userStart[u + 1]; p++) byUser[p] = residual ? m.userRatings[p] - m.mean - bu[u] - bi[m.userItems[p]] : m.userRatings[p];
  }
  const byItem = new Float32Array(m.nRatings);
  for (let i = 0; i < m.nItems; i++) {
    for (let p = m.itemStart[i]; p < m.itemStart[i + 1]; p++) byItem[p] = residual ? m.itemRatings[p] - m.mean - bu[m.itemUsers[p]] - bi[i] : m.itemRatings[p];
  }
  return { nRows: m.nItems, rowStart: m.itemStart, rowCols: m.itemUsers, rowValues: byItem, colStart: m.userStart, colRows: m.userItems, colValues: byUser };
}

/** EASE^R: XᵀX + λI, the inverse's phases in slices, then B; one epoch. */
export function easeSolver(o: TrainOptions, nUsers: number, nItems: number, train: Columns, _rng: Rng, yRange: [number, number]): Solver {
  const m = matrixOf(train, nUsers, nItems);
  const kept = keepRatings(m, false);
  const fit = new EaseFit(m, o.ease ?? EASE_DEFAULTS);
  return fitSolver('ease', nUsers, nItems, yRange, {
    steps: fit.steps,
    nParams: nItems * nItems,
    step: (s) => {
      fit.step(s);
      return 0;
    },
    arrays: () => new Map([['ease_weights', fit.model().weights.slice()], ['train_user_counts', kept.userCounts], ['train_items', kept.items]]),
    sizes: () => keptSize(kept),
  });
}

/** iALS: each loop epoch is one ALS epoch, its users' and items' half-steps in slices. */
export function ialsSolver(o: TrainOptions, nUsers: number, nItems: number, train: Columns, _rng: Rng, yRange: [number, number]): Solver {
  const s = o.ials ?? IALS_DEFAULTS;
  const m = matrixOf(train, nUsers, nItems);
  const fit = new IalsFit(m, { ...s, seed: o.seed });
  return fitSolver('ials', nUsers, nItems, yRange, {
    steps: fit.stepsPerEpoch,
    nParams: (nUsers + nItems) * s.factors,
    step: (k) => fit.step(k),
    arrays: () =>
      new Map([
        ['settings', Float32Array.of(s.reg, s.alpha)],
        ['user_factors', fit.userFactors.slice()],
        ['item_factors', fit.itemFactors.slice()],
      ]),
    sizes: () => ({}),
  });
}
