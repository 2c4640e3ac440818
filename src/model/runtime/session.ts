/**
 * The app's model-side state behind the UI's AppServices interface (src/ui/services.ts, matched
 * structurally so the model layer never imports the UI): the dataset, the current model, training in a
 * worker, interpretation and snapshots. Plain values cross; tensors stay here.
 */
import { DataError, DownloadError, TitleSearch, cacheDir, crosstab, downloadDataset, loadDataset, resolveDataDir } from '../../data/index.js';
import type { Dataset } from '../../data/types.js';
import { ModelError } from '../errors.js';
import { biasRanking, foldIn, moviePca, recommend, similarMovies } from '../interpret/index.js';
import { scoreItems } from '../models/forward.js';
import { kindOf, runLabel, runName } from '../models/index.js';
import { NN_SIMILARITY_NOTE } from '../interpret/similar.js';
import { trainInWorker } from './trainInWorker.js';
import type { TrainEvent, TrainOptions, TrainResult } from '../types.js';
import { makeSplit } from '../../data/index.js';
import { DEFAULT_TRAIN_OPTIONS } from '../train/defaults.js';
import { compareRuns, type RunInput } from '../evaluate/compare.js';
import { rankingMetrics, type RankingSummary } from '../evaluate/ranking.js';
import { writeProjectorFiles } from '../interpret/projector.js';
import os from 'node:os';
import path from 'node:path';
import type { TuneEvent, TuneResult } from '../tune/tune.js';
import { PRESETS } from '../train/presets.js';
import { readUserPresets, saveUserPreset, userPresetsFile } from '../train/userPresets.js';

/** Tune events as the UI gets them: the result without the model's weights (the session keeps those). */
export type SessionTuneEvent = Exclude<TuneEvent, { type: 'done' }> | { type: 'done'; result: Omit<TuneResult, 'model'> & { hasModel: boolean } } | { type: 'error'; message: string };

/** The model in memory: what training (or a snapshot) handed on, and whether a snapshot holds it. */
type CurrentModel = TrainResult & { snapshot: string | null; saved: boolean };


export interface SessionOptions {
  dataDir?: string;
  snapshotsDir?: string;
}

const snapshotApi = () => import('../snapshot/index.js');

export class Session {
  private ds: Dataset | null = null;
  private dsDir: string | null = null;
  private search: TitleSearch | null = null;
  private model: CurrentModel | null = null;
  private running: { cancel(): void } | null = null;

  constructor(private readonly opts: SessionOptions = {}) {}

  // ---- dataset -------------------------------------------------------------------------------

  async datasetStatus() {
    let dir: string;
    try {
      dir = resolveDataDir(this.opts.dataDir);
    } catch (err) {
      if (err instanceof DataError && !this.opts.dataDir && !process.env.FACTORLENS_DATA) return { state: 'missing' as const, cacheDir: cacheDir() };
      throw err;
    }
    const ds = await this.dataset(dir);
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
      },
    };
  }

  private async dataset(dir?: string): Promise<Dataset> {
    if (this.ds && (!dir || dir === this.dsDir)) return this.ds;
    const d = dir ?? resolveDataDir(this.opts.dataDir);
    this.ds = await loadDataset(d);
    this.dsDir = d;
    this.search = new TitleSearch(this.ds.titles);
    return this.ds;
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

  searchTitles(query: string, limit: number) {
    if (!this.search) {
      const titles = this.titles();
      if (!titles.length) return [];
      this.search = new TitleSearch(titles);
    }
    return this.search.search(query, limit);
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
    const run = trainInWorker(dir, options, (e) => (e.type === 'done' ? (done = e) : onEvent(e)));
    this.running = run;
    run.result.then(
      (result) => {
        this.running = null;
        this.model = { ...result, snapshot: null, saved: false };
        this.search = new TitleSearch(result.vocab.titles);
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
        const split = makeSplit(ds, request.split, { seed: request.seed });
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
          this.model = { ...result.model, snapshot: null, saved: false };
          this.search = new TitleSearch(result.model.vocab.titles);
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
    return {
      kind: m.options.model,
      label: runLabel(m.weights, m.options, m.epochs.length),
      suggestedName: runName(m.options, m.epochs.length || m.options.epochs),
      shows: kind.shows,
      similarityNote: kind.shows.popularityInFactors ? NN_SIMILARITY_NOTE : null,
      options: m.options,
      epochs: m.epochs,
      batchLosses: m.batchLosses,
      backend: m.backend,
      snapshot: m.snapshot,
      saved: m.saved,
    };
  }

  async recommend(ratings: { index: number; rating: number }[], top: number) {
    const m = this.need();
    const res = recommend(m.weights, m.vocab, ratings.map((r) => ({ item: r.index, rating: r.rating })), { top });
    return res.recommendations.map((r) => ({
      index: r.index,
      title: r.title,
      predicted: r.predicted,
      lowEvidence: r.lowEvidence,
      because: r.reasons.map((x) => ({ title: x.title, weight: x.push })),
    }));
  }

  async similar(index: number, top: number) {
    const m = this.need();
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

  async predictFor(ratings: { index: number; rating: number }[], index: number): Promise<number> {
    const m = this.need();
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
    return { saved: true as const };
  }

  async loadSnapshot(name: string): Promise<void> {
    const { loadSnapshot } = await snapshotApi();
    const s = await loadSnapshot(name, { dir: this.opts.snapshotsDir, datasetHash: this.ds?.hash });
    const man = s.manifest;
    const result: TrainResult = {
      weights: s.weights,
      vocab: s.vocab,
      options: s.options,
      epochs: s.epochs,
      batchLosses: s.batchLosses,
      backend: man.backend,
      reason: man.training.reason,
      message: man.training.message,
      seconds: man.training.seconds,
      dataset: man.dataset,
      split: man.split,
    };
    this.model = { ...result, snapshot: name, saved: true };
    this.search = new TitleSearch(s.vocab.titles);
  }

  async removeSnapshot(name: string): Promise<void> {
    const { removeSnapshot } = await snapshotApi();
    await removeSnapshot(name, this.opts.snapshotsDir);
    if (this.model?.snapshot === name) {
      this.model.snapshot = null;
      this.model.saved = false;
    }
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
      const split = makeSplit(ds, options.split ?? DEFAULT_TRAIN_OPTIONS.split, { validPct: options.validPct, seed: options.seed });
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
    const o = m.options;
    const r = rankingMetrics(m.weights, ds, makeSplit(ds, o.split, { validPct: o.validPct, seed: o.seed }));
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
    };
    this.rankingCache.set(m, out);
    return out;
  }

  async exportProjector(dir?: string) {
    const m = this.need();
    const name = m.snapshot ?? runName(m.options, m.epochs.length);
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

  async close(): Promise<void> {
    this.running?.cancel();
    this.running = null;
  }
}


export { DownloadError };
