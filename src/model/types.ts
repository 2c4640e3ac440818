/** Plain values shared by the model layer, the CLI and the UI (no tensors here). */
import type { PickModel } from './interpret/pickAndLike.js';

/** fastai's three (SGD-trained, sigmoid_range) and the baselines every model is held against (models/). */
export type ModelKind = 'dot' | 'dotbias' | 'nn' | 'mean' | 'baseline' | 'popularity' | 'itemknn' | 'ease' | 'ials';
export type BackendChoice = 'auto' | 'node' | 'wasm' | 'cpu';
export type Schedule = 'one-cycle' | 'constant';
/** 'sgd': the model alone. 'autorec': the dotbias model blended with an I-AutoRec (see autorec.ts). */
export type Solver = 'sgd' | 'autorec';

/** The I-AutoRec stage of solver 'autorec'; the top-level options stay the dotbias part's. */
export interface AutoRecSettings {
  hidden: number;
  epochs: number;
  lr: number;
  /** Decoupled weight decay on the encoder and decoder matrices. */
  wd: number;
  /** Items per step. */
  bs: number;
  /** Weight of the AutoRec in the blend (in logit space); 1 − blend goes to the dotbias model. Ignored when `stack` is given. */
  blend: number;
  /** A U-AutoRec (users encoded, items decoded) trained after the I-AutoRec, stacked in too. */
  users?: AutoRecPart;
  /**
   * Stacking weights in logit space, fitted on a validation set: the model is
   * sigmoid_range(dotbias·z_dotbias + items·z_I-AutoRec + users·z_U-AutoRec + bias). Without it, `blend`.
   */
  stack?: StackWeights;
}

/** One AutoRec network's training settings. */
export interface AutoRecPart {
  hidden: number;
  epochs: number;
  lr: number;
  wd: number;
  bs: number;
}

export interface StackWeights {
  dotbias: number;
  items: number;
  /** 0 without a U-AutoRec. */
  users: number;
  bias: number;
}

/** BaselineOnly's ALS biases (Surprise's defaults: reg_u 15, reg_i 10, 10 epochs); also item-kNN's baseline. */
export interface BaselineSettings {
  regU: number;
  regI: number;
  epochs: number;
}

export type KnnSimilarity = 'pearson_baseline' | 'msd';

/** Item-based KNNBaseline (Koren 2010): k neighbours, shrunk Pearson-baseline similarity by default. */
export interface KnnSettings {
  k: number;
  /** Fewer positive neighbours than this: the baseline alone. */
  minK: number;
  similarity: KnnSimilarity;
  /** pearson_baseline's shrinkage (Surprise: 100). */
  shrinkage: number;
  /** Fewer common raters than this: similarity 0. */
  minSupport: number;
}

/** EASE^R's L2 weight λ. */
export interface EaseSettings {
  lambda: number;
}

/** iALS on the implicit "rated it" signal. */
export interface IalsSettings {
  factors: number;
  reg: number;
  /** Confidence of a rated cell: 1 + alpha. */
  alpha: number;
  epochs: number;
  /** Conjugate-gradient steps per vector and half-epoch. */
  cgSteps: number;
}

export interface TrainOptions {
  model: ModelKind;
  /** Factors for dot / dotbias. */
  factors: number;
  /** nn: embedding sizes; 0 = fastai's get_emb_sz rule, min(600, round(1.6 * n^0.56)). */
  userEmb: number;
  itemEmb: number;
  /** nn: hidden layer sizes. */
  layers: number[];
  epochs: number;
  lr: number;
  wd: number;
  bs: number;
  yRange: [number, number];
  schedule: Schedule;
  split: string;
  validPct: number;
  seed: number;
  backend: BackendChoice;
  /**
   * Threads training at once (dot and dotbias): above 1, stratified SGD with sparse AdamW on a shared
   * memory, reproducible for a given count but not equal to one thread's run. Absent means 1.
   */
  threads?: number;
  /** Absent means 'sgd' (and in snapshots written before solvers existed). */
  solver?: Solver;
  autorec?: AutoRecSettings;
  /**
   * Seeds averaged (dotbias): the whole run is repeated with seeds seed, seed + 1, … and the models are
   * averaged in logit space — one exact dotbias model with every member's factors. Absent means 1.
   */
  members?: number;
  /** A baseline's own settings: present only for the kinds that use them (resolveOptions keeps the rest out). */
  baseline?: BaselineSettings;
  knn?: KnnSettings;
  ease?: EaseSettings;
  ials?: IalsSettings;
  /** The 'files' split's two rating files (TRAIN, TEST), when split is 'files'. */
  splitFiles?: { train: string; test: string };
}

/** A dense layer, tfjs layout: kernel [inDim, outDim] row-major, bias [outDim]. */
export interface DenseWeights {
  inDim: number;
  outDim: number;
  kernel: Float32Array;
  bias: Float32Array;
}

/** What the weights of every kind carry besides their arrays. */
interface WeightsBase {
  nUsers: number;
  nItems: number;
  /**
   * The output's range: sigmoid_range's bounds (dot, dotbias, nn), the rating scale predictions are
   * clipped to (mean, baseline, item-kNN), the scale a new user's ratings must be on (rank-only kinds).
   */
  yRange: [number, number];
}

/** Factor tables, row-major [n, dim]. */
interface Factors {
  userDim: number;
  itemDim: number;
  userFactors: Float32Array;
  itemFactors: Float32Array;
}

