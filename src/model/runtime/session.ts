/**
 * The app's model-side state behind the UI's AppServices interface (src/ui/services.ts, matched
 * structurally so the model layer never imports the UI): the dataset, the current model, training in a
 * worker, interpretation and snapshots. Plain values cross; tensors stay here.
 */
import { DataError, DownloadError, TitleSearch, cacheDir, crosstab, downloadDataset, loadDataset, resolveDataDir, DEFAULT_PROFILE, ProfileStore, emptyProfile, stateRoot, matchToCatalogue, validateProfileName, type Catalogue, type Profile, type ProfileRating } from '../../data/index.js';
import type { Dataset, Split } from '../../data/types.js';
import { ModelError } from '../errors.js';
import { biasRanking, foldIn, moviePca, pickModelFor, recommend, similarMovies, similarityName, type PickModel, type RecommendResult } from '../interpret/index.js';
import { scoreItems } from '../models/forward.js';
import { epochsPerMember, kindOf, runLabel, runName } from '../models/index.js';
import { NN_SIMILARITY_NOTE } from '../interpret/similar.js';
import { leaderboardInWorker, metaInWorker, pickInWorker, splitInWorker, tasteInWorker, trainInWorker, umapInWorker, withSharedColumns, type LeaderboardRun } from './trainInWorker.js';
import { watchTogether } from '../interpret/together.js';
import { genreNamed, mapNeighboursOf, movieMap, placeUser, type ColorBy, type MapMethod, type MovieMap } from '../interpret/map.js';
import type { TrainEvent, TrainOptions, TrainResult } from '../types.js';
import { DEFAULT_TRAIN_OPTIONS, defaultYRange } from '../train/defaults.js';
import type { LeaderboardEvent, LeaderboardRow } from '../leaderboard/run.js';
import { splitKey, splitOf } from '../train/splits.js';
import { compareRuns, type RunInput } from '../evaluate/compare.js';
import { rankingMetricsAsync, rankingUserCapFor, type RankingSummary } from '../evaluate/ranking.js';
import { writeProjectorFiles } from '../interpret/projector.js';
import os from 'node:os';
import path from 'node:path';
import { ColdStart, type NewMovieInput } from './coldStartSession.js';
import type { Answer } from '../coldstart/features.js';
import type { RoundStats, SimulationOptions } from '../evaluate/simulate.js';
import { KeptModels, resultOf } from './keptModel.js';
import type { TuneEvent, TuneResult } from '../tune/tune.js';
import { PRESETS } from '../train/presets.js';
import { readUserPresets, saveUserPreset, userPresetsFile } from '../train/userPresets.js';

/** Tune events as the UI gets them: the result without the model's weights (the session keeps those). */
export type SessionTuneEvent = Exclude<TuneEvent, { type: 'done' }> | { type: 'done'; result: Omit<TuneResult, 'model'> & { hasModel: boolean } } | { type: 'error'; message: string };

/**
 * The model in memory: what training (or a snapshot) handed on, whether a snapshot holds it, and
 * whether a copy is kept in the state folder for the next launch (one no snapshot holds).
 */
type CurrentModel = TrainResult & { snapshot: string | null; saved: boolean; kept: boolean };

/** A run that finished no epoch has learned nothing: it replaces no model (Esc at 0 % keeps the one you had). */
export function replacesModel(result: Pick<TrainResult, 'epochs'>): boolean {
  return result.epochs.length > 0;
}

/** What resume() found: the profile's ratings (as rows of the current model or dataset) and the model reopened. */
export interface Resumed {
  profile: string;
  /** The ratings of movies the current model (or dataset) has, with their rows. */
  ratings: (ProfileRating & { index: number })[];
  /** Ratings of movies it does not have (another dataset's): kept, and matched again when the model changes. */
  elsewhere: ProfileRating[];
  model: { from: 'snapshot'; name: string } | { from: 'kept' } | null;
  /** Things to tell the person (a snapshot that is gone, a damaged file moved aside …). */
  notes: string[];
}


export interface SessionOptions {
  dataDir?: string;
  snapshotsDir?: string;
  /** Whose ratings and last model (default "default"). */
  profile?: string;
  /** The state folder for profiles and kept models (default $XDG_STATE_HOME/factorlens). */
  stateDir?: string;
}

const snapshotApi = () => import('../snapshot/index.js');

/** Splits of more ratings than this are made in a worker (ML-1M's 1M takes ~0.1 s here; ML-25M's ~2 s). */
const SPLIT_IN_WORKER_FROM = 2_000_000;
/** How many splits the session keeps (the model's and one other: a tuning run's, say). */
const KEPT_SPLITS = 2;

