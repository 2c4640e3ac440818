/**
 * The only door between the UI and the rest of factorlens: plain values in, events out.
 * src/model/runtime/session.ts implements it (tfjs, a training worker); the UI never sees a tensor.
 * Every method that can fail throws an Error whose message is meant for the user as-is.
 */
import type { AutoRecSettings, EpochRow, ModelKind, TrainEvent, TrainOptions, KindShows, Comparison, RunInput, OneHotReport, RankingSummary, Preset, PresetName, LeaderboardRow, TrialRow, TuneEvent, TuneResult } from '../model/index.js';
import type { Catalogue, ProfileRating } from '../data/index.js';
import type { Answer as TasteAnswer, Mitigation, RoundStats as SimulationRound, SimulationOptions, SimulationRanking, SimulationReport } from '../model/index.js';

export type { AutoRecSettings, EpochRow, ModelKind, TrainEvent, TrainOptions, KindShows, Comparison, OneHotReport, Preset, PresetName, RankingSummary, TrialRow };
export type { Aggregate, LeaderboardRow, MeanSd, MetricKey } from '../model/index.js';
// What the trainer offers (defaults, presets, validation, notes, the leaderboard's columns): plain values, no tensors
export { checkYRange, DEFAULT_AUTOREC, DEFAULT_TRAIN_OPTIONS, defaultOptionsFor, LARGE_DATA_RATINGS, kindUsesOption, LR_FIND_CAVEAT, lrFindNote, lrFindTrainsWorse, MODEL_KINDS, PRESETS, PRESET_NAMES, resolveOptions, TUNE_CANDIDATES, withoutWeightDecay,
  COLD_REVEAL, LEADERBOARD_ENTRIES, LOWER_IS_BETTER, METRIC_HEADS, METRIC_KEYS, barFractions, sortByMetric, ANSWERS, MITIGATIONS, SIMULATION_DEFAULTS } from '../model/catalog.js';
// the feedback-loop simulation's settings and the questionnaire's answers, as plain values
export type { TasteAnswer, Mitigation, SimulationRound, SimulationReport, SimulationRanking };

/** What a leaderboard run reports: its folds, each model's progress, each row as it is done. */
export type LeaderboardEvent =
  | { type: 'start'; protocol: string; models: string[]; folds: string[] }
  | { type: 'progress'; model: string; fold: number; folds: number; fraction: number }
  | { type: 'row'; row: LeaderboardRow }
  | { type: 'done'; rows: LeaderboardRow[]; seconds: number; cancelled: boolean };

/** What a search is asked for (the Tune view's form). */
export interface TuneRequest {
  /** 'all', or one of TUNE_CANDIDATES. */
  model: string;
  budgetSeconds: number;
  metric: 'rmse' | 'ndcg';
  split: string;
  seed: number;
}

/** A finished search without the model's weights (the session keeps those as the current model). */
export type TuneSummary = Omit<TuneResult, 'model'> & { hasModel: boolean };

/** The search as it goes: trial tables, the final run's progress, then its result ('done') or an error. */
export type TuneUpdate = Exclude<TuneEvent, { type: 'done' }> | { type: 'done'; result: TuneSummary } | { type: 'error'; message: string };

export interface TuneHandle {
  /** Stops the search; the best so far is retrained and becomes the current model ('done' follows). */
  stop(): void;
}

/** A preset the Train form offers: built in, or saved by you (e.g. from a search). */
export interface PresetEntry {
  name: string;
  description: string;
  options: Partial<TrainOptions>;
  builtIn: boolean;
}

/** A run as compare needs it: a name, its options and its epoch table. */
export type RunCurve = RunInput;

/** fastai's lr_find as plain values. */
export interface LrFindSummary {
  /** The lr of every batch run, log-spaced, and the smoothed loss at each. */
  lrs: number[];
  losses: number[];
  suggestions: { steep: number; valley: number; minimum: number };
  /** Index into lrs/losses of each suggestion. */
  suggestionIndex: { steep: number; valley: number; minimum: number };
  stop: 'exploded' | 'completed';
  seconds: number;
  model: ModelKind;
}

export interface LrFindHandle {
  /** Resolves with the curve (also after a cancel, with what was recorded), rejects with a user-readable error. */
  result: Promise<LrFindSummary>;
  cancel(): void;
}

