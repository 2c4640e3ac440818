/**
 * What a model kind is: one module per kind (dot.ts, dotbias.ts, nn.ts and the baselines) declares its
 * parameters, its forward pass and what its output means, how a user is represented (θ) and folded in,
 * and what it can show. Everything else — the trainer, evaluation, fold-in, recommendations, snapshots,
 * the panes — asks the kind (models/index.ts) instead of branching on its name.
 */
import type { ModelKind, ModelWeights, TrainOptions } from '../types.js';

/** What a model of this kind can show, so panes and commands ask instead of testing its name. */
export interface KindShows {
  /** It predicts ratings: RMSE/MAE mean something (not for the rank-only kinds). */
  ratings: boolean;
  /** Its scores order the movies for a user (not the global mean: every movie scores μ). */
  ranking: boolean;
  /** Per-movie and per-user biases (the Bias pane, `bias`). */
  biases: boolean;
  /** Movie factor vectors: PCA, cosine similarity, the Projector export. */
  factors: boolean;
  /** Its own similar movies (item-kNN's similarities), used instead of factor cosine. */
  neighbours: boolean;
  /** Cosine similarity of its movie vectors mostly measures how well liked a movie is (nn). */
  popularityInFactors: boolean;
}

/**
 * How a logit becomes the model's output: 'sigmoid-range' squashes it into yRange (fastai's models);
 * 'rating' is a rating already, clipped to the scale (yRange); 'rank' is a score that only orders movies.
 */
export type KindOutput = 'sigmoid-range' | 'rating' | 'rank';

/** The model's size, without its arrays: enough to allocate, save and check one. */
export interface ModelShape {
  kind: ModelKind;
  nUsers: number;
  nItems: number;
  userDim: number;
  itemDim: number;
  /** nn: the hidden layers' sizes (the 1-unit output layer follows); [] otherwise. */
  hidden: number[];
  /** Other sizes a kind's arrays need (training ratings kept, stored neighbours); {} for most. */
  sizes: Record<string, number>;
}

/** How a parameter starts before training. */
export type ParamInit = { normal: number } | { uniformFanIn: number } | { zeros: true };

/** One named parameter array (tfjs names, the order snapshots store them in). */
export interface ParamDecl {
  name: string;
  shape: number[];
  init: ParamInit;
}

/** A new user's rating of a movie (by index), as fold-in takes them. */
export interface RatedIndex {
  item: number;
  rating: number;
}

export interface ModelKindSpec<W extends ModelWeights = ModelWeights> {
  readonly kind: W['kind'];
  /** fastai's (or the literature's) name for it. */
  readonly className: string;
  readonly output: KindOutput;
  readonly shows: KindShows;
  /** The training options that shape this kind (its size, its own settings object). */
  readonly optionKeys: readonly (keyof TrainOptions)[];
  /** Whether its training kernel also runs on several threads (engine/strata.ts: the embedding kinds). */
  readonly threaded: boolean;
  /** The trainer's options it is fitted with (epochs, lr, … for the SGD kinds; none for closed forms). */
  readonly trainerKeys: readonly (keyof TrainOptions)[];
  /**
   * What lr-find's valley was measured to be worth for this kind on ML-100K against the default lr
   * (train/lrFindNote.ts has the runs); absent: never measured.
   */
  readonly lrFind?: { note: string; trainsWorse: boolean };
  /** The work of one rating in a training step, relative between shapes of this kind (default: its user factors). */
  stepCost?(s: ModelShape): number;
  /** Its size in a few characters: "50f" (dot, dotbias), "74+102 [100]" (nn embeddings and hidden layers). */
  label(s: ModelShape): string;
  /** The shape part of a snapshot name from the options alone: "50f", "100-50"; '' when it has none. */
  slug(o: TrainOptions): string;
  /** The model these options train on nUsers × nItems. */
  shapeFor(o: TrainOptions, nUsers: number, nItems: number): ModelShape;
  /** What makes a shape unusable for this kind, or null. */
  shapeProblem(s: ModelShape): string | null;
  shape(w: W): ModelShape;
  /** The parameters of a model of this shape, in file order. */
  params(s: ModelShape): ParamDecl[];
  /**
   * Weights over arrays fetched by name (views or copies: `get` decides). The arrays hold everything the
   * kind predicts with, its few settings too (a kNN's k): a weights file alone makes the model.
   */
  fromArrays(s: ModelShape, yRange: [number, number], get: (name: string) => Float32Array): W;
  /** The arrays of `params(shape(w))`, by name. */
  arrays(w: W): Map<string, Float32Array>;

  /** Length of a user's parameter vector θ. */
  userSize(w: W): number;
  /** A trained user's θ. */
  trainedUser(w: W, user: number): Float64Array;
  /**
   * The forward pass: the logits of `items` for a user θ (the output maps them: see KindOutput), and —
   * for the kinds fold-in solves by Gauss-Newton — with `jacobian` the rows d logit/dθ (row-major
   * [items.length, userSize]). Every prediction in factorlens goes through this; the training kernels
   * are tested against it.
   */
  logits(w: W, theta: ArrayLike<number>, items: ArrayLike<number>, out: Float32Array | Float64Array, jacobian?: Float64Array): void;
  /**
   * A new user's θ from their ratings (checked: known movies, once each, on the scale), when the kind
   * has its own way (a closed form, their ratings themselves); absent: fold-in's MAP Gauss-Newton.
   * With no ratings it is the kind's average user.
   */
  foldIn?(w: W, ratings: readonly RatedIndex[]): Float64Array;

  /** A user θ read back as its factor vector and bias (empty / null when the kind has none). */
  userParts(w: W, theta: ArrayLike<number>): { factors: number[]; bias: number | null };
  /** The user factor table [nUsers, dim] (the kinds that look users up by embedding), else null. */
  userVectors(w: W): { dim: number; values: Float32Array } | null;
  /** Movie vectors [nItems, dim] (when shows.factors). */
  itemVectors(w: W): { dim: number; values: Float32Array } | null;
  /** Biases (when shows.biases). */
  biases(w: W): { user: Float32Array; item: Float32Array } | null;

  /**
   * The same model seen from its movies: users and movies swapped, predicting exactly what w predicts
   * for every (user, movie). A movie's parameters φ are then a "user" θ of it, so a new movie is folded
   * in the way a new user is (interpret/foldin.ts on the transposed weights). Absent: the kind has no
   * per-movie parameters to start a new movie from.
   */
  transposed?(w: W): W;
  /** These weights with movies appended, each given by its φ (trainedUser of transposed(w)). */
  withItems?(w: W, items: readonly ArrayLike<number>[]): W;
  /** Its own movie similarities (when shows.neighbours): what they are, and one movie's to every movie. */
  readonly neighbours?: {
    /** What the similarity is ("shrunk Pearson correlation of …"), for the lists' headings. */
    name(w: W): string;
    row(w: W, item: number): Float64Array;
  };
}
