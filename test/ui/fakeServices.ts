/** A scripted stand-in for the model session: a tiny vocabulary, training events on demand. */
import type {
  AppServices,
  BiasTable,
  Crosstab,
  DatasetStatus,
  EpochRow,
  ModelInfo,
  MovieInfo,
  MyRating,
  PcaMap,
  Recommendation,
  SaveResult,
  SimilarMovie,
  SnapshotSummary,
  TitleHit,
  TrainEvent,
  TrainOptions,
  LrFindHandle,
  LrFindSummary,
  RunCurve,
  Comparison,
  RankingSummary,
  ProjectorExport,
  OneHotReport,
  TasteAnswer,
  TasteQuestion,
  NewMovieInput,
  NewMovieView,
  SimulationHandle,
  SimulationReport,
  SimulationRound,
  SimulationSettings,
  RatingScale,
  Resumed,
  PresetEntry,
  TrialRow,
  TuneRequest,
  TuneUpdate,
  LeaderboardEvent,
  LeaderboardRow,
  MapNeighbour,
  MapRequest,
  MovieMapView,
  TogetherLists,
} from '../../src/ui/services.js';
import type { ProfileRating } from '../../src/data/profiles.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../src/model/train/defaults.js';
import { PRESETS } from '../../src/model/train/presets.js';
import { compareRuns } from '../../src/model/evaluate/compare.js';
import { scaleCosts } from '../../src/model/interpret/onehot.js';
import { modelKind, NN_SIMILARITY_NOTE, runName } from '../../src/model/index.js';

/** What the session would say about a model with these options (the fake has no weights to ask). */
const sizeOf = (o: TrainOptions) => (o.model === 'nn' ? `74+102 [${o.layers.join(',')}]` : `${o.factors}f${o.solver === 'autorec' ? '+autorec' : ''}`);

/** What the session would say about a model with these options (the fake has no weights to ask). */
export function fakeInfo(m: Pick<ModelInfo, 'options' | 'epochs' | 'batchLosses' | 'snapshot' | 'saved'> & Partial<ModelInfo>): ModelInfo {
  const o = m.options;
  const kind = modelKind(o.model);
  const dims = o.model === 'nn' ? { userDim: 74, itemDim: 102, stepCost: 176 } : { userDim: o.factors, itemDim: o.factors, stepCost: o.factors };
  return {
    kept: false,
    split: o.split,
    catalogue: FAKE_CATALOGUE,
    ...dims,
    ...m,
    kind: o.model,
    label: `${o.model} ${sizeOf(o)} ${m.epochs.length}ep`,
    suggestedName: runName(o, m.epochs.length || o.epochs),
    shows: kind.shows,
    similarityNote: kind.shows.popularityInFactors ? NN_SIMILARITY_NOTE : null,
    backend: 'fake',
  };
}

/** The Snapshots list's line for a saved model. */
function summaryOf(name: string, info: ModelInfo, created = '2025-01-02T03:04:05Z'): SnapshotSummary {
  const o = info.options;
  return { name, model: o.model, factors: info.userDim, size: sizeOf(o), split: o.split, epochs: info.epochs.length, validRmse: info.epochs.at(-1)?.validRmse ?? null, dataset: 'fake-20', created, sizeBytes: 123456 };
}

export const MOVIES: { title: string; year: number; genres: string[]; n: number; mean: number }[] = [
  { title: 'Star Wars (1977)', year: 1977, genres: ['Action', 'Sci-Fi'], n: 583, mean: 4.36 },
  { title: 'Contact (1997)', year: 1997, genres: ['Drama', 'Sci-Fi'], n: 509, mean: 3.8 },
  { title: 'Fargo (1996)', year: 1996, genres: ['Crime', 'Drama'], n: 508, mean: 4.16 },
  { title: 'Return of the Jedi (1983)', year: 1983, genres: ['Action', 'Sci-Fi'], n: 507, mean: 4.0 },
  { title: 'Liar Liar (1997)', year: 1997, genres: ['Comedy'], n: 485, mean: 3.16 },
  { title: 'English Patient, The (1996)', year: 1996, genres: ['Drama', 'Romance'], n: 481, mean: 3.66 },
  { title: 'Scream (1996)', year: 1996, genres: ['Horror'], n: 478, mean: 3.44 },
  { title: 'Toy Story (1995)', year: 1995, genres: ['Animation', 'Comedy'], n: 452, mean: 3.88 },
  { title: 'Air Force One (1997)', year: 1997, genres: ['Action'], n: 431, mean: 3.63 },
  { title: 'Independence Day (ID4) (1996)', year: 1996, genres: ['Action', 'Sci-Fi'], n: 429, mean: 3.44 },
  { title: 'Raiders of the Lost Ark (1981)', year: 1981, genres: ['Action', 'Adventure'], n: 420, mean: 4.25 },
  { title: 'Godfather, The (1972)', year: 1972, genres: ['Crime', 'Drama'], n: 413, mean: 4.28 },
  { title: 'Pulp Fiction (1994)', year: 1994, genres: ['Crime', 'Drama'], n: 394, mean: 4.06 },
  { title: 'Twelve Monkeys (1995)', year: 1995, genres: ['Drama', 'Sci-Fi'], n: 392, mean: 3.8 },
  { title: 'Silence of the Lambs, The (1991)', year: 1991, genres: ['Drama', 'Thriller'], n: 390, mean: 4.29 },
  { title: 'Empire Strikes Back, The (1980)', year: 1980, genres: ['Action', 'Sci-Fi'], n: 367, mean: 4.2 },
  { title: 'Titanic (1997)', year: 1997, genres: ['Drama', 'Romance'], n: 350, mean: 4.25 },
  { title: "Schindler's List (1993)", year: 1993, genres: ['Drama', 'War'], n: 298, mean: 4.47 },
  { title: 'Casablanca (1942)', year: 1942, genres: ['Drama', 'Romance'], n: 243, mean: 4.46 },
  { title: 'Children of the Corn: The Gathering (1996)', year: 1996, genres: ['Horror'], n: 19, mean: 1.32 },
];