export interface ProjectorExport {
  dir: string;
  vectorsPath: string;
  metadataPath: string;
  rows: number;
  dims: number;
}

export interface DatasetSummary {
  /** e.g. "ml-100k". */
  name: string;
  /** Where it was read from, shown in the Data pane. */
  source?: string;
  nRatings: number;
  nUsers: number;
  nItems: number;
  /** nRatings / (nUsers * nItems). */
  density: number;
  mean: number;
  histogram: { rating: number; count: number }[];
  /** The ratings' scale: 1–5 in whole stars for ML-100K, 0.5–5 in half stars for the CSV releases. */
  scale: RatingScale;
  /** The y_range training uses for this data when the form leaves it to the data. */
  yRange: [number, number];
}

export interface RatingScale {
  min: number;
  max: number;
  step: number;
}

export type DatasetStatus =
  | { state: 'ready'; summary: DatasetSummary }
  | { state: 'missing'; cacheDir: string };

/** The seeds' crosstab: the most active users × the most rated movies; null where unrated. */
export interface Crosstab {
  users: string[];
  movies: { index: number; title: string; nRatings: number }[];
  /** cells[u][m], aligned with users and movies. */
  cells: (number | null)[][];
}

export interface TitleHit {
  index: number;
  title: string;
  /** 0 = perfect match, 1 = no match (fuse.js convention); the results come in this order. */
  score: number;
  /** False when nothing matched closely: the hit is only the nearest title. */
  close: boolean;
  /**
   * False for a movie the titles file lists but nobody rated (no model has factors for it: it cannot be
   * rated, opened or recommended; its index is then meaningless). Absent or true: a movie of the model.
   */
  rated?: boolean;
  /** A movie added to the current snapshot (Search, Ctrl+N): not a row of the model; Enter shows its report again. */
  added?: NewMovieInput;
}

export interface MovieInfo {
  index: number;
  title: string;
  year: number | null;
  genres: string[];
  nRatings: number;
  mean: number;
}

/** One rating the person at the keyboard gave, by movie index. */
export interface MyRating {
  index: number;
  rating: number;
}

export interface TrainHandle {
  /** Stops after the current batch; the weights trained so far are kept (a 'done' event with reason 'cancelled' follows). */
  cancel(): void;
}

export interface ModelInfo {
  kind: ModelKind;
  /** "dotbias 50f 5ep", "nn 74+102 [100] 5ep". */
  label: string;
  /** The snapshot name a save offers: "dotbias-50f-5ep". */
  suggestedName: string;
  /** What this model can show (biases? factors?), so panes ask instead of testing the kind. */
  shows: KindShows;
  /** Shown beside cosine similarities when they mean something else on this model (nn), else null. */
  similarityNote: string | null;
  options: TrainOptions;
  epochs: EpochRow[];
  /** Per-batch training loss, in order (redraws the chart of a loaded snapshot). */
  batchLosses: number[];
  backend: string;
  /** Name of the snapshot it was loaded from or last saved to, null when never saved. */
  snapshot: string | null;
  /** False for a freshly trained model that no snapshot holds yet. */
  saved: boolean;
  /** A copy is kept in the profile's state folder (a model no snapshot holds): the next launch reopens it. */
  kept: boolean;
  /** The validation split its metrics are measured on. */
  split: string;
  /** Its movies by row (item ids and titles): ratings are matched to its rows by them. */
  catalogue: Catalogue;
  /** Embedding sizes: users and movies (equal for dot / dotbias, fastai's rule for nn). */
  userDim: number;
  itemDim: number;
  /** The work of one rating in a training step (its kind's measure: nn counts both embeddings), to time a new run from. */
  stepCost: number;
}

/** One of your ratings that pushed a recommendation up, with what `recommend --explain` prints. */
export interface Reason {
  title: string;
  /** How much it pushed (similarity × how far you beat the expected rating). */
  weight: number;
  /** Ranked by pick × like: this rating's share of why you would pick the movie (negative: it pulled it down); else null. */
  share?: number | null;
  /** Your rating of it. */
  rating: number;
  /** What the average-taste user would have given it. */
  expected: number;
  /** Cosine of the two movies' factor vectors. */
  similarity: number;
}

