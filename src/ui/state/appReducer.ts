/** App-wide state in one place: which pane, training status, the current model, overlays, your ratings. */
import { PANES, type PaneId } from './panes.js';
import type { RatingScale } from '../services.js';
import { matchToCatalogue, rowInCatalogue, type Catalogue, type ProfileRating } from '../../data/profiles.js';

export type TrainingStatus = 'idle' | 'training' | 'done' | 'error' | 'cancelled';

export type Overlay = { kind: 'help' } | { kind: 'quit'; reason: 'training' | 'unsaved' };

export type DatasetState =
  | { state: 'loading'; fraction?: number }
  | { state: 'ready'; name: string; nRatings: number; scale: RatingScale; yRange: [number, number] }
  | { state: 'missing'; cacheDir: string }
  | { state: 'error'; message: string };

export interface ModelState {
  /** Short description for the status bar, e.g. "dotbias 50f 5ep". */
  label: string;
  backend: string;
  snapshot: string | null;
  saved: boolean;
  /** A copy is kept for the next launch (the session's kept model): quitting loses nothing. */
  kept: boolean;
  /** Its movies by row: your ratings (kept by item id) are matched to its rows whenever the model changes. */
  catalogue: Catalogue;
}

/** One of your ratings: the movie's row in the current model (or dataset), its item id and title, your stars. */
export interface RatedMovie extends ProfileRating {
  index: number;
}

export interface AppState {
  pane: PaneId;
  overlay: Overlay | null;
  dataset: DatasetState;
  training: { status: TrainingStatus; message: string | null };
  model: ModelState | null;
  /** Bumped whenever the current model changes, so panes know to refetch. */
  modelVersion: number;
  ratings: RatedMovie[];
  /** Your ratings of movies the current model does not have (another dataset's): back when a model has them. */
  ratingsElsewhere: ProfileRating[];
  /** Earlier versions of `ratings`, newest last, for undo. */
  ratingsHistory: RatedMovie[][];
  /** Counts your own changes to the ratings (rate, undo, clear): each one is saved to the profile. */
  ratingsEdits: number;
  /** One transient line for the status bar (saved, loaded, errors). */
  notice: string | null;
  quitting: boolean;
  /** The Snapshots pane asked the Train pane to retrain the current model with wd 0 and compare. */
  wd0Requested: boolean;
  /** Whose ratings these are; null until the profile has been read. */
  profile: string | null;
}

export type AppAction =
  | { type: 'showPane'; pane: PaneId }
  | { type: 'stepPane'; delta: 1 | -1 }
  | { type: 'openOverlay'; overlay: Overlay }
  | { type: 'closeOverlay' }
  | { type: 'dataset'; dataset: DatasetState }
  | { type: 'trainingStarted' }
  | { type: 'trainingEnded'; status: 'done' | 'cancelled' | 'error'; message: string; model: ModelState | null }
  | { type: 'modelLoaded'; model: ModelState }
  | { type: 'modelSaved'; snapshot: string }
  | { type: 'snapshotRemoved'; name: string }
  | { type: 'rate'; movie: RatedMovie }
  | { type: 'undoRating' }
  | { type: 'clearRatings' }
  | { type: 'notice'; text: string | null }
  | { type: 'requestWd0' }
  | { type: 'wd0Taken' }
  | { type: 'requestQuit' }
  | { type: 'confirmQuit' }
  /** The profile was read: its ratings, and the model it reopened (if any). */
  | { type: 'resumed'; profile: string; ratings: RatedMovie[]; elsewhere: ProfileRating[]; model: ModelState | null; notice: string | null };

const HISTORY_LIMIT = 100;

export function initialAppState(pane: PaneId = 'train'): AppState {
  return {
    pane,
    overlay: null,
    dataset: { state: 'loading' },
    training: { status: 'idle', message: null },
    model: null,
    modelVersion: 0,
    ratings: [],
    ratingsElsewhere: [],
    ratingsHistory: [],
    ratingsEdits: 0,
    notice: null,
    quitting: false,
    wd0Requested: false,
    profile: null,
  };
}

function withRatings(state: AppState, ratings: RatedMovie[]): AppState {
  const history = [...state.ratingsHistory, state.ratings].slice(-HISTORY_LIMIT);
  return { ...state, ratings, ratingsHistory: history, ratingsEdits: state.ratingsEdits + 1 };
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * The state with `model` as the current model: rows are the model's own (another dataset's model
 * orders its movies differently, or lacks some), so every rating — and every undo step — is matched to
 * the new rows by item id and title. A movie the model lacks is set aside, never silently replaced by
 * whatever movie sits at its old row, and comes back with a model that has it.
 */
