/**
 * What a model kind is: one module per kind (dot.ts, dotbias.ts, nn.ts) declares its parameters, its
 * forward pass, how a user is represented for fold-in, and what it can show. Everything else — the
 * trainer, evaluation, fold-in, recommendations, snapshots, the panes — asks the kind (models/index.ts)
 * instead of branching on its name.
 */
import type { ModelKind, ModelWeights, TrainOptions } from '../types.js';

/** What a model of this kind can show, so panes and commands ask instead of testing its name. */
export interface KindShows {
  /** Per-movie and per-user biases (the Bias pane, `bias`). */
  biases: boolean;
  /** Movie factor vectors: PCA, similar movies, the Projector export. */
  factors: boolean;
  /** Cosine similarity of its movie vectors mostly measures how well liked a movie is (nn). */
  popularityInFactors: boolean;
}

/** The model's size, without its arrays: enough to allocate, save and check one. */
export interface ModelShape {
  kind: ModelKind;
  nUsers: number;
  nItems: number;
  userDim: number;
  itemDim: number;
  /** nn: the hidden layers' sizes (the 1-unit output layer follows); [] otherwise. */
  hidden: number[];
}

/** How a parameter starts before training. */
export type ParamInit = { normal: number } | { uniformFanIn: number };

/** One named parameter array (tfjs names, the order snapshots store them in). */
export interface ParamDecl {
  name: string;
  shape: number[];
  init: ParamInit;
}

export interface ModelKindSpec<W extends ModelWeights = ModelWeights> {
  readonly kind: W['kind'];
  /** fastai's name for it. */
  readonly className: string;
  readonly shows: KindShows;
  /** The training options that shape this kind (the rest are the trainer's). */
  readonly optionKeys: readonly (keyof TrainOptions)[];
  /** Whether its training kernel also runs on several threads (engine/strata.ts: the embedding kinds). */
  readonly threaded: boolean;
  /** Its size in a few characters: "50f" (dot, dotbias), "74+102 [100]" (nn embeddings and hidden layers). */
  label(s: ModelShape): string;
  /** The shape part of a snapshot name from the options alone: "50f", "100-50". */
  slug(o: TrainOptions): string;
  /** The model these options train on nUsers × nItems. */
  shapeFor(o: TrainOptions, nUsers: number, nItems: number): ModelShape;
  /** What makes a shape unusable for this kind, or null. */
  shapeProblem(s: ModelShape): string | null;
  shape(w: W): ModelShape;
  /** The parameters of a model of this shape, in file order. */
  params(s: ModelShape): ParamDecl[];
  /** Weights over arrays fetched by name (views or copies: `get` decides). */
  fromArrays(s: ModelShape, yRange: [number, number], get: (name: string) => Float32Array): W;
  /** The arrays of `params(shape(w))`, by name. */
  arrays(w: W): Map<string, Float32Array>;

  /** Length of a user's parameter vector θ (what fold-in solves for). */
  userSize(w: W): number;
  /** A trained user's θ. */
  trainedUser(w: W, user: number): Float64Array;
  /**
   * The forward pass: the logits of `items` for a user θ (a rating is sigmoid_range of a logit), and with
   * `jacobian` the rows d logit/dθ (row-major [items.length, userSize]) that fold-in's solver needs.
   * Every prediction in factorlens goes through this; the training kernels are tested against it.
   */
  logits(w: W, theta: ArrayLike<number>, items: ArrayLike<number>, out: Float32Array | Float64Array, jacobian?: Float64Array): void;

  /** A user θ read back as its factor vector and bias (null when the kind has none). */
  userParts(w: W, theta: ArrayLike<number>): { factors: number[]; bias: number | null };
  /** Movie vectors [nItems, dim] (when shows.factors). */
  itemVectors(w: W): { dim: number; values: Float32Array } | null;
  /** Biases (when shows.biases). */
  biases(w: W): { user: Float32Array; item: Float32Array } | null;
}