/** What reopening the profile found (see AppServices.resume). */
export interface Resumed {
  profile: string;
  /** The profile's ratings of movies the current model (or dataset) has, with their rows. */
  ratings: (ProfileRating & { index: number })[];
  /** Its ratings of movies it does not have (another dataset's): kept, matched again when the model changes. */
  elsewhere: ProfileRating[];
  model: { from: 'snapshot'; name: string } | { from: 'kept' } | null;
  notes: string[];
}

export interface Recommendation {
  index: number;
  title: string;
  predicted: number;
  /** Few ratings behind this movie: take the prediction with a grain of salt. */
  lowEvidence: boolean;
  /** Rated movies that pushed this one up most. */
  because?: Reason[];
  /** Ranked by pick × like: the share of why you would pick it that is its popularity; null when ranked by stars. */
  popularityShare?: number | null;
}

/**
 * How the Rate pane's list is ranked: 'pick-like' — what you would pick (popularity, and movies liked by
 * people who liked yours) × what you would like (predicted stars); 'stars' — by predicted stars.
 */
export type Ranking = 'pick-like' | 'stars';

export interface SimilarMovie {
  index: number;
  title: string;
  /** Cosine similarity of the factor vectors, -1..1. */
  similarity: number;
  nRatings: number;
}

export interface BiasRow {
  label: string;
  bias: number;
  nRatings: number;
  mean: number;
}

export interface BiasTable {
  top: BiasRow[];
  bottom: BiasRow[];
}

/** The movies on their principal components, as the map draws them. */
export interface PcaMap {
  /** Explained-variance ratio of each component, in order. */
  explained: number[];
  /** The most-rated movies first. coords.length === explained.length. */
  points: { index: number; title: string; nRatings: number; coords: number[] }[];
}

/** What the Map pane asks for: a method (or custom axes "A..B", which replace it), an isolate filter (a genre, else a search), a colour attribute. */
export interface MapRequest {
  method: 'pca' | 'umap';
  x: string | null;
  y: string | null;
  isolate: string | null;
  color: MapColor;
}

export type MapColor = 'genre' | 'year' | 'ratings' | 'bias';

export interface MapAxisView {
  label: string;
  low: string[];
  high: string[];
}

/** A computed map (see src/model/interpret/map.ts): every point with its colour group and how well the map keeps its neighbours. */
export interface MovieMapView {
  layout: 'pca' | 'umap' | 'axes';
  /** Most-rated first. */
  points: { index: number; title: string; x: number; y: number; nRatings: number; year: number | null; group: string; trust: number; bias: number | null }[];
  axes: { x: MapAxisView; y: MapAxisView };
  trustworthiness: number;
  k: number;
  legend: { group: string; count: number }[];
  filter: { what: string; count: number } | null;
  note: string | null;
}

export interface MapNeighbour {
  index: number;
  title: string;
  cosine: number;
  /** Also among the k nearest on the map. */
  onMap: boolean;
  /** Its position in the map's points. */
  point: number;
}

/** One movie of a watch-together list: each person's predicted stars (in the order of `people`), their mean and lowest. */
export interface TogetherRow {
  index: number;
  title: string;
  predicted: number[];
  mean: number;
  min: number;
}

export interface TogetherLists {
  /** "you" first, then the named profiles. */
  people: string[];
  average: TogetherRow[];
  leastMisery: TogetherRow[];
}

export interface SnapshotSummary {
  name: string;
  model: ModelKind;
  /** The user embedding size (the factors of dot / dotbias). */
  factors: number;
  /** Its size as its kind labels it: "50f", "74+102 [100]" (nn embeds users and movies in sizes of their own). */
  size: string;
  /** The split its RMSE is measured on: runs on different splits do not compare. */
  split: string;
  epochs: number;
  validRmse: number | null;
  dataset: string;
  /** ISO 8601. */
  created: string;
  sizeBytes: number;
  /** Why the snapshot cannot be loaded (damaged or incomplete files); it can still be deleted. */
  broken?: string;
}

/** One question of the taste questionnaire: "do you like <genre> / movies of <era>?". */
export interface TasteQuestion {
  name: string;
  kind: 'genre' | 'era';
}

