/**
 * The model layer's door for the CLI: training, evaluation, interpretation, snapshots and the backend.
 * (The app reaches the same things through runtime/session.ts, behind src/ui/services.ts.)
 */
export * from './catalog.js';
export type * from './types.js';
export { ModelError } from './errors.js';
export { epochsPerMember, kindOf, modelKind, runLabel, runName, type KindShows, type ModelKindSpec, type ModelShape } from './models/index.js';
export { predictRows, scoreItems } from './models/forward.js';
export { trainModel, optionsFor, outputRange, splitOf, splitsOf, type TrainHooks } from './train/train.js';
export { runLeaderboard, type LeaderboardEvent, type LeaderboardRequest, type LeaderboardRow, type Aggregate } from './leaderboard/run.js';
export { leaderboardCacheDir } from './leaderboard/cache.js';
export { leaderboardEntry } from './leaderboard/entries.js';
export type { Metrics as LeaderboardMetrics, SplitScores } from './leaderboard/evaluate.js';
export { meanSd, type MeanSd } from './evaluate/folds.js';
export { lrFind } from './train/lrFind.js';
export { anyPresetOptions, readUserPresets, removeUserPreset, saveUserPreset, userPresetsFile, validatePresetName, type UserPreset } from './train/userPresets.js';
export { averageDotbias } from './train/ensemble.js';
export { tuneModel, TUNE_DEFAULTS, type TuneEvent, type TuneOptions, type TuneResult, type TrialRow } from './tune/tune.js';
export { candidateNames, candidatesFor } from './tune/space.js';
export { workerPool, inProcessPool, type TunePool } from './runtime/tunePool.js';
export { defaultKernel } from './engine/optimizer.js';
export { initBackend } from './runtime/backend.js';
export { evaluateWeights, evaluateWeightsWithIntervals, regressionMetrics, selectRows, withIntervals, type Columns, type Metrics, type MetricsWithIntervals } from './evaluate/metrics.js';
export {
  BOOTSTRAP_DEFAULTS,
  errorsByUser,
  meanInterval,
  pairedDifferenceInterval,
  pairedRmseDifference,
  pairedRatioInterval,
  ratioOfSumsInterval,
  regressionIntervals,
  resampleUsers,
  type BootstrapOptions,
  type Interval,
  type UserErrors,
} from './evaluate/bootstrap.js';
export { rankingMetrics, rankingFromScorer, rankingUserCapFor, rankScorer, type RankingIntervals, type RankingMetrics, type RankingSummary } from './evaluate/ranking.js';
export { KeptModels } from './runtime/keptModel.js';
export { compareRuns, type Comparison, type RunInput } from './evaluate/compare.js';
export { newUserBenchmark, NEW_USER_DEFAULTS, NEW_USER_METHODS, type NewUserReport, type NewUserOptions, type RevealMode, type UserRole } from './evaluate/newUsers.js';
export { newMovieBenchmark, NEW_MOVIE_DEFAULTS, NEW_MOVIE_METHODS, type NewMovieBenchReport, type NewMovieOptions } from './evaluate/newMovies.js';
export { checkSimulationOptions, diversify, MITIGATIONS, simulate, SIMULATION_DEFAULTS, type Mitigation, type RoundStats, type SimulationHooks, type SimulationOptions, type SimulationRanking, type SimulationReport } from './evaluate/simulate.js';
export * from './interpret/index.js';
export * from './coldstart/index.js';
export { oneHotVsLookup, type OneHotReport } from './interpret/onehot.js';
export { writeProjectorFiles } from './interpret/projector.js';
export * from './snapshot/index.js';
export { factorlensVersion } from './snapshot/manifest.js';
