/** What lr-find's suggestion is worth on each model kind (kept apart from lrFind.ts so the app can show it without loading tfjs; the notes live with the kinds). */
import { modelKind } from '../models/index.js';
import type { ModelKind } from '../types.js';

/**
 * Measured on ML-100K (5 epochs, bs 64, wd 0.1, one-cycle, seed 42; valid RMSE of the last epoch),
 * training with lr-find's valley against the recipe's lr 5e-3:
 *   dotbias  random split  valley 2.3e-2 → 0.9202   5e-3 → 0.9038
 *            u1            valley 1.5e-2 → 0.9301   5e-3 → 0.9156
 *   dot      u1            valley 1.3e-2 → 0.9378   5e-3 → 0.9261
 *            random split  valley 2.3e-4 → 1.1065   5e-3 → 0.9108
 *   nn       random split  valley 3.0e-3 → 0.9269   5e-3 → 0.9262
 *            u1            valley 5.8e-3 → 0.9410   5e-3 → 0.9418
 * No fixed fraction of the valley did better on every case (valley/5 won on dotbias u1 and lost on
 * u2; on dot it is off by 20×): 200 batches touch a sixth of the ratings, and embeddings barely move
 * in that, so the curve is flat noise until the loss explodes near lr 0.3.
 */
export function lrFindNote(kind: ModelKind): string {
  return modelKind(kind).lrFind?.note ?? `lr-find's valley has not been measured against the default lr for ${kind}`;
}

/** Whether the valley was measured to train this kind worse than the default lr. */
export function lrFindTrainsWorse(kind: ModelKind): boolean {
  return modelKind(kind).lrFind?.trainsWorse ?? false;
}

/** Said once for every kind: why the curve is mostly flat here. */
export const LR_FIND_CAVEAT =
  'the finder reads 200 batches of training loss, and embeddings barely move in that: the curve is flat noise until the loss explodes, and its suggestion is a guess';