/** The fake model's (and dataset's) movies by row: item ids "1", "2", … as in u.item. */
export const FAKE_CATALOGUE = { itemIds: MOVIES.map((_, i) => String(i + 1)), titles: MOVIES.map((m) => m.title) };

export interface FakeOptions {
  dataset?: 'ready' | 'missing';
  /** Emit the whole training script at once when training starts (otherwise call emitTraining()). */
  autoTrain?: boolean;
  batchesPerEpoch?: number;
  /** The rating scale (default whole stars 1–5). */
  scale?: RatingScale;
  /** Whether a trained model is kept for the next launch (the session does; default true). */
  keep?: boolean;
}

const WHOLE_STARS: RatingScale = { min: 1, max: 5, step: 1 };

function summary(scale: RatingScale) {
  return {
    name: 'fake-20',
    nRatings: 8169,
    nUsers: 943,
    nItems: MOVIES.length,
    density: 0.43,
    mean: 3.9,
    histogram: [1, 2, 3, 4, 5].map((r) => ({ rating: r, count: r * 100 })),
    scale,
    yRange: (scale.step < 1 ? [0, 5.45] : [0, 5.5]) as [number, number],
  };
}

export class FakeServices implements AppServices {
  dataset: 'ready' | 'missing';
  model: ModelInfo | null = null;
  snapshots = new Map<string, { info: ModelInfo; summary: SnapshotSummary }>();
  onEvent: ((e: TrainEvent) => void) | null = null;
  lastOptions: Partial<TrainOptions> | null = null;
  cancelled = false;
  closed = false;
  recommendCalls: MyRating[][] = [];
  /** lr-find: 'auto' answers at once, 'manual' waits for finishLrFind(), 'error' fails. */
  lrFindMode: 'auto' | 'manual' | 'error' = 'auto';
  lrFindOptions: Partial<TrainOptions> | null = null;
  lrFindCancelled = false;
  private lrFindDone: ((r: LrFindSummary) => void) | null = null;
  private lrFindProgress: ((done: number, total: number) => void) | null = null;
  /** ranking(): a message makes it fail with that message. */
  rankingError: string | null = null;
  rankingCalls = 0;
  exports: (string | undefined)[] = [];
  oneHotCalls: number[] = [];
  /** What resume() hands the app; savedRatings records every saveRatings() call. */
  profile: { name: string; ratings: { index: number; rating: number }[]; elsewhere?: ProfileRating[]; model: Resumed['model']; notes: string[] } = { name: 'default', ratings: [], model: null, notes: [] };
  savedRatings: ProfileRating[][] = [];
  /** resume() waits for this when set (a slow start). */
  resumeGate: Promise<void> | null = null;
  /** Slow answers: each waits for its gate when one is set. */
  gates: Partial<Record<'dataset' | 'list' | 'ranking', Promise<void>>> = {};
  scale: RatingScale;
  keep: boolean;
  readonly batchesPerEpoch: number;
  private readonly autoTrain: boolean;

  constructor(opts: FakeOptions = {}) {
    this.dataset = opts.dataset ?? 'ready';
    this.autoTrain = opts.autoTrain ?? false;
    this.batchesPerEpoch = opts.batchesPerEpoch ?? 40;
    this.scale = opts.scale ?? WHOLE_STARS;
    this.keep = opts.keep ?? true;
  }

  async datasetStatus(): Promise<DatasetStatus> {
    if (this.gates.dataset) await this.gates.dataset;
    return this.dataset === 'ready' ? { state: 'ready', summary: summary(this.scale) } : { state: 'missing', cacheDir: '/tmp/factorlens-cache' };
  }

  async resume(): Promise<Resumed> {
    if (this.resumeGate) await this.resumeGate;
    const p = this.profile;
    if (p.model?.from === 'snapshot') await this.loadSnapshot(p.model.name);
    const c = this.catalogue();
    return { profile: p.name, ratings: p.ratings.map((r) => ({ ...r, item: c.itemIds[r.index], title: c.titles[r.index] })), elsewhere: p.elsewhere ?? [], model: p.model, notes: p.notes };
  }