export class Session {
  private readonly coldStart = new ColdStart({
    model: () => this.model,
    dataset: () => this.dataset(),
    loadedDataset: () => this.ds,
    pick: (m) => this.pickOf(m as CurrentModel),
    split: (ds, options) => this.splitFor(ds, options),
    fitTaste: (m, ds) => this.inBackground(async () => tasteInWorker(ds, m.weights, await this.splitFor(ds, m.options))),
    fitMeta: (m, ds) => this.inBackground(async () => metaInWorker(ds, m.weights, await this.splitFor(ds, m.options))),
    dataDir: () => this.dsDir ?? resolveDataDir(this.opts.dataDir),
    snapshotsDir: () => this.opts.snapshotsDir,
  });

  private ds: Dataset | null = null;
  private dsDir: string | null = null;
  private search: TitleSearch | null = null;
  private model: CurrentModel | null = null;
  private running: { cancel(): void } | null = null;
  /** The load in progress, so that panes asking meanwhile share it rather than start another. */
  private loading: { dir: string; promise: Promise<Dataset> } | null = null;
  private readonly profileName: string;
  private readonly profiles: ProfileStore;
  private readonly keptModels: KeptModels;
  private profile: Profile;
  /** Writes still on their way to disk (the profile, a kept model): close() waits for them. */
  private writes = new Set<Promise<unknown>>();
  private board: LeaderboardRun | null = null;
  /** The trained models of the leaderboard rows this session computed (the first fold's), by protocol and row. */
  private boardModels = new Map<string, TrainResult>();

  constructor(private readonly opts: SessionOptions = {}) {
    this.profileName = validateProfileName(opts.profile ?? DEFAULT_PROFILE);
    const root = opts.stateDir ?? stateRoot();
    this.profiles = new ProfileStore(root);
    this.keptModels = new KeptModels(root);
    this.profile = emptyProfile(this.profileName);
  }

  // ---- dataset -------------------------------------------------------------------------------

  async datasetStatus(onProgress?: (fraction: number) => void) {
    let dir: string;
    try {
      dir = resolveDataDir(this.opts.dataDir);
    } catch (err) {
      if (err instanceof DataError && !this.opts.dataDir && !process.env.FACTORLENS_DATA) return { state: 'missing' as const, cacheDir: cacheDir() };
      throw err;
    }
    const ds = await this.dataset(dir, onProgress);
    const mean = ds.ratings.reduce((a, b) => a + b, 0) / Math.max(1, ds.nRatings);
    return {
      state: 'ready' as const,
      summary: {
        name: ds.name,
        source: ds.source,
        nRatings: ds.nRatings,
        nUsers: ds.nUsers,
        nItems: ds.nItems,
        density: ds.nRatings / (ds.nUsers * ds.nItems),
        mean,
        histogram: ds.histogram,
        scale: ds.scale,
        // what training uses when y_range is left to the data (src/model/train/defaults.ts)
        yRange: defaultYRange(ds.scale),
      },
    };
  }

  private async dataset(dir?: string, onProgress?: (fraction: number) => void): Promise<Dataset> {
    if (this.ds && (!dir || dir === this.dsDir)) return this.ds;
    const d = dir ?? resolveDataDir(this.opts.dataDir);
    // the app asks for the dataset and the profile at once: read it once
    if (this.loading?.dir !== d) {
      // shared columns: the training worker reads this very memory rather than loading the data again
      const promise = loadDataset(d, { onProgress }).then((loaded) => {
        const ds = withSharedColumns(loaded);
        this.ds = ds;
        this.dsDir = d;
        if (!this.model) this.search = new TitleSearch(ds.titles, { popularity: ds.itemCount });
        return ds;
      });
      this.loading = { dir: d, promise };
      promise.catch(() => {
        if (this.loading?.promise === promise) this.loading = null;
      });
    }
    return this.loading.promise;
  }

  async downloadDataset(onProgress: (received: number, total: number) => void): Promise<void> {
    const dir = await downloadDataset('ml-100k', { onProgress: (r, t) => onProgress(r, t ?? 0) });
    await this.dataset(dir);
  }

  async crosstab(nUsers: number, nMovies: number) {
    const ds = await this.dataset();
    const ct = crosstab(ds, nUsers, nMovies);
    const movies = ct.movies.map((title) => {
      const index = ds.titles.indexOf(title);
      return { index, title, nRatings: index >= 0 ? ds.itemCount[index] : 0 };
    });
    return { users: ct.users, movies, cells: ct.cells };
  }

  private titles(): string[] {
    return this.model?.vocab.titles ?? this.ds?.titles ?? [];
  }

  searchTitles(query: string, limit: number): { index: number; title: string; score: number; close: boolean; rated?: boolean }[] {
    if (!this.search) {
      const titles = this.titles();
      if (!titles.length) return [];
      this.search = new TitleSearch(titles);
    }
    const hits = this.search.search(query, limit);
    // movies the titles file lists but nobody rated: found when they match closely, and marked (the CLI's search does the same)
    const unrated = this.unratedSearch()?.search(query, limit).filter((h) => h.close) ?? [];
    if (unrated.length === 0) return hits;
    const marked = unrated.map((h) => ({ ...h, index: -1 - h.index, rated: false }));
    return [...hits, ...marked].sort((a, b) => a.score - b.score).slice(0, limit);
  }

