/**
 * The app's cold start and feedback loop (behind AppServices, for Session): the questionnaire and the
 * metadata model of the current model — each fitted once per model on its training ratings, which must
 * be the dataset loaded — movies added to the current snapshot, and the simulation in a worker thread.
 */
import type { Dataset, Split } from '../../data/types.js';
import { catalogueGenres, matchGenre, type Answer } from '../coldstart/features.js';
import { newMovieReport, type MetadataModel } from '../coldstart/newMovie.js';
import { questionnaireStart, type TasteModel } from '../coldstart/questionnaire.js';
import { ModelError } from '../errors.js';
import type { RoundStats, SimulationOptions } from '../evaluate/simulate.js';
import { pickModelFor, type PickModel } from '../interpret/pickAndLike.js';
import { recommend, type Recommendation } from '../interpret/recommend.js';
import type { TrainOptions, TrainResult } from '../types.js';
import { simulateInWorker } from './simulateInWorker.js';

const snapshotApi = () => import('../snapshot/index.js');

export interface NewMovieInput {
  title: string;
  year: number | null;
  genres: string[];
  ratings: { userId: string; rating: number }[];
}

/** What Session lends: the model now, the dataset, and where snapshots live. */
export interface ColdStartHost {
  model(): (TrainResult & { snapshot: string | null; saved: boolean }) | null;
  dataset(): Promise<Dataset>;
  /** The dataset if it is loaded already (no waiting). */
  loadedDataset(): Dataset | null;
  /** The model's pick model, fitted off this thread when it has none (null: it cannot be fitted). */
  pick(m: TrainResult): Promise<PickModel | null>;
  /** The split the options name (made once, off this thread on large data). */
  split(ds: Dataset, options: Partial<TrainOptions>): Promise<Split>;
  /** The questionnaire's model of the model, fitted off this thread on the dataset given. */
  fitTaste(m: TrainResult, ds: Dataset): Promise<TasteModel>;
  /** The new-movie metadata model of the model, fitted off this thread on the dataset given. */
  fitMeta(m: TrainResult, ds: Dataset): Promise<MetadataModel>;
  dataDir(): string;
  snapshotsDir(): string | undefined;
}

/** The model's training ratings (the dataset's columns, its split's train rows: not copied) and what is fitted on them. */
interface Fitted {
  ds: Dataset;
  trainRows: Int32Array;
  pick: PickModel;
  meta?: Promise<MetadataModel>;
}

export class ColdStart {
  private fitted = new WeakMap<TrainResult, Fitted>();
  private tastes = new WeakMap<TrainResult, Promise<TasteModel>>();

  constructor(private readonly host: ColdStartHost) {}

  private need(): TrainResult & { snapshot: string | null; saved: boolean } {
    const m = this.host.model();
    if (!m) throw new ModelError('no model yet: train one (Train pane) or load a snapshot');
    return m;
  }

  /** The current model's training ratings (and its pick model), from the dataset it was trained on. */
  private async training(m: TrainResult): Promise<Fitted> {
    let f = this.fitted.get(m);
    if (f) return f;
    const ds = await this.host.dataset();
    if (ds.hash !== m.dataset.hash) throw new ModelError(`the cold-start models are fitted on the model's own training ratings (${m.dataset.name}); ${ds.name} is loaded`);
    const split = await this.host.split(ds, m.options);
    const pick = m.pick ?? (await this.host.pick(m)) ?? pickModelFor(ds, split);
    f = this.fitted.get(m) ?? { ds, trainRows: split.train, pick };
    this.fitted.set(m, f);
    return f;
  }

  /** The questionnaire's model (fitted once per model, off this thread) and the pick model its answers start. */
  private async taste(m: TrainResult): Promise<{ pick: PickModel; taste: TasteModel }> {
    let fit = this.tastes.get(m);
    if (!fit) {
      fit = this.host.dataset().then((ds) => {
        if (ds.hash !== m.dataset.hash) throw new ModelError(`the cold-start models are fitted on the model's own training ratings (${m.dataset.name}); ${ds.name} is loaded`);
        return this.host.fitTaste(m, ds);
      });
      this.tastes.set(m, fit);
      // a failed fit is tried again when next asked
      fit.catch(() => this.tastes.delete(m));
    }
    const taste = await fit;
    const pick = m.pick ?? (await this.host.pick(m)) ?? (await this.training(m)).pick;
    return { pick, taste };
  }

  async questionnaire() {
    const { taste } = await this.taste(this.need());
    return taste.questions.map((q) => ({ name: q.name, kind: q.kind }));
  }