  async saveRatings(ratings: ProfileRating[]): Promise<void> {
    this.savedRatings.push(ratings);
  }

  catalogue() {
    return this.model?.catalogue ?? FAKE_CATALOGUE;
  }

  profileInfo() {
    return { name: this.profile.name, file: `/tmp/state/factorlens/profiles/${this.profile.name}.json` };
  }

  ratingScale(): RatingScale {
    return this.scale;
  }

  async downloadDataset(onProgress: (received: number, total: number) => void): Promise<void> {
    for (let i = 0; i <= 4; i++) onProgress(i * 1_250_000, 5_000_000);
    this.dataset = 'ready';
  }

  async crosstab(nUsers: number, nMovies: number): Promise<Crosstab> {
    const movies = MOVIES.slice(0, nMovies).map((m, index) => ({ index, title: m.title, nRatings: m.n }));
    const users = Array.from({ length: nUsers }, (_, i) => String(400 + i));
    const cells = users.map((_, u) => movies.map((_, m) => ((u + m) % 3 === 0 ? null : ((u * 7 + m) % 5) + 1)));
    return { users, movies, cells };
  }

  searchTitles(query: string, limit: number): TitleHit[] {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return MOVIES.map((m, index) => ({ index, title: m.title, hits: words.filter((w) => m.title.toLowerCase().includes(w)).length }))
      .filter((m) => m.hits > 0)
      .sort((a, b) => b.hits - a.hits || a.index - b.index)
      .slice(0, limit)
      .map((m): TitleHit => ({ index: m.index, title: m.title, score: 1 - m.hits / words.length, close: m.hits / words.length >= 0.6 }))
      .concat(words.includes('unseen') ? [{ index: -1, title: 'Unseen, The (2003)', score: 0.05, close: true, rated: false }] : [])
      .sort((a, b) => a.score - b.score)
      .slice(0, limit);
  }

  movieInfo(index: number): MovieInfo {
    const m = MOVIES[index];
    return { index, title: m.title, year: m.year, genres: m.genres, nRatings: m.n, mean: m.mean };
  }

  startTraining(options: Partial<TrainOptions>, onEvent: (e: TrainEvent) => void) {
    this.lastOptions = options;
    this.onEvent = onEvent;
    this.cancelled = false;
    if (this.autoTrain) this.emitTraining();
    return {
      cancel: () => {
        this.cancelled = true;
      },
    };
  }