function withModel(state: AppState, model: ModelState, notice: string | null): AppState {
  const pool: ProfileRating[] = [...state.ratings.map(({ item, title, rating }) => ({ item, title, rating })), ...state.ratingsElsewhere];
  const { matched, elsewhere } = matchToCatalogue(model.catalogue, pool);
  const history = state.ratingsHistory.map((h) => matchToCatalogue(model.catalogue, h).matched);
  const aside = state.ratings.length - state.ratings.filter((r) => rowInCatalogue(model.catalogue, r) !== null).length;
  const back = matched.length - (state.ratings.length - aside);
  const said = [
    notice,
    aside > 0 ? `${plural(aside, 'rating')} set aside (not in this model)` : null,
    back > 0 ? `${plural(back, 'rating')} back (this model has them)` : null,
  ].filter(Boolean);
  return { ...state, model, modelVersion: state.modelVersion + 1, ratings: matched, ratingsElsewhere: elsewhere, ratingsHistory: history, notice: said.length > 0 ? said.join(' · ') : state.notice };
}

export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'showPane':
      return state.pane === action.pane ? state : { ...state, pane: action.pane };
    case 'stepPane': {
      const i = PANES.findIndex((p) => p.id === state.pane);
      const next = PANES[(i + action.delta + PANES.length) % PANES.length];
      return { ...state, pane: next.id };
    }
    case 'openOverlay':
      return { ...state, overlay: action.overlay };
    case 'closeOverlay':
      return state.overlay === null ? state : { ...state, overlay: null };
    case 'dataset':
      return { ...state, dataset: action.dataset };
    case 'trainingStarted':
      return { ...state, training: { status: 'training', message: null }, notice: null };
    case 'trainingEnded': {
      const next: AppState = { ...state, training: { status: action.status, message: action.message } };
      // A cancelled run keeps its weights: it is a model like any other, just shorter. One cancelled
      // before its first epoch brings no model, and the previous one stays the current model.
      if (action.model) return withModel(next, action.model, null);
      return next;
    }
    case 'resumed': {
      // ratings given while the profile was being read stay, on top of the profile's
      const mine = (r: ProfileRating) => state.ratings.some((x) => x.item === r.item && x.title === r.title);
      const ratings = state.ratings.length === 0 ? action.ratings : [...action.ratings.filter((r) => !mine(r)), ...state.ratings];
      const next: AppState = { ...state, profile: action.profile, ratings, ratingsElsewhere: action.elsewhere.filter((r) => !mine(r)), notice: action.notice ?? state.notice };
      if (!action.model) return next;
      return withModel(next, action.model, next.notice);
    }
    case 'modelLoaded':
      return withModel(
        // The chart and table now show the loaded model's history, not a run of this session.
        { ...state, training: state.training.status === 'training' ? state.training : { status: 'idle', message: null } },
        action.model,
        action.model.snapshot ? `loaded snapshot "${action.model.snapshot}"` : null,
      );
    case 'modelSaved':
      if (!state.model) return state;
      return { ...state, model: { ...state.model, snapshot: action.snapshot, saved: true }, notice: `saved snapshot "${action.snapshot}"` };
    case 'snapshotRemoved':
      if (state.model?.snapshot !== action.name) return { ...state, notice: `deleted snapshot "${action.name}"` };
      // The model in memory survives, but no snapshot holds it any more (the session keeps a copy of it).
      return { ...state, model: { ...state.model, snapshot: null, saved: false, kept: true }, notice: `deleted snapshot "${action.name}"` };
    case 'rate': {
      const movie = action.movie;
      const same = (r: ProfileRating) => r.item === movie.item && r.title === movie.title;
      // the row in the current model (it may have changed while the prompt was open)
      const index = state.model ? rowInCatalogue(state.model.catalogue, movie) : movie.index;
      if (index === null) return { ...state, notice: `${movie.title} is not in the current model: rating it would change nothing` };
      return withRatings(state, [...state.ratings.filter((r) => !same(r)), { ...movie, index }]);
    }
    case 'undoRating': {
      if (state.ratingsHistory.length === 0) return state;
      const history = state.ratingsHistory.slice(0, -1);
      return { ...state, ratings: state.ratingsHistory[state.ratingsHistory.length - 1], ratingsHistory: history, ratingsEdits: state.ratingsEdits + 1 };
    }
    case 'clearRatings':
      return state.ratings.length === 0 ? state : withRatings(state, []);
    case 'notice':
      return { ...state, notice: action.text };
    case 'requestWd0':
      return { ...state, pane: 'train', wd0Requested: true };
    case 'wd0Taken':
      return state.wd0Requested ? { ...state, wd0Requested: false } : state;
    case 'requestQuit':
      if (state.training.status === 'training') return { ...state, overlay: { kind: 'quit', reason: 'training' } };
      // a model no snapshot holds is kept for the next launch: only one that is not kept would be lost
      if (state.model && !state.model.saved && !state.model.kept) return { ...state, overlay: { kind: 'quit', reason: 'unsaved' } };
      return { ...state, quitting: true };
    case 'confirmQuit':
      return { ...state, overlay: null, quitting: true };
  }
}
