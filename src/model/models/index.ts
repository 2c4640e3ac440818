/**
 * The model kinds, by name. To add one: write its module (see kind.ts for what it declares), list it
 * here, add its name to ModelKind and its weights to ModelWeights (types.ts), and give the trainer a
 * solver for it (train/solvers.ts). Nothing else branches on the kind.
 */
import { ModelError } from '../errors.js';
import type { ModelKind, ModelWeights } from '../types.js';
import { dot } from './dot.js';
import { dotbias } from './dotbias.js';
import type { ModelKindSpec } from './kind.js';
import { nn } from './nn.js';

const KINDS: { [K in ModelKind]: ModelKindSpec<Extract<ModelWeights, { kind: K }>> } = { dot, dotbias, nn };

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

export type { KindShows, ModelKindSpec, ModelShape, ParamDecl, ParamInit } from './kind.js';