  /** Plays a training run: start, batches, epochs, done (or stops after `untilEpoch` epochs without done). */
  emitTraining(opts: { epochs?: number; untilEpoch?: number; stopAfter?: number; finish?: 'completed' | 'cancelled' | 'error' } = {}): void {
    const emit = this.onEvent;
    if (!emit) throw new Error('training was not started');
    const options: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...this.lastOptions };
    const epochs = opts.epochs ?? options.epochs;
    const bpe = this.batchesPerEpoch;
    emit({ type: 'start', backend: 'fake', weightsIn: 'tfjs-wasm', epochs, batchesPerEpoch: bpe, nParams: 1234 });
    const rows: EpochRow[] = [];
    const losses: number[] = [];
    // stopAfter: the run planned `epochs`, was cancelled after this many (no second start)
    const last = opts.untilEpoch ?? opts.stopAfter ?? epochs;
    for (let e = 0; e < last; e++) {
      for (let b = 0; b < bpe; b++) {
        const loss = 1.5 / (1 + 0.05 * (e * bpe + b)) + 0.8;
        losses.push(loss);
        emit({ type: 'batch', epoch: e, batch: b, batchesPerEpoch: bpe, loss, lr: 0.005, elapsed: (e * bpe + b) * 0.01 });
      }
      const row: EpochRow = { epoch: e, trainLoss: 0.95 - e * 0.05, validLoss: 0.9 - e * 0.02, validRmse: 0.95 - e * 0.01, validMae: 0.75 - e * 0.01, seconds: 0.4 };
      rows.push(row);
      emit({ type: 'epoch', row });
    }
    if (opts.untilEpoch !== undefined) return;
    const finish = opts.stopAfter !== undefined ? 'cancelled' : opts.finish ?? 'completed';
    if (finish === 'error') {
      emit({ type: 'error', message: 'the loss became NaN: lower lr' });
      return;
    }
    // a run that finished no epoch replaces nothing (like the session)
    if (rows.length > 0) this.model = fakeInfo({ options, epochs: rows, batchLosses: losses, snapshot: null, saved: false, kept: this.keep });
    emit({ type: 'done', reason: finish, message: finish, epochs: rows, seconds: rows.length * 0.4 });
  }

  // ---- tuning: events on demand ----
  tuneRequest: TuneRequest | null = null;
  tuneStopped = false;
  private onTune: ((e: TuneUpdate) => void) | null = null;
  userPresets: PresetEntry[] = [];
  savedPresets: { name: string; options: Partial<TrainOptions>; description: string }[] = [];

  startTuning(request: TuneRequest, onEvent: (e: TuneUpdate) => void) {
    this.tuneRequest = request;
    this.onTune = onEvent;
    this.tuneStopped = false;
    return { stop: () => (this.tuneStopped = true) };
  }

  /** n trials so far (the first ones finished, one running), elapsed seconds as given. */
  emitTrials(n: number, elapsed: number): void {
    const trials: TrialRow[] = Array.from({ length: n }, (_, i) => ({
      id: i,
      bracket: i === 0 ? 0 : 1,
      candidate: 'dotbias',
      config: `lr ${(4 + i) / 1000} wd 0.12 50f 5ep bs64`,
      options: { model: 'dotbias', lr: (4 + i) / 1000, wd: 0.12, factors: 50, epochs: 5, bs: 64 },
      rung: i === 0 ? 1 : 0,
      rungs: 2,
      metric: i === n - 1 ? NaN : 0.9 + i * 0.01,
      state: i === n - 1 ? 'running' : i === 0 ? 'done' : 'stopped',
      seconds: 1 + i,
    }));
    this.onTune?.({ type: 'trials', trials, best: [{ seconds: 2, metric: 0.91, trial: 0 }, { seconds: elapsed * 0.8, metric: 0.9, trial: 0 }], elapsed, phase: 'search' });
  }

  /** The search ends: the winner becomes the current model. */
  finishTuning(): void {
    const options = { ...DEFAULT_TRAIN_OPTIONS, lr: 0.004, wd: 0.12, members: 2 };
    const epochs: EpochRow[] = [{ epoch: 0, trainLoss: 0.8, validLoss: 0.83, validRmse: 0.91, validMae: 0.72, seconds: 1 }];
    this.model = fakeInfo({ options, epochs, batchLosses: [0.9, 0.8], snapshot: null, saved: false });
    this.onTune?.({
      type: 'done',
      result: {
        metric: 'rmse', budgetSeconds: this.tuneRequest?.budgetSeconds ?? 60, searchSpace: [], holdout: { share: 0.1, train: 72000, valid: 8000, seed: 42 },
        trials: [], best: [{ seconds: 2, metric: 0.9026, trial: 0 }], ended: 'budget',
        winner: { trial: 0, candidate: 'dotbias', config: 'lr 4e-3 wd 0.12 50f 5ep bs64', options, validMetric: 0.9026, rung: 1 },
        finalFrom: 'retrained', test: { rmse: 0.9097, mae: 0.72, n: 20000 }, seconds: { search: 45, final: 7, total: 55 }, message: 'tuned', hasModel: true,
      },
    });
  }

  presets() {
    return { presets: [...Object.values(PRESETS).map((p) => ({ name: p.name, description: p.description, options: p.options, builtIn: true })), ...this.userPresets], file: '/tmp/presets.json', problem: null };
  }

  async savePreset(name: string, options: Partial<TrainOptions>, description: string) {
    this.savedPresets.push({ name, options, description });
    this.userPresets.push({ name, description, options, builtIn: false });
  }

  modelInfo(): ModelInfo | null {
    return this.model;
  }

  private need(): ModelInfo {
    if (!this.model) throw new Error('no model');
    return this.model;
  }

  async recommend(ratings: MyRating[], top: number, _ranking?: 'pick-like' | 'stars'): Promise<Recommendation[]> {
    this.need();
    this.recommendCalls.push(ratings);
    const rated = new Set(ratings.map((r) => r.index));
    const likesSciFi = ratings.some((r) => MOVIES[r.index].genres.includes('Sci-Fi') && r.rating >= 4);
    return MOVIES.map((m, index) => ({ m, index }))
      .filter(({ index }) => !rated.has(index))
      .map(({ m, index }) => ({
        index,
        title: m.title,
        predicted: m.mean + (likesSciFi && m.genres.includes('Sci-Fi') ? 0.5 : 0),
        lowEvidence: m.n < 250,
        because: likesSciFi && m.genres.includes('Sci-Fi') ? ratings.map((r) => ({ title: MOVIES[r.index].title, weight: 0.5, rating: r.rating, expected: 3.8, similarity: 0.43 })) : [],
      }))
      .sort((a, b) => b.predicted - a.predicted)
      .slice(0, top);
  }

  async similar(index: number, top: number): Promise<SimilarMovie[]> {
    this.need();
    const g = MOVIES[index].genres[0];
    return MOVIES.map((m, i) => ({ index: i, title: m.title, similarity: m.genres.includes(g) ? 0.9 - i * 0.01 : 0.1, nRatings: m.n }))
      .filter((m) => m.index !== index)
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, top);
  }

  async bias(kind: 'movie' | 'user', n: number): Promise<BiasTable> {
    this.need();
    const rows = kind === 'movie' ? MOVIES.map((m) => ({ label: m.title, bias: m.mean - 3.5, nRatings: m.n, mean: m.mean })) : Array.from({ length: 30 }, (_, i) => ({ label: `user ${i + 1}`, bias: 0.5 - i / 30, nRatings: 20 + i, mean: 4 - i / 20 }));
    const sorted = [...rows].sort((a, b) => b.bias - a.bias);
    return { top: sorted.slice(0, n), bottom: sorted.slice(-n).reverse() };
  }

  async movieBias(index: number): Promise<number | null> {
    return this.need().kind === 'dotbias' ? MOVIES[index].mean - 3.5 : null;
  }

  mapRequests: MapRequest[] = [];
  async movieMap(request: MapRequest, onProgress?: (fraction: number) => void): Promise<MovieMapView> {
    this.need();
    this.mapRequests.push(request);
    onProgress?.(1);
    const iso = request.isolate?.toLowerCase();
    const pool = MOVIES.map((m, index) => ({ m, index })).filter(({ m }) => !iso || m.genres.some((g) => g.toLowerCase() === iso) || m.title.toLowerCase().includes(iso));
    const points = pool.map(({ m, index }) => {
      const group = request.color === 'year' ? (m.year < 1990 ? 'before 1990' : '1990 on') : m.genres.includes('Sci-Fi') ? 'Sci-Fi' : 'other';
      const x = request.x ? (m.genres.includes('Sci-Fi') ? 1 : -1) + index * 0.01 : Math.sin(index * 1.3);
      return { index, title: m.title, x, y: Math.cos(index * 2.1), nRatings: m.n, year: m.year, group, trust: (index % 5) / 4, bias: null };
    });
    const groups = [...new Set(points.map((p) => p.group))];
    const label = request.x ? request.x.replace('..', ' → ') : request.method === 'umap' ? 'UMAP 1' : 'PC1 (30.0%)';
    return {
      layout: request.x || request.y ? 'axes' : request.method,
      points,
      axes: { x: { label, low: [points[0]?.title ?? ''], high: [points[1]?.title ?? ''] }, y: { label: request.method === 'umap' ? 'UMAP 2' : 'PC2 (20.0%)', low: [], high: [] } },
      trustworthiness: 0.25,
      k: 10,
      legend: groups.map((group) => ({ group, count: points.filter((p) => p.group === group).length })),
      filter: iso ? { what: `genre ${request.isolate}`, count: points.length } : null,
      note: null,
    };
  }
  async mapNeighbours(point: number): Promise<MapNeighbour[]> {
    return [1, 2, 3].map((d) => ({ index: (point + d) % MOVIES.length, title: MOVIES[(point + d) % MOVIES.length].title, cosine: 0.9 - d * 0.1, onMap: d !== 2, point: (point + d) % MOVIES.length }));
  }
  async watchTogether(mine: MyRating[], profiles: string[], top: number): Promise<TogetherLists> {
    this.need();
    const people = ['you', ...profiles];
    if (profiles.includes('nobody')) throw new Error('no profile named "nobody"');
    const row = (index: number) => {
      const predicted = people.map((_, p) => 3 + ((index + p) % 3) * 0.5);
      return { index, title: MOVIES[index].title, predicted, mean: predicted.reduce((a, b) => a + b, 0) / predicted.length, min: Math.min(...predicted) };
    };
    const all = MOVIES.map((_, i) => row(i)).filter((r) => !mine.some((m) => m.index === r.index));
    return { people, average: [...all].sort((a, b) => b.mean - a.mean).slice(0, top), leastMisery: [...all].sort((a, b) => b.min - a.min).slice(0, top) };
  }
  async placeOnMap(ratings: MyRating[]): Promise<{ x: number; y: number } | null> {
    return ratings.length ? { x: 0.5, y: 0.5 } : null;
  }

  async pca(nMovies: number, nComponents: number): Promise<PcaMap> {
    this.need();
    const points = MOVIES.slice(0, nMovies).map((m, index) => ({
      index,
      title: m.title,
      nRatings: m.n,
      coords: Array.from({ length: nComponents }, (_, c) => Math.sin(index * (c + 1.3)) * (1 - c * 0.2)),
    }));
    return { explained: [0.3, 0.2, 0.1].slice(0, nComponents), points };
  }

  async predictFor(ratings: MyRating[], index: number): Promise<number> {
    this.need();
    return MOVIES[index].mean + ratings.length * 0.01;
  }

  async listSnapshots(): Promise<SnapshotSummary[]> {
    if (this.gates.list) await this.gates.list;
    return [...this.snapshots.values()].map((s) => s.summary).sort((a, b) => a.name.localeCompare(b.name));
  }

  async saveSnapshot(name: string, options: { force: boolean }): Promise<SaveResult> {
    const model = this.need();
    if (name.includes('/') || name.includes('..')) throw new Error(`invalid snapshot name "${name}": no path separators`);
    if (this.snapshots.has(name) && !options.force) return { saved: false, reason: 'exists' };
    this.model = { ...model, snapshot: name, saved: true };
    this.snapshots.set(name, { info: this.model, summary: summaryOf(name, this.model) });
    return { saved: true };
  }

  async loadSnapshot(name: string): Promise<void> {
    const s = this.snapshots.get(name);
    if (!s) throw new Error(`no snapshot named "${name}"`);
    this.model = { ...s.info, snapshot: name, saved: true };
  }

  async removeSnapshot(name: string): Promise<void> {
    if (!this.snapshots.delete(name)) throw new Error(`no snapshot named "${name}"`);
    if (this.model?.snapshot === name) this.model = { ...this.model, snapshot: null, saved: false };
  }

  // ---- the leaderboard: runLeaderboard records the request; emitBoardRow / finishBoard play the run
  boardRequests: { protocol: string; models?: string[] }[] = [];
  boardCancelled = false;
  /** Rows openLeaderboardRow opens at once (trained this session); others ask to be retrained. */
  boardTrained = new Set<string>();
  opened: string[] = [];
  private boardEvents: ((e: LeaderboardEvent) => void) | null = null;
  private boardDone: (() => void) | null = null;
  private boardRows: LeaderboardRow[] = [];

  runLeaderboard(request: { protocol: string; models?: string[] }, onEvent: (e: LeaderboardEvent) => void) {
    this.boardRequests.push(request);
    this.boardEvents = onEvent;
    this.boardRows = [];
    this.boardCancelled = false;
    const done = new Promise<void>((resolve) => (this.boardDone = resolve));
    onEvent({ type: 'start', protocol: request.protocol, models: request.models ?? ['mean', 'popularity', 'ease', 'recipe'], folds: request.protocol === 'cv5' ? ['u1', 'u2', 'u3', 'u4', 'u5'] : [request.protocol] });
    return {
      cancel: () => {
        this.boardCancelled = true;
        this.finishBoard(true);
      },
      done,
    };
  }

  emitBoardProgress(model: string, fraction: number): void {
    this.boardEvents?.({ type: 'progress', model, fold: 0, folds: 1, fraction });
  }

  emitBoardRow(row: LeaderboardRow): void {
    this.boardRows.push(row);
    this.boardEvents?.({ type: 'row', row });
  }

  finishBoard(cancelled = false): void {
    this.boardEvents?.({ type: 'done', rows: this.boardRows, seconds: 1.5, cancelled });
    this.boardEvents = null;
    this.boardDone?.();
  }

  async openLeaderboardRow(_protocol: string, row: Pick<LeaderboardRow, 'model' | 'options'>) {
    if (!this.boardTrained.has(row.model)) return { opened: false as const, options: row.options };
    this.opened.push(row.model);
    this.model = fakeInfo({ options: row.options, epochs: [], batchLosses: [], snapshot: null, saved: false });
    return { opened: true as const };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  // ---- cold start and the loop: scripted -----------------------------------------------------------

  answersCalls: TasteAnswer[][] = [];
  /** How each recommendFromAnswers call asked the list to be ranked. */
  answersRankings: ('pick-like' | 'stars')[] = [];
  addMovieCalls: NewMovieInput[] = [];
  added: NewMovieInput[] = [];
  /** The simulations started, with what drives them: emitRound() sends the next round, finishSimulation() ends it. */
  simulations: { settings: Partial<SimulationSettings>; onRound: (r: SimulationRound) => void; rounds: SimulationRound[]; resolve: (r: SimulationReport) => void; cancelled: boolean }[] = [];

  async questionnaire(): Promise<TasteQuestion[]> {
    this.need();
    return [
      { name: 'Action', kind: 'genre' },
      { name: 'Sci-Fi', kind: 'genre' },
      { name: 'Drama', kind: 'genre' },
      { name: 'Romance', kind: 'genre' },
      { name: 'Horror', kind: 'genre' },
      { name: '1970s', kind: 'era' },
      { name: '1990s', kind: 'era' },
    ];
  }

  async recommendFromAnswers(ratings: MyRating[], answers: TasteAnswer[], top: number, ranking: 'pick-like' | 'stars' = 'pick-like'): Promise<Recommendation[]> {
    this.answersCalls.push(answers);
    this.answersRankings.push(ranking);
    const questions = await this.questionnaire();
    const liked = questions.filter((_, q) => answers[q] === 'like').map((q) => q.name);
    const disliked = questions.filter((_, q) => answers[q] === 'dislike').map((q) => q.name);
    const base = await this.recommend(ratings, MOVIES.length);
    const score = (r: Recommendation) => r.predicted + (MOVIES[r.index].genres.some((g) => liked.includes(g)) ? 1 : 0) - (MOVIES[r.index].genres.some((g) => disliked.includes(g)) ? 1 : 0);
    return base.sort((a, b) => score(b) - score(a)).slice(0, top);
  }

  genres(): string[] {
    return [...new Set(MOVIES.flatMap((m) => m.genres))];
  }

  async addMovie(movie: NewMovieInput): Promise<NewMovieView> {
    this.need();
    this.addMovieCalls.push(movie);
    const at = this.added.findIndex((m) => m.title.toLowerCase() === movie.title.toLowerCase());
    // merged as the session does: by user id, so adding the same movie again doubles nothing
    const merged = at >= 0 ? { ...this.added[at], ratings: [...this.added[at].ratings.filter((r) => !movie.ratings.some((n) => n.userId === r.userId)), ...movie.ratings] } : movie;
    if (at >= 0) this.added[at] = merged;
    else this.added.push(merged);
    const steps = [{ ratings: 0, meanPredicted: 3.1, bias: 0.05, arrived: null as null | { userId: string; rating: number; predictedBefore: number } }];
    merged.ratings.forEach((r, k) => steps.push({ ratings: k + 1, meanPredicted: 3.1 + 0.1 * (r.rating - 3), bias: 0.05 + 0.02 * (r.rating - 3), arrived: { userId: r.userId, rating: r.rating, predictedBefore: 3.2 } }));
    return {
      title: merged.title,
      features: [...merged.genres, ...(merged.year ? [String(merged.year)] : [])],
      model: { movies: 868, lambda: 0.3, cvRmse: 0.996 },
      steps,
      whom: ['907', '507', '688'].filter((u) => !merged.ratings.some((r) => r.userId === u)).map((userId, k) => ({ userId, predicted: 4.3 - k * 0.05, rank: 300 + k, favourites: [{ title: 'Scream (1996)', rating: 5 }, { title: 'Fargo (1996)', rating: 5 }] })),
      map: { coords: [0.34, -0.03, -0.21], explained: [0.08, 0.05, 0.04] },
      nearest: [{ title: 'Scream (1996)', similarity: 0.7 }],
      keptIn: this.model?.snapshot ?? null,
    };
  }

  async addedMovies(): Promise<NewMovieInput[]> {
    return [...this.added];
  }

  simulate(settings: Partial<SimulationSettings>, onRound: (r: SimulationRound) => void): SimulationHandle {
    let resolve!: (r: SimulationReport) => void;
    const result = new Promise<SimulationReport>((r) => (resolve = r));
    const run = { settings, onRound, rounds: [] as SimulationRound[], resolve, cancelled: false };
    this.simulations.push(run);
    return { result, cancel: () => { run.cancelled = true; this.finishSimulation(); } };
  }

  /** The running simulation's next round (numbers drift with the round, and with the fans). */
  emitRound(): void {
    const run = this.simulations.at(-1)!;
    const n = run.rounds.length + 1;
    const fans = run.settings.enthusiasts ?? 0;
    const round: SimulationRound = { round: n, coverage: 0.3 - 0.005 * n, meanPopularity: 170 + 2 * n, genreShare: 0.03 + fans * 0.001 * n, ndcg: 0.13 - 0.001 * n, rmse: 0.91, watched: 900 - 80 * n, trainRatings: 68000 + 900 * n, seconds: 3 };
    run.rounds.push(round);
    run.onRound(round);
  }

  finishSimulation(): void {
    const run = this.simulations.at(-1)!;
    run.resolve({ options: { ...run.settings } as SimulationReport['options'], model: 'dotbias', genreMovies: 92, genreCatalogueShare: 0.055, ordinaryUsers: 743, measuredUsers: 200, rounds: run.rounds, seconds: 30 });
  }

  lrFind(options: Partial<TrainOptions>, onProgress: (done: number, total: number) => void): LrFindHandle {
    this.lrFindOptions = options;
    this.lrFindCancelled = false;
    this.lrFindProgress = onProgress;
    const result = new Promise<LrFindSummary>((resolve, reject) => {
      if (this.lrFindMode === 'error') return reject(new Error('lr-find recorded only 3 losses: too few to suggest a learning rate'));
      this.lrFindDone = resolve;
      if (this.lrFindMode === 'auto') this.finishLrFind();
    });
    return {
      result,
      cancel: () => {
        this.lrFindCancelled = true;
      },
    };
  }

  /** A curve that falls from 1.4 to a dip near lr 1e-2, then explodes. */
  finishLrFind(): void {
    const n = 150;
    const lrs = Array.from({ length: n }, (_, i) => 1e-7 * Math.pow(1e8, i / 200));
    const losses = lrs.map((lr) => {
      const x = Math.log10(lr);
      return x < -2 ? 1.4 - 0.6 / (1 + Math.exp(-(x + 3.5) * 3)) : 0.8 + (x + 2) * 1.5;
    });
    this.lrFindProgress?.(n, 200);
    this.lrFindDone?.({ lrs, losses, suggestions: { steep: lrs[60], valley: lrs[90], minimum: lrs[110] / 10 }, suggestionIndex: { steep: 60, valley: 90, minimum: 110 }, stop: 'exploded', seconds: 0.4, model: (this.lrFindOptions?.model ?? 'dotbias') as LrFindSummary['model'] });
  }

  progressLrFind(done: number): void {
    this.lrFindProgress?.(done, 200);
  }

  async snapshotRun(name: string): Promise<RunCurve> {
    const s = this.snapshots.get(name);
    if (!s) throw new Error(`no snapshot named "${name}"`);
    return { name, options: s.info.options, epochs: s.info.epochs };
  }

  compareRuns(runs: RunCurve[]): Comparison {
    return compareRuns(runs);
  }

  async ranking(): Promise<RankingSummary> {
    this.need();
    this.rankingCalls++;
    if (this.gates.ranking) await this.gates.ranking;
    if (this.rankingError) throw new Error(this.rankingError);
    return { k: 10, relevantThreshold: 4, users: 459, precision: 0.1234, recall: 0.0567, ndcg: 0.1502, coverage: 0.087, popularityLift: 3.42, listUsers: 943, mostRecommended: [{ title: 'Star Wars (1977)', lists: 612 }], ndcgInterval: { low: 0.1361, high: 0.1648 } };
  }

  async exportProjector(dir?: string): Promise<ProjectorExport> {
    const m = this.need();
    this.exports.push(dir);
    const target = dir ?? `/work/x/projector/${m.snapshot ?? 'dotbias-50f-2ep'}`;
    return { dir: target, vectorsPath: `${target}/vectors.tsv`, metadataPath: `${target}/metadata.tsv`, rows: MOVIES.length, dims: 50 };
  }

  async oneHot(userIndex: number): Promise<OneHotReport> {
    this.need();
    this.oneHotCalls.push(userIndex);
    const row = Array.from({ length: 50 }, (_, k) => Math.sin(userIndex + k) / 10);
    return {
      user: userIndex,
      userId: String(userIndex + 1),
      nUsers: 943,
      factors: 50,
      lookup: row,
      viaOneHot: row.map((x) => x),
      maxAbsDiff: 0,
      batchMaxAbsDiff: 0,
      oneHotNonZeros: 1,
      timing: { repeats: 20, batch: 64, gatherMs: 0.05, oneHotMatMulMs: 0.9, ratio: 18 },
      memory: scaleCosts(64, 50),
      backend: 'fake',
    };
  }

  /** Snapshots as if saved earlier: one run with weight decay, one without that overfits. */
  withSnapshots(): this {
    const mk = (name: string, wd: number, valid: number[], more: Partial<TrainOptions> = {}) => {
      const options = { ...DEFAULT_TRAIN_OPTIONS, wd, epochs: valid.length, ...more };
      const epochs: EpochRow[] = valid.map((v, e) => ({ epoch: e, trainLoss: 0.9 - e * 0.1, validLoss: v, validRmse: Math.sqrt(v), validMae: 0.7, seconds: 0.5 }));
      const info = fakeInfo({ options, epochs, batchLosses: [1, 0.9, 0.8], snapshot: name, saved: true });
      this.snapshots.set(name, { info, summary: summaryOf(name, info) });
    };
    mk('recipe', 0.1, [0.9, 0.86, 0.84, 0.83, 0.82]);
    mk('nowd', 0, [0.88, 0.86, 0.9, 0.95, 1.0]);
    mk('short', 0.1, [0.9, 0.87]);
    return this;
  }

  /** Two more snapshots with hyperparameters of their own: "best" (lr 4e-3, wd 0.12, split u1) and an nn. */
  withTunedSnapshots(): this {
    this.withSnapshots();
    const add = (name: string, options: TrainOptions, rmse: number) => {
      const epochs: EpochRow[] = Array.from({ length: options.epochs }, (_, e) => ({ epoch: e, trainLoss: 0.9 - e * 0.05, validLoss: rmse * rmse + 0.01 * (options.epochs - e), validRmse: rmse + 0.005 * (options.epochs - 1 - e), validMae: 0.72, seconds: 0.3 }));
      const info = fakeInfo({ options, epochs, batchLosses: [1.2, 1, 0.9], snapshot: name, saved: true });
      this.snapshots.set(name, { info, summary: { ...summaryOf(name, info, '2025-01-03T03:04:05Z'), validRmse: rmse } });
    };
    add('best', { ...DEFAULT_TRAIN_OPTIONS, lr: 4e-3, wd: 0.12, split: 'u1' }, 0.9131);
    add('deep', { ...DEFAULT_TRAIN_OPTIONS, model: 'nn', layers: [100, 50], lr: 3e-3, wd: 0.2, epochs: 4 }, 0.9210);
    return this;
  }

  /** A trained model without going through the Train pane. */
  withModel(kind: 'dot' | 'dotbias' | 'nn' | 'ials' = 'dotbias'): this {
    const options = { ...DEFAULT_TRAIN_OPTIONS, model: kind, epochs: 2 };
    const epochs: EpochRow[] = [0, 1].map((e) => ({ epoch: e, trainLoss: 0.9, validLoss: 0.88, validRmse: 0.93, validMae: 0.74, seconds: 0.5 }));
    this.model = fakeInfo({ options, epochs, batchLosses: Array.from({ length: 80 }, (_, i) => 1.5 - i / 100), snapshot: null, saved: false });
    return this;
  }
}

/** A gate for FakeServices.gates: open() lets the waiting answer through. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