/** A movie nobody has rated yet, as the add-movie form gives it; its ratings arrive by user id. */
export interface NewMovieInput {
  title: string;
  year: number | null;
  genres: string[];
  ratings: { userId: string; rating: number }[];
}

/** What the model makes of a new movie: whom to recommend it to, where it lands, how its ratings move it. */
export interface NewMovieView {
  title: string;
  /** Its metadata as the model reads it ("Horror", "1998"). */
  features: string[];
  /** The metadata model: trained movies fitted on, its ridge λ (chosen by cross-validation), their ratings' RMSE from metadata alone. */
  model: { movies: number; lambda: number; cvRmse: number };
  /** 0, 1, … ratings folded in: its mean predicted rating, bias, and the rating that arrived. */
  steps: { ratings: number; meanPredicted: number; bias: number | null; arrived: { userId: string; rating: number; predictedBefore: number } | null }[];
  whom: { userId: string; predicted: number; rank: number; favourites: { title: string; rating: number }[] }[];
  /** Its coordinates on the PCA map's components (the PCA pane's projection), null without factors. */
  map: { coords: number[]; explained: number[] } | null;
  nearest: { title: string; similarity: number }[];
  /** The snapshot it is kept with, or null (a model no snapshot holds). */
  keptIn: string | null;
}

export type SimulationSettings = Pick<SimulationOptions, 'rounds' | 'users' | 'enthusiasts' | 'genre' | 'mitigation' | 'cap' | 'diversity' | 'ranking' | 'seed'>;

export interface SimulationHandle {
  /** Resolves with the rounds run (all, or those before a cancel); rejects with a user-readable error. */
  result: Promise<SimulationReport>;
  cancel(): void;
}

export type SaveResult = { saved: true } | { saved: false; reason: 'exists' };

export interface AppServices {
  // dataset
  /** Loads the dataset the first time (onProgress: 0..1 while it reads; a large one takes seconds). */
  datasetStatus(onProgress?: (fraction: number) => void): Promise<DatasetStatus>;
  downloadDataset(onProgress: (received: number, total: number) => void): Promise<void>;
  crosstab(nUsers: number, nMovies: number): Promise<Crosstab>;
  /** Fuzzy title search; synchronous because it runs on every keystroke (≤16 ms target). */
  searchTitles(query: string, limit: number): TitleHit[];
  movieInfo(index: number): MovieInfo;

  // training: batch events carry 0-based epoch and batch indices; by the time 'done' arrives,
  // modelInfo() describes the new model (weights kept even when cancelled).
  startTraining(options: Partial<TrainOptions>, onEvent: (event: TrainEvent) => void): TrainHandle;

  // tuning: trials in worker threads; by the time 'done' arrives, modelInfo() describes the winner
  startTuning(request: TuneRequest, onEvent: (event: TuneUpdate) => void): TuneHandle;
  /** Built-in and user presets; `problem` says why the user presets file could not be read (then only built-ins). */
  presets(): { presets: PresetEntry[]; file: string; problem: string | null };
  /** Saves options as a user preset (atomic write of the presets file). */
  savePreset(name: string, options: Partial<TrainOptions>, description: string, testRmse?: number): Promise<void>;

  // the current model (null until trained or loaded)
  modelInfo(): ModelInfo | null;
  /** Ranked by pick × like unless `ranking` is 'stars' (or the model's training ratings are not at hand: then by stars). */
  recommend(ratings: MyRating[], top: number, ranking?: Ranking): Promise<Recommendation[]>;
  similar(index: number, top: number): Promise<SimilarMovie[]>;
  bias(kind: 'movie' | 'user', n: number): Promise<BiasTable>;
  /** Learned bias of one movie; null when the model has none (dot, nn). */
  movieBias(index: number): Promise<number | null>;
  pca(nMovies: number, nComponents: number): Promise<PcaMap>;
  /** The Map pane's layout of the current model; UMAP runs off the UI thread, reporting 0..1; cached per model and request. */
  movieMap(request: MapRequest, onProgress?: (fraction: number) => void): Promise<MovieMapView>;
  /** The k nearest (model cosine) of one point of the last map. */
  mapNeighbours(point: number): Promise<MapNeighbour[]>;
  /** Where your folded-in taste sits on the last map; null when the model has no user vector in the movies' space. */
  placeOnMap(ratings: MyRating[]): Promise<{ x: number; y: number } | null>;
  /** Watch together: you (these ratings) and the named profiles, folded in; average-taste and least-misery lists. */
  watchTogether(mine: MyRating[], profiles: string[], top: number): Promise<TogetherLists>;
  /** Your predicted rating for one movie, folded in from your ratings (average taste when none). */
  predictFor(ratings: MyRating[], index: number): Promise<number>;