  private unratedCache: { of: Dataset; search: TitleSearch } | null = null;
  private unratedSearch(): TitleSearch | null {
    const ds = this.ds;
    if (!ds?.unrated?.length) return null;
    if (this.unratedCache?.of !== ds) this.unratedCache = { of: ds, search: new TitleSearch(ds.unrated.map((u) => u.title)) };
    return this.unratedCache.search;
  }

  movieInfo(index: number) {
    const v = this.model?.vocab;
    if (v) return { index, title: v.titles[index], year: v.years[index], genres: v.genres[index], nRatings: v.itemCount[index], mean: v.itemMean[index] };
    const ds = this.ds;
    if (!ds) throw new ModelError('no dataset loaded');
    return { index, title: ds.titles[index], year: ds.years[index], genres: ds.genres[index], nRatings: ds.itemCount[index], mean: ds.itemMean[index] };
  }

  // ---- training ------------------------------------------------------------------------------

  startTraining(options: Partial<TrainOptions>, onEvent: (event: TrainEvent) => void) {
    if (this.running) throw new ModelError('a model is already training: cancel it first (Esc)');
    const dir = this.dsDir ?? resolveDataDir(this.opts.dataDir);
    // 'done' is held back until the model is in place, so a listener can use it at once
    let done: TrainEvent | null = null;
    const ds = this.ds && this.dsDir === dir ? this.ds : undefined;
    const run = trainInWorker(dir, options, (e) => (e.type === 'done' ? (done = e) : onEvent(e)), ds);
    this.running = run;
    // the rows it trained on are the ranking's, the pick model's …: kept rather than made again
    void run.split.then((split) => ds && split && this.keepSplit(splitKey(ds, options), Promise.resolve(split)));
    run.result.then(
      (result) => {
        this.running = null;
        if (replacesModel(result)) {
          this.model = { ...result, snapshot: null, saved: false, kept: false };
          this.search = new TitleSearch(result.vocab.titles, { popularity: result.vocab.itemCount });
          this.keepCurrent();
          // the new-user model is fitted now, in its own worker, before anyone asks for it
          void this.pickOf(this.model);
        }
        if (done) onEvent(done);
      },
      () => {
        this.running = null;
      },
    );
    return { cancel: () => run.cancel() };
  }

  // ---- tuning --------------------------------------------------------------------------------

