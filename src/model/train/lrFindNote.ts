/** A caveat shown with every lr-find result (kept apart from lrFind.ts so the app's UI can show it without loading tfjs). */

/**
 * What the suggestion is worth here (measured): lr-find reads the training loss of one short run, and
 * these embedding models overfit sooner at high rates. On ML-100K u1 the valley (1.4e-2) and min/10
 * (1.2e-2) train dotbias to RMSE 0.930 / 0.931, the recipe's 5e-3 to 0.916.
 */
export const LR_FIND_CAVEAT =
  "the finder sees training loss only: for embedding models take the valley as an upper bound (ML-100K u1: valley 1.4e-2 → RMSE 0.930, the recipe's 5e-3 → 0.916)";