  // snapshots
  listSnapshots(): Promise<SnapshotSummary[]>;
  /** Without force an existing name is left alone and { saved: false, reason: 'exists' } comes back. */
  saveSnapshot(name: string, options: { force: boolean }): Promise<SaveResult>;
  /** Makes the snapshot the current model (modelInfo().snapshot === name, saved === true). */
  loadSnapshot(name: string): Promise<void>;
  removeSnapshot(name: string): Promise<void>;

  // lr-find, comparing runs, ranking quality, export, one-hot
  /** lr-find from a fresh model with these options, in slices that leave the screen responsive. */
  lrFind(options: Partial<TrainOptions>, onProgress: (done: number, total: number) => void): LrFindHandle;
  /** A saved run's options and epoch table (its weights are not read). */
  snapshotRun(name: string): Promise<RunCurve>;
  /** Validation curves, differing hyperparameters and an overfitting verdict per run (2 or more). */
  compareRuns(runs: RunCurve[]): Comparison;
  /** precision/recall/NDCG@10, coverage and popularity of the current model; throws when its dataset is not here. */
  ranking(): Promise<RankingSummary>;
  /** vectors.tsv + metadata.tsv of the current model for projector.tensorflow.org; default folder ./projector/<name>. */
  exportProjector(dir?: string): Promise<ProjectorExport>;
  /** one_hot(u)·U vs U[u] on the current model for the user at this index. */
  oneHot(userIndex: number): Promise<OneHotReport>;

  // cold start both ways, and the feedback loop
  /** The taste questionnaire of the current model (fitted on its training ratings once; throws when they are not here). */
  questionnaire(): Promise<TasteQuestion[]>;
  /** recommend() for someone who answered the questionnaire (one answer per question): the answers start them, ratings refine; ranked as recommend() ranks. */
  recommendFromAnswers(ratings: MyRating[], answers: TasteAnswer[], top: number, ranking?: Ranking): Promise<Recommendation[]>;
  /** The catalogue's genres, for the add-movie form and the simulation's genre. */
  genres(): string[];
  /** Adds (or updates) a movie nobody has rated, kept with the current snapshot; what the model makes of it. */
  addMovie(movie: NewMovieInput): Promise<NewMovieView>;
  /** The movies added to the current snapshot. */
  addedMovies(): Promise<NewMovieInput[]>;
  /** Runs the feedback-loop simulation in a worker thread; each round as it ends. */
  simulate(settings: Partial<SimulationSettings>, onRound: (round: SimulationRound) => void): SimulationHandle;

  // your profile: ratings and the last model, kept across launches
  /** Reads the profile, reopens its last model and matches its ratings; never throws (problems are in notes). */
  resume(): Promise<Resumed>;
  /** Saves your ratings in the profile (atomically): the whole list, by item id, other datasets' movies too. */
  saveRatings(ratings: ProfileRating[]): Promise<void>;
  /** The movies of the current model (else of the dataset) by row: a row's item id, to rate it by. */
  catalogue(): Catalogue | null;
  /** Whose ratings these are, and the file they live in. */
  profileInfo(): { name: string; file: string };
  /** The rating scale the Rate pane offers (the current model's data, else the dataset's). */
  ratingScale(): RatingScale;

  // the leaderboard: every model on one protocol, in a worker; rows as they finish (cached ones at once)
  runLeaderboard(request: { protocol: string; models?: string[] }, onEvent: (event: LeaderboardEvent) => void): { cancel(): void; done: Promise<void> };
  /** Makes a row's model current when this session trained it; else the options to retrain it with. */
  openLeaderboardRow(protocol: string, row: Pick<LeaderboardRow, 'model' | 'options'>): Promise<{ opened: true } | { opened: false; options: TrainOptions }>;

  /** Stops the training, leaderboard and simulation workers, finishes writing the profile and the kept model; called once when the app exits. */
  close(): Promise<void>;
}