  /**
   * A search in worker threads (one per core); this thread only schedules. 'done' comes once the winner
   * is the current model (unsaved), carrying the result without its weights.
   */
  startTuning(request: { model: string; budgetSeconds: number; metric: 'rmse' | 'ndcg'; split: string; seed: number }, onEvent: (e: SessionTuneEvent) => void) {
    if (this.running) throw new ModelError('a model is already training: cancel it first (Esc)');
    const controller = new AbortController();
    const quit = new AbortController();
    // cancel() is what close() calls: everything stops, the final run too
    this.running = { cancel: () => quit.abort() };
    const dir = this.dsDir ?? resolveDataDir(this.opts.dataDir);
    void (async () => {
      try {
        const ds = await this.dataset(dir);
        const split = await this.splitFor(ds, { split: request.split, seed: request.seed });
        // the search pulls in the trainer (and tfjs): loaded when first asked for, never for the first frame
        const [{ tuneModel }, { workerPool }] = await Promise.all([import('../tune/tune.js'), import('./tunePool.js')]);
        const result = await tuneModel(
          ds,
          split,
          { model: request.model, budgetSeconds: request.budgetSeconds, metric: request.metric, seed: request.seed },
          (holdout) => workerPool(dir, holdout, request.metric, os.availableParallelism()),
          { signal: controller.signal, quit: quit.signal, onEvent: (e) => (e.type === 'done' ? undefined : onEvent(e)) },
        );
        this.running = null;
        if (result.model) {
          this.model = { ...result.model, snapshot: null, saved: false, kept: false };
          this.search = new TitleSearch(result.model.vocab.titles, { popularity: result.model.vocab.itemCount });
          this.keepCurrent();
        }
        const { model: _weights, ...plain } = result;
        onEvent({ type: 'done', result: { ...plain, hasModel: result.model !== null } });
      } catch (err) {
        this.running = null;
        onEvent({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      }
    })();
    return { stop: () => controller.abort() };
  }

  /** The built-in presets and the user's (a damaged presets file is reported, not fatal). */
  presets() {
    const builtIn = Object.values(PRESETS).map((p) => ({ name: p.name, description: p.description, options: p.options, builtIn: true }));
    try {
      const mine = Object.values(readUserPresets()).map((p) => ({ name: p.name, description: p.description, options: p.options, builtIn: false }));
      return { presets: [...builtIn, ...mine], file: userPresetsFile(), problem: null };
    } catch (err) {
      return { presets: builtIn, file: userPresetsFile(), problem: err instanceof Error ? err.message : String(err) };
    }
  }

  async savePreset(name: string, options: Partial<TrainOptions>, description: string, testRmse?: number) {
    await saveUserPreset({ name, description, options, testRmse, source: 'the Tune view' });
  }

  // ---- the current model ---------------------------------------------------------------------

  private need(): CurrentModel {
    if (!this.model) throw new ModelError('no model yet: train one (Train pane) or load a snapshot');
    return this.model;
  }

  modelInfo() {
    const m = this.model;
    if (!m) return null;
    const kind = kindOf(m.weights);
    const shape = kind.shape(m.weights);
    return {
      kind: m.options.model,
      label: runLabel(m.weights, m.options, m.epochs.length),
      suggestedName: runName(m.options, epochsPerMember(m.options, m.epochs.length) || m.options.epochs),
      shows: kind.shows,
      similarityNote: similarityNoteOf(m.weights),
      options: m.options,
      epochs: m.epochs,
      batchLosses: m.batchLosses,
      backend: m.backend,
      snapshot: m.snapshot,
      saved: m.saved,
      kept: m.kept,
      split: m.split,
      catalogue: m.vocab,
      userDim: shape.userDim,
      itemDim: shape.itemDim,
      stepCost: kind.stepCost?.(shape) ?? shape.userDim,
    };
  }

  async recommend(ratings: { index: number; rating: number }[], top: number, ranking: 'pick-like' | 'stars' = 'pick-like') {
    const m = this.need();
    const pick = ranking === 'pick-like' ? await this.pickOf(m) : null;
    const res = recommend(m.weights, m.vocab, ratings.map((r) => ({ item: r.index, rating: r.rating })), { top, pick, ranking: pick ? 'pick-like' : 'stars' });
    return res.recommendations.map(shownRecommendation);
  }

  // the splits last asked for, by what names them (splitKey): at ML-25M size each is 100 MB of shared
  // rows and seconds to make, and the trainer, the ranking and the fits after training share one
  private splits = new Map<string, Promise<Split>>();

  /** Keeps the split as the most recently used, dropping the oldest beyond KEPT_SPLITS. */
  private keepSplit(key: string, split: Promise<Split>): Promise<Split> {
    this.splits.delete(key);
    this.splits.set(key, split);
    for (const old of this.splits.keys()) if (this.splits.size > KEPT_SPLITS) this.splits.delete(old);
    return split;
  }

  /** The split the options name, made once (off this thread on large data: seconds of shuffling). */
  splitFor(ds: Dataset, options: Partial<TrainOptions>): Promise<Split> {
    const key = splitKey(ds, options);
    const kept = this.splits.get(key);
    if (kept) return this.keepSplit(key, kept);
    const made = ds.nRatings > SPLIT_IN_WORKER_FROM ? splitInWorker(ds, options) : Promise.resolve().then(() => splitOf(ds, options));
    // a refused split is not kept: the next ask says why again
    made.catch(() => this.splits.get(key) === made && this.splits.delete(key));
    return this.keepSplit(key, made);
  }

  private backgroundQueue: Promise<unknown> = Promise.resolve();

  /**
   * The fits that follow a training run (the pick model, the questionnaire's model) run one after
   * another, each in its worker, so that their memory does not add up at ML-25M size.
   */
  private inBackground<T>(job: () => Promise<T>): Promise<T> {
    const run = this.backgroundQueue.then(job, job);
    this.backgroundQueue = run.catch(() => undefined);
    return run;
  }

  // fitted at most once per model: for a model trained here (its worker hands on no pick model when it
  // trained on this session's dataset) and for one saved before snapshots carried it
  private pickFits = new WeakMap<CurrentModel, Promise<PickModel | null>>();

  /**
   * The model's pick model (pick × like): saved or trained with it, else fitted in a worker from its
   * training ratings when they are loaded (null when they are not: the ranking is by stars).
   */
  private pickOf(m: CurrentModel): Promise<PickModel | null> {
    if (m.pick) return Promise.resolve(m.pick);
    let fit = this.pickFits.get(m);
    if (!fit) {
      const ds = this.ds;
      fit =
        ds && ds.hash === m.dataset.hash && m.epochs.length > 0
          ? this.inBackground(async () => pickInWorker(ds, await this.splitFor(ds, m.options))).then(
              (pick) => {
                m.pick = pick;
                // the copy kept for the next launch gets it too
                if (this.model === m && m.kept && !m.saved) this.keepCurrent();
                return pick;
              },
              () => null,
            )
          : Promise.resolve(null);
      this.pickFits.set(m, fit);
    }
    return fit;
  }

  async similar(index: number, top: number) {
    const m = this.need();
    // a model with no movie similarity says so in modelInfo().similarityNote; its list is empty
    if (similarityName(m.weights) === null) return [];
    return similarMovies(m.weights, m.vocab, index, { top });
  }

  async bias(kind: 'movie' | 'user', n: number) {
    const m = this.need();
    const r = biasRanking(m.weights, m.vocab, { kind, top: n });
    const row = (e: { name: string; bias: number; nRatings: number; meanRating: number }) => ({ label: e.name, bias: e.bias, nRatings: e.nRatings, mean: e.meanRating });
    return { top: r.top.map(row), bottom: r.bottom.map(row) };
  }

  async movieBias(index: number): Promise<number | null> {
    const w = this.need().weights;
    return kindOf(w).biases(w)?.item[index] ?? null;
  }

  async pca(nMovies: number, nComponents: number) {
    const m = this.need();
    const r = moviePca(m.weights, m.vocab, { movies: nMovies, components: nComponents });
    return { explained: r.explainedVariance, points: r.movies };
  }

  // maps of each model, by request: switching method or axes back and forth is instant
  private maps = new WeakMap<CurrentModel, Map<string, Promise<MovieMap>>>();
  private lastMap: { model: CurrentModel; map: MovieMap } | null = null;

  /** The map of the current model (UMAP in a worker, with progress); cached per model and request. */
  async movieMap(req: { method: MapMethod; x: string | null; y: string | null; isolate: string | null; color: ColorBy }, onProgress?: (fraction: number) => void): Promise<MovieMap> {
    const m = this.need();
    let genre: string | null = null;
    let search: string | null = null;
    if (req.isolate?.trim()) {
      try {
        genre = genreNamed(m.vocab, req.isolate);
      } catch {
        search = req.isolate.trim();
      }
    }
    const key = JSON.stringify([req.method, req.x?.trim() || null, req.y?.trim() || null, genre, search, req.color]);
    let byKey = this.maps.get(m);
    if (!byKey) this.maps.set(m, (byKey = new Map()));
    let p = byKey.get(key);
    if (!p) {
      p = movieMap(m.weights, m.vocab, { method: req.method, x: req.x?.trim() || null, y: req.y?.trim() || null, genre, search, color: req.color }, { onProgress, umap: umapInWorker });
      byKey.set(key, p);
      p.catch(() => byKey!.delete(key));
    }
    const map = await p;
    this.lastMap = { model: m, map };
    return map;
  }

  /** The k nearest movies (model cosine) of one point of the last map, and whether the map keeps each near. */
  async mapNeighbours(point: number) {
    const last = this.lastMap;
    if (!last || last.model !== this.model) return [];
    return mapNeighboursOf(last.model.weights, last.map, point);
  }

  /** You on the last map: your folded-in user vector, where the kind has one in the movies' space; null otherwise. */
  async placeOnMap(ratings: { index: number; rating: number }[]): Promise<{ x: number; y: number } | null> {
    const last = this.lastMap;
    if (!last || last.model !== this.model) return null;
    const w = last.model.weights;
    const kind = kindOf(w);
    if (!kind.shows.ratings || !kind.itemVectors(w)) return null;
    let theta: Float64Array;
    try {
      theta = foldIn(w, ratings.map((r) => ({ item: r.index, rating: r.rating }))).theta;
    } catch {
      return null;
    }
    return placeUser(w, last.map, kind.userParts(w, theta).factors);
  }

  /** Watch together: you and the named profiles (their ratings as rows of the current model), two lists. */
  async watchTogether(mine: { index: number; rating: number }[], names: string[], top: number) {
    const m = this.need();
    const others = [];
    for (const name of names) {
      const { profile } = await this.profiles.read(validateProfileName(name));
      if (!profile.updatedAt) throw new ModelError(`no profile named "${name}": rate some movies with --profile ${name} first`);
      others.push({ name: profile.name, ratings: matchToCatalogue(m.vocab, profile.ratings).matched.map((r) => ({ item: r.index, rating: r.rating })) });
    }
    return watchTogether(m.weights, m.vocab, [{ name: 'you', ratings: mine.map((r) => ({ item: r.index, rating: r.rating })) }, ...others], { top });
  }

  /** Your predicted rating of one movie; NaN (shown as —) for a model that predicts no ratings. */
  async predictFor(ratings: { index: number; rating: number }[], index: number): Promise<number> {
    const m = this.need();
    if (!kindOf(m.weights).shows.ratings) return NaN;
    const fold = foldIn(m.weights, ratings.map((r) => ({ item: r.index, rating: r.rating })));
    return scoreItems(m.weights, fold.theta)[index];
  }

  // ---- snapshots -----------------------------------------------------------------------------

  async listSnapshots() {
    const { listSnapshots } = await snapshotApi();
    const all = await listSnapshots(this.opts.snapshotsDir);
    // damaged ones are listed too, with what is wrong, so they can be seen and deleted
    return all.map((s) => ({
      name: s.name,
      model: s.model ?? 'dotbias',
      factors: s.factors ?? 0,
      size: s.size ?? '',
      split: s.split ?? '',
      epochs: s.epochs ?? 0,
      validRmse: s.validRmse ?? null,
      dataset: s.dataset ?? '',
      created: s.createdAt ?? '',
      sizeBytes: s.sizeBytes,
      ...(s.error ? { broken: s.problem ?? s.error } : {}),
    }));
  }

  async saveSnapshot(name: string, options: { force: boolean }) {
    const m = this.need();
    const { checkReplaceable, saveSnapshotOrKeep, SnapshotKeptElsewhere, listSnapshots, snapshotsDir, validateSnapshotName } = await snapshotApi();
    validateSnapshotName(name);
    if (!options.force) {
      const existing = await listSnapshots(this.opts.snapshotsDir);
      if (existing.some((s) => s.name === name)) return { saved: false as const, reason: 'exists' as const };
    }
    // what the rules refuse (a folder that is not a snapshot, a taken name) is said first: the model stays
    // here and another name will do; a save that still fails keeps the model in a recovery folder
    // (destination.ts), and the app says where, briefly
    const dir = snapshotsDir(this.opts.snapshotsDir);
    await checkReplaceable(name, dir, options.force);
    // the snapshot carries the new-user model (it may still be fitting just after training)
    await this.pickOf(m);
    try {
      await saveSnapshotOrKeep(name, m, { dir, force: options.force });
    } catch (err) {
      if (!(err instanceof SnapshotKeptElsewhere)) throw err;
      const home = os.homedir();
      const where = path.join(err.keptDir, err.keptName);
      throw new ModelError(`could not save (${err.reason}); the model is kept in ${where.startsWith(home + path.sep) ? '~' + where.slice(home.length) : where}`);
    }
    m.snapshot = name;
    m.saved = true;
    if (this.model === m) this.rememberModel({ snapshot: name });
    return { saved: true as const };
  }

  async loadSnapshot(name: string): Promise<void> {
    const { loadSnapshot } = await snapshotApi();
    const s = await loadSnapshot(name, { dir: this.opts.snapshotsDir, datasetHash: this.ds?.hash });
    this.model = { ...resultOf(s), snapshot: name, saved: true, kept: false };
    this.search = new TitleSearch(s.vocab.titles, { popularity: s.vocab.itemCount });
    this.rememberModel({ snapshot: name });
  }

  async removeSnapshot(name: string): Promise<void> {
    const { removeSnapshot } = await snapshotApi();
    await removeSnapshot(name, this.opts.snapshotsDir);
    if (this.model?.snapshot === name) {
      this.model.snapshot = null;
      this.model.saved = false;
      // no snapshot holds it now: keep a copy, so the next launch still reopens it
      this.keepCurrent();
    }
  }

  // ---- the profile: your ratings and the model you had open, across launches --------------------

  /**
   * Reads the profile and reopens its last model (the snapshot it names, else the kept copy), then
   * matches its ratings to the rows of that model (or of the dataset). Nothing here throws: what
   * could not be done is said in `notes`.
   */
  async resume(): Promise<Resumed> {
    const notes: string[] = [];
    const read = await this.profiles.read(this.profileName).catch((err: unknown) => {
      notes.push((err as Error).message);
      return { profile: emptyProfile(this.profileName), problem: undefined };
    });
    if (read.problem) notes.push(read.problem);
    this.profile = read.profile;
    // the dataset first (when there is one): a snapshot's dataset warning needs its hash
    await this.dataset().catch(() => undefined);
    let model: Resumed['model'] = null;
    const last = this.profile.model;
    if (!this.model && last && 'snapshot' in last) {
      try {
        await this.loadSnapshot(last.snapshot);
        model = { from: 'snapshot', name: last.snapshot };
      } catch (err) {
        notes.push(`could not reopen snapshot "${last.snapshot}": ${(err as Error).message}`);
      }
    }
    if (!this.model && last) {
      try {
        const kept = await this.keptModels.load(this.profileName, this.ds?.hash);
        if (kept) {
          this.model = { ...kept, snapshot: null, saved: false, kept: true };
          this.search = new TitleSearch(kept.vocab.titles, { popularity: kept.vocab.itemCount });
          model = { from: 'kept' };
        }
      } catch (err) {
        notes.push(`the model kept from last time could not be read: ${(err as Error).message}`);
      }
    }
    const v = this.vocabulary();
    const { matched, elsewhere } = v ? matchToCatalogue(v, this.profile.ratings) : { matched: [], elsewhere: this.profile.ratings };
    return { profile: this.profileName, ratings: matched, elsewhere, model, notes };
  }

  /** The profile's name ("default" unless --profile said otherwise). */
  profileInfo(): { name: string; file: string } {
    return { name: this.profileName, file: this.profiles.file(this.profileName) };
  }

  /**
   * Saves your ratings in the profile, by item id: all of them, those of movies the current model does
   * not know (another dataset's) too — the app holds both and hands over the whole list.
   */
  saveRatings(ratings: ProfileRating[]): Promise<void> {
    const mine = ratings.map((r) => ({ item: r.item, title: r.title, rating: r.rating }));
    this.profile = { ...this.profile, ratings: mine, dataset: this.datasetIdentity() };
    return this.writeProfile();
  }

  /** The movies the current model has (else the loaded dataset's), by row; null before either. */
  catalogue(): Catalogue | null {
    return this.vocabulary();
  }

  /** The rating scale of the current model's data (else the dataset's): what the Rate pane offers. */
  ratingScale(): { min: number; max: number; step: number } {
    return this.model?.vocab.scale ?? this.ds?.scale ?? { min: 1, max: 5, step: 1 };
  }

  private vocabulary(): { itemIds: string[]; titles: string[] } | null {
    return this.model?.vocab ?? this.ds ?? null;
  }

  private datasetIdentity(): Profile['dataset'] {
    const d = this.model?.dataset ?? (this.ds ? { name: this.ds.name, hash: this.ds.hash } : null);
    return d ? { name: d.name, hash: d.hash } : null;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.writes.add(p);
    const drop = () => this.writes.delete(p);
    p.then(drop, drop);
    return p;
  }

  private writeProfile(): Promise<void> {
    return this.track(this.profiles.write(this.profile));
  }

  private rememberModel(model: Profile['model']): Promise<void> {
    this.profile = { ...this.profile, model, dataset: this.datasetIdentity() ?? this.profile.dataset };
    return this.writeProfile().catch(() => undefined);
  }

  /** Keeps a copy of the current model for the next launch (it is marked kept at once; close() waits). */
  private keepCurrent(): void {
    const m = this.model;
    if (!m) return;
    m.kept = true;
    const work = this.keptModels.keep(this.profileName, m).then(
      () => (this.model === m && !m.saved ? this.rememberModel({ kept: true }) : undefined),
      () => {
        m.kept = false;
      },
    );
    this.track(work);
  }

  // ---- lr-find, compare, ranking, export, one-hot ----------------------------------------------

  /**
   * lr-find on the UI's thread: it needs the dataset this session already holds, takes well under a
   * second for the embedding models, and lrFind yields to the event loop every ~20 ms, so keys and
   * redraws go on while it runs.
   */
  lrFind(options: Partial<TrainOptions>, onProgress: (done: number, total: number) => void) {
    const controller = new AbortController();
    const result = (async () => {
      const ds = await this.dataset();
      const split = await this.splitFor(ds, options);
      const { lrFind } = await import('../train/lrFind.js');
      const r = await lrFind(ds, split, options, {}, { signal: controller.signal, onBatch: (i) => onProgress(i + 1, 200) });
      return { lrs: r.lrs, losses: r.losses, suggestions: r.suggestions, suggestionIndex: r.suggestionIndex, stop: r.stop, seconds: r.seconds, model: r.options.model };
    })();
    return { result, cancel: () => controller.abort() };
  }

  async snapshotRun(name: string): Promise<RunInput> {
    const { showSnapshot, snapshotsDir } = await snapshotApi();
    const d = await showSnapshot(name, snapshotsDir(this.opts.snapshotsDir));
    return { name, options: d.manifest.options, epochs: d.manifest.training.epochs };
  }

  compareRuns(runs: RunInput[]) {
    return compareRuns(runs);
  }

  // Scoring every movie for every user takes a moment: once per model is enough.
  private rankingCache = new WeakMap<CurrentModel, RankingSummary>();

  async ranking(): Promise<RankingSummary> {
    const m = this.need();
    const cached = this.rankingCache.get(m);
    if (cached) return cached;
    const ds = await this.dataset();
    if (ds.hash !== m.dataset.hash) throw new ModelError(`ranking needs the model's own data (${m.dataset.name}); ${ds.name} is loaded`);
    if (!kindOf(m.weights).shows.ranking) throw new ModelError(`the ${m.options.model} model scores every movie the same: ranking quality is not available for this model`);
    // a large model is ranked on a sample of users, in slices between which keys and redraws go on
    const r = await rankingMetricsAsync(m.weights, ds, await this.splitFor(ds, m.options), { maxUsers: rankingUserCapFor(m.weights), intervals: {} });
    const out: RankingSummary = {
      k: r.k,
      relevantThreshold: r.relevantThreshold,
      users: r.users,
      precision: r.precision,
      recall: r.recall,
      ndcg: r.ndcg,
      coverage: r.coverage,
      popularityLift: r.popularityLift,
      listUsers: r.listUsers,
      mostRecommended: r.mostRecommended.map((x) => ({ title: m.vocab.titles[x.index] ?? String(x.index), lists: x.lists })),
      ...(r.intervals ? { ndcgInterval: { low: r.intervals.ndcg.low, high: r.intervals.ndcg.high } } : {}),
    };
    this.rankingCache.set(m, out);
    return out;
  }

  async exportProjector(dir?: string) {
    const m = this.need();
    const name = m.snapshot ?? runName(m.options, epochsPerMember(m.options, m.epochs.length));
    const target = path.resolve(dir ?? path.join('projector', name));
    const r = await writeProjectorFiles(target, m.weights, m.vocab);
    return { dir: target, ...r };
  }

  async oneHot(userIndex: number) {
    const m = this.need();
    const id = m.vocab.userIds[userIndex];
    if (id === undefined) throw new ModelError(`user index ${userIndex} is outside 0..${m.vocab.userIds.length - 1}`);
    // tfjs is loaded only when a view needs tensors, never on the way to the first frame
    const { oneHotVsLookup } = await import('../interpret/onehot.js');
    return oneHotVsLookup(m.weights, userIndex, id, { repeats: 20 });
  }

  // ---- cold start both ways, and the feedback loop (coldStartSession.ts) -----------------------------

  questionnaire() {
    return this.coldStart.questionnaire();
  }

  async recommendFromAnswers(ratings: { index: number; rating: number }[], answers: Answer[], top: number, ranking: 'pick-like' | 'stars' = 'pick-like') {
    return (await this.coldStart.recommendFromAnswers(ratings, answers, top, ranking)).map(shownRecommendation);
  }

  genres() {
    return this.coldStart.genres();
  }

  addMovie(movie: NewMovieInput) {
    return this.coldStart.addMovie(movie);
  }

  addedMovies() {
    return this.coldStart.addedMovies();
  }

  simulate(settings: Partial<SimulationOptions>, onRound: (r: RoundStats) => void) {
    return this.coldStart.simulate(settings, onRound);
  }

  // ---- the leaderboard ------------------------------------------------------------------------

  /**
   * Every leaderboard model on one protocol, in a worker: cached rows at once, the others one after
   * another. The rows trained now keep their (first fold's) model in memory, for openLeaderboardRow.
   */
  runLeaderboard(request: { protocol: string; models?: string[] }, onEvent: (e: LeaderboardEvent) => void) {
    if (this.board) throw new ModelError('a leaderboard is already running: cancel it first (Esc)');
    const dir = this.dsDir ?? resolveDataDir(this.opts.dataDir);
    const run = leaderboardInWorker(dir, request, (e) => {
      if (e.type === 'row' && e.result) this.boardModels.set(boardKey(request.protocol, e.row.model), e.result);
      // the UI gets plain rows: the weights stay here
      onEvent(e.type === 'row' ? { type: 'row', row: e.row } : e);
    }, this.ds && this.dsDir === dir ? this.ds : undefined);
    this.board = run;
    const done = run.done.then(
      () => {
        this.board = null;
      },
      (err: unknown) => {
        this.board = null;
        throw err;
      },
    );
    return { cancel: () => run.cancel(), done };
  }

  /**
   * Makes a leaderboard row's model the current one: 'opened' when this session trained it; else
   * 'retrain' with the options to train it with (a row from the cache has no weights).
   */
  async openLeaderboardRow(protocol: string, row: Pick<LeaderboardRow, 'model' | 'options'>): Promise<{ opened: true } | { opened: false; options: TrainOptions }> {
    const result = this.boardModels.get(boardKey(protocol, row.model));
    if (!result) return { opened: false, options: row.options };
    this.model = { ...result, snapshot: null, saved: false, kept: false };
    this.search = new TitleSearch(result.vocab.titles, { popularity: result.vocab.itemCount });
    this.keepCurrent();
    return { opened: true };
  }

  async close(): Promise<void> {
    this.running?.cancel();
    this.running = null;
    this.board?.terminate();
    this.board = null;
    // a kept model or a profile still being written finishes first: that is what the next launch reopens
    while (this.writes.size > 0) await Promise.allSettled([...this.writes]);
  }
}


/** A recommendation as the Rate pane shows it: its reasons named by what they weigh. */
function shownRecommendation(r: RecommendResult['recommendations'][number]) {
  return {
    index: r.index,
    title: r.title,
    predicted: r.predicted,
    lowEvidence: r.lowEvidence,
    popularityShare: r.popularityShare,
    because: r.reasons.map((x) => ({ title: x.title, weight: x.push, share: x.share, rating: x.rating, expected: x.expected, similarity: x.similarity })),
  };
}

export { DownloadError };

function boardKey(protocol: string, model: string): string {
  return `${protocol} ${model}`;
}

/** What the similar-movies list of this model means, when it is not plain factor cosine. */
function similarityNoteOf(w: TrainResult['weights']): string | null {
  const kind = kindOf(w);
  if (kind.shows.popularityInFactors) return NN_SIMILARITY_NOTE;
  const name = similarityName(w);
  if (name === null) return `the ${w.kind} model has no movie similarities: not available for this model`;
  return kind.neighbours ? name : null;
}