/** DotProduct: r̂ = sigmoid_range(u · m). */
export interface DotWeights extends WeightsBase, Factors {
  kind: 'dot';
}

/** DotProductBias: r̂ = sigmoid_range(u · m + b_u + b_m). */
export interface DotBiasWeights extends WeightsBase, Factors {
  kind: 'dotbias';
  userBias: Float32Array;
  itemBias: Float32Array;
}

/** CollabNN: hidden layers then the 1-unit output layer; ReLU between, sigmoid_range after. */
export interface NnWeights extends WeightsBase, Factors {
  kind: 'nn';
  layers: DenseWeights[];
}

/** The global mean: every rating μ. */
export interface MeanWeights extends WeightsBase {
  kind: 'mean';
  mean: number;
}

/** BaselineOnly: r̂ = μ + b_u + b_i, clipped to the scale. */
export interface BaselineWeights extends WeightsBase {
  kind: 'baseline';
  mean: number;
  userBias: Float32Array;
  itemBias: Float32Array;
  /** reg_u: a new user's bias is the ALS user step on their ratings. */
  regU: number;
}

/** Popularity: every user's score of a movie is its training count. */
export interface PopularityWeights extends WeightsBase {
  kind: 'popularity';
  counts: Float32Array;
}

/**
 * A user's training ratings, per user (counts, then their items and ratings in user order): what the
 * kinds whose trained users *are* their ratings (item-kNN, EASE) keep with their weights.
 */
export interface TrainingRatings {
  userCounts: Float32Array;
  items: Float32Array;
  /** Absent where only which movies were rated matters (EASE). */
  ratings?: Float32Array;
}

/** Item similarities: dense [n, n], or each row's stored neighbours (counts, then index and value). */
export type ItemSimilarities =
  | { dense: Float32Array }
  | { rowCounts: Float32Array; neighbours: Float32Array; values: Float32Array };

/** Item-based KNNBaseline: the baseline biases, the similarities, and the training ratings. */
export interface ItemKnnWeights extends WeightsBase {
  kind: 'itemknn';
  mean: number;
  userBias: Float32Array;
  itemBias: Float32Array;
  regU: number;
  k: number;
  minK: number;
  /** Which similarity the neighbours were found by (what the similar-movies list is called). */
  measure: KnnSimilarity;
  similarity: ItemSimilarities;
  train: TrainingRatings;
}

/** EASE^R: the item-item matrix B [n, n] (zero diagonal) and which movies each user rated. */
export interface EaseWeights extends WeightsBase {
  kind: 'ease';
  weights: Float32Array;
  train: TrainingRatings;
}

/** iALS: user and item factors; reg and alpha fold a new user in. */
export interface IalsWeights extends WeightsBase, Factors {
  kind: 'ials';
  reg: number;
  alpha: number;
}

/** Every weight of a trained model as plain arrays; models/ has one module per kind that reads them. */
export type ModelWeights = DotWeights | DotBiasWeights | NnWeights | MeanWeights | BaselineWeights | PopularityWeights | ItemKnnWeights | EaseWeights | IalsWeights;

/** What a model knows about its users and items, so everything downstream speaks titles. */
export interface Vocab {
  userIds: string[];
  itemIds: string[];
  titles: string[];
  years: (number | null)[];
  genres: string[][];
  itemCount: number[];
  itemMean: number[];
  userCount: number[];
  userMean: number[];
  /** The data's rating scale (min, max, step); absent in snapshots written before it was kept. */
  scale?: { min: number; max: number; step: number };
}

export interface EpochRow {
  epoch: number;
  trainLoss: number;
  validLoss: number;
  validRmse: number;
  validMae: number;
  seconds: number;
}

/**
 * Where a trainer keeps the parameters: 'tfjs-wasm', tf.Variables updated in place; 'own', the engine's
 * memory (other backends); 'shared', a memory shared by the training threads. Only 'tfjs-wasm' leaves the
 * weights in tfjs; the others hand them over at the end.
 */
export type WeightsHome = 'tfjs-wasm' | 'own' | 'shared';

export type StopReason = 'completed' | 'cancelled' | 'diverged';

export type TrainEvent =
  | {
      type: 'start';
      backend: string;
      weightsIn: WeightsHome;
      /** Threads training at once (absent: 1). */
      threads?: number;
      epochs: number;
      batchesPerEpoch: number;
      nParams: number;
    }
  | { type: 'batch'; epoch: number; batch: number; batchesPerEpoch: number; loss: number; lr: number; elapsed: number }
  | { type: 'epoch'; row: EpochRow }
  | { type: 'done'; reason: StopReason; message: string; epochs: EpochRow[]; seconds: number }
  | { type: 'error'; message: string };

/** Everything a finished (or cancelled) training run hands on: weights, vocabulary and history. */
export interface TrainResult {
  weights: ModelWeights;
  vocab: Vocab;
  options: TrainOptions;
  epochs: EpochRow[];
  /** Per-batch training loss, in order, for redrawing the chart. */
  batchLosses: number[];
  backend: string;
  reason: StopReason;
  message: string;
  seconds: number;
  /**
   * The implicit half of the new-user ranking (interpret/pickAndLike.ts), fitted on the same training
   * ratings; absent for runs made before it existed, or where it was not fitted.
   */
  pick?: PickModel;
  /** Dataset identity and split, for snapshots and warnings. */
  dataset: { name: string; nRatings: number; nUsers: number; nItems: number; hash: string };
  split: string;
}