  /**
   * The answers start the list: their θ is the fold-in's prior, and under pick × like their lifts
   * start the pick model's priors. Under 'stars' the list is ranked by predicted rating from that θ.
   */
  async recommendFromAnswers(ratings: { index: number; rating: number }[], answers: Answer[], top: number, ranking: 'pick-like' | 'stars' = 'pick-like'): Promise<Recommendation[]> {
    const m = this.need();
    const { pick: basePick, taste } = await this.taste(m);
    const start = questionnaireStart(taste, answers, basePick, ratings.length);
    const pick = ranking === 'pick-like' ? start.pick : null;
    return recommend(m.weights, m.vocab, ratings.map((r) => ({ item: r.index, rating: r.rating })), { top, pick, ranking: pick ? 'pick-like' : 'stars', foldIn: { prior: start.prior } }).recommendations;
  }

  genres(): string[] {
    const m = this.host.model();
    const catalogue = m?.vocab ?? this.host.loadedDataset();
    return catalogue ? catalogueGenres(catalogue) : [];
  }

  async addMovie(input: NewMovieInput) {
    const m = this.need();
    const f = await this.training(m);
    if (!f.meta) {
      const fit = this.host.fitMeta(m, f.ds);
      f.meta = fit;
      // a failed fit is tried again when next asked
      fit.catch(() => f.meta === fit && delete f.meta);
    }
    // fitting (seconds on large data) while the input is checked: a mistake is said at once, and nothing
    // is kept with the snapshot unless the model could be fitted
    const metaFit = f.meta;
    const title = input.title.trim();
    if (!title) throw new ModelError('a new movie needs a title');
    const known = catalogueGenres(m.vocab);
    const genres = input.genres.map((g) => {
      const name = matchGenre(known, g);
      if (!name) throw new ModelError(`unknown genre "${g}": this catalogue has ${known.join(', ')}`);
      return name;
    });
    const scale = m.vocab.scale ?? { min: 1, max: 5 };
    for (const r of input.ratings) {
      if (!m.vocab.userIds.includes(r.userId)) throw new ModelError(`no user with id "${r.userId}" in this model`);
      if (!(r.rating >= scale.min && r.rating <= scale.max)) throw new ModelError(`rating ${r.rating} is outside the data's scale (${scale.min} to ${scale.max})`);
    }
    const meta = await metaFit;
    let movie = { title, year: input.year, genres, ratings: input.ratings };
    let keptIn: string | null = null;
    if (m.snapshot && m.saved) {
      // kept with the snapshot: what was added before under this title is merged with what arrives now
      const { mergeAddedMovie, readAddedMovies, writeAddedMovies } = await snapshotApi();
      const dir = this.host.snapshotsDir();
      const merged = mergeAddedMovie(await readAddedMovies(m.snapshot, dir), movie);
      await writeAddedMovies(m.snapshot, merged.movies, dir);
      movie = merged.movie;
      keptIn = m.snapshot;
    }
    // ratings kept earlier under a user id this model lacks (another model saved under the name) are left out
    const resolved = movie.ratings.map((r) => ({ user: m.vocab.userIds.indexOf(r.userId), rating: r.rating })).filter((r) => r.user >= 0);
    const report = newMovieReport(m.weights, m.vocab, f.ds, meta, movie, resolved, { top: 10, rows: f.trainRows });
    return {
      title,
      features: report.features,
      model: report.metadataModel,
      steps: report.steps.map((s) => ({ ratings: s.ratings, meanPredicted: s.meanPredicted, bias: s.bias, arrived: s.arrived && { userId: s.arrived.userId, rating: s.arrived.rating, predictedBefore: s.arrived.predictedBefore } })),
      whom: report.whom.map((a) => ({ userId: a.userId, predicted: a.predicted, rank: a.rank, favourites: a.favourites })),
      map: report.map,
      nearest: report.nearest.map((x) => ({ title: x.title, similarity: x.similarity })),
      keptIn,
    };
  }

  async addedMovies(): Promise<NewMovieInput[]> {
    const m = this.host.model();
    if (!m?.snapshot || !m.saved) return [];
    const { readAddedMovies } = await snapshotApi();
    return (await readAddedMovies(m.snapshot, this.host.snapshotsDir())).map(({ title, year, genres, ratings }) => ({ title, year, genres, ratings }));
  }

  simulate(settings: Partial<SimulationOptions>, onRound: (r: RoundStats) => void) {
    // the simulation trains the current model's kind and options (the app's own run otherwise)
    const o = this.host.model()?.options;
    const train = o ? { model: o.model, factors: o.factors, layers: o.layers, epochs: o.epochs, lr: o.lr, wd: o.wd, bs: o.bs, seed: o.seed } : {};
    return simulateInWorker(this.host.dataDir(), train, settings, onRound);
  }
}
