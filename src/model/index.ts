/**
 * The model layer's door for the CLI: training, evaluation, interpretation, snapshots and the backend.
 * (The app reaches the same things through runtime/session.ts, behind src/ui/services.ts.)
 */
export * from './catalog.js';
export type * from './types.js';
export { ModelError } from './errors.js';
export { kindOf, modelKind, runLabel, runName, type KindShows, type ModelKindSpec, type ModelShape } from './models/index.js';
export { predictRows, scoreItems } from './models/forward.js';
export { trainModel, optionsFor, outputRange, splitOf, splitsOf, type TrainHooks } from './train/train.js';
export { runLeaderboard, type LeaderboardEvent, type LeaderboardRequest, type LeaderboardRow, type Aggregate } from './leaderboard/run.js';
export { leaderboardCacheDir } from './leaderboard/cache.js';
export { leaderboardEntry } from './leaderboard/entries.js';
export type { Metrics as LeaderboardMetrics, SplitScores } from './leaderboard/evaluate.js';
export { meanSd, type MeanSd } from './evaluate/folds.js';
export { lrFind } from './train/lrFind.js';
export { defaultKernel } from './engine/optimizer.js';
export { initBackend } from './runtime/backend.js';
export { KeptModels } from './runtime/keptModel.js';
export { evaluateWeights, regressionMetrics, selectRows, type Columns, type Metrics } from './evaluate/metrics.js';
export { rankingMetrics, rankingUserCapFor, type RankingMetrics, type RankingSummary } from './evaluate/ranking.js';
export { compareRuns, type Comparison, type RunInput } from './evaluate/compare.js';
export { newUserBenchmark, NEW_USER_DEFAULTS, NEW_USER_METHODS, type NewUserReport, type NewUserOptions, type RevealMode, type UserRole } from './evaluate/newUsers.js';
export * from './interpret/index.js';
export { oneHotVsLookup, type OneHotReport } from './interpret/onehot.js';
export { writeProjectorFiles } from './interpret/projector.js';
export * from './snapshot/index.js';
export { factorlensVersion } from './snapshot/manifest.js';
