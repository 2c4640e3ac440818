/**
 * The model kinds, by name. To add one: write its module (see kind.ts for what it declares), list it
 * here, add its name to ModelKind and its weights to ModelWeights (types.ts), and give the trainer a
 * solver for it (train/solvers/index.ts). Nothing else branches on the kind.
 */
import { ModelError } from '../errors.js';
import type { ModelKind, ModelWeights, TrainOptions } from '../types.js';
import { baseline } from './baseline.js';
import { dot } from './dot.js';
import { dotbias } from './dotbias.js';
import { ease } from './ease.js';
import { ials } from './ials.js';
import { itemknn } from './itemknn.js';
import type { ModelKindSpec } from './kind.js';
import { mean } from './mean.js';
import { nn } from './nn.js';
import { popularity } from './popularity.js';

const KINDS: { [K in ModelKind]: ModelKindSpec<Extract<ModelWeights, { kind: K }>> } = { dot, dotbias, nn, mean, baseline, popularity, itemknn, ease, ials };

export const MODEL_KINDS = Object.keys(KINDS) as ModelKind[];

/** The kind of these weights (every kind's functions take the weights of their own kind). */
export function kindOf(w: ModelWeights): ModelKindSpec {
  return modelKind(w.kind);
}

export function modelKind(kind: ModelKind): ModelKindSpec {
  const k = KINDS[kind] as ModelKindSpec | undefined;
  if (!k) throw new ModelError(`unknown model "${kind}": choose one of ${MODEL_KINDS.join(', ')}`);
  return k;
}

export type { KindOutput, KindShows, ModelKindSpec, ModelShape, ParamDecl, ParamInit, RatedIndex } from './kind.js';

/**
 * A run's epochs as a person counts them: per member for an averaged ensemble (its epoch table holds
 * the members' tables one after another), else the epochs trained.
 */
export function epochsPerMember(options: Pick<TrainOptions, 'members'>, recorded: number): number {
  const k = options.members ?? 1;
  return k > 1 ? Math.round(recorded / k) : recorded;
}

/**
 * A trained model in a few words: "dotbias 50f 5ep", "nn 74+102 [100] 5ep", "dotbias 50f+autorec 45ep",
 * "dotbias 50f ×2 5ep" (two members of 50 factors averaged, 5 epochs each — not the 100 factors and 10
 * epochs the averaged weights and the joined epoch table hold), "mean μ". `epochs`: the run's recorded epochs.
 */
export function runLabel(w: ModelWeights, options: TrainOptions, epochs: number): string {
  const kind = kindOf(w);
  const members = options.members ?? 1;
  const size = options.solver === 'autorec' ? `${kind.slug(options)}+autorec` : members > 1 ? `${kind.slug(options)} ×${members}` : kind.label(kind.shape(w));
  // epochs only where the kind trains in epochs (a closed-form baseline is fitted once)
  return [w.kind, size, kind.trainerKeys.includes('epochs') ? `${epochsPerMember(options, epochs)}ep` : ''].filter(Boolean).join(' ');
}

/** The snapshot name a run is offered under: "dotbias-50f-5ep", "nn-100-50-3ep", "dotbias-50f-autorec-45ep", "dotbias-50f-x2-5ep", "mean-1ep". `epochs`: per member. */
export function runName(options: TrainOptions, epochs: number): string {
  const slug = modelKind(options.model).slug(options);
  const members = (options.members ?? 1) > 1 ? `x${options.members}` : '';
  return [options.model, slug, options.solver === 'autorec' ? 'autorec' : '', members, `${epochs}ep`].filter(Boolean).join('-');
}
