/** App-wide state in one place: which pane, training status, the current model, overlays, your ratings. */
import { PANES, type PaneId } from './panes.js';
import type { RatingScale } from '../services.js';

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
}

export interface RatedMovie {
  index: number;
  title: string;
  rating: number;
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
  /** Earlier versions of `ratings`, newest last, for undo. */
  ratingsHistory: RatedMovie[][];
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
  | { type: 'resumed'; profile: string; ratings: RatedMovie[]; model: ModelState | null; notice: string | null };

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
    ratingsHistory: [],
    notice: null,
    quitting: false,
    wd0Requested: false,
    profile: null,
  };
}

function withRatings(state: AppState, ratings: RatedMovie[]): AppState {
  const history = [...state.ratingsHistory, state.ratings].slice(-HISTORY_LIMIT);
  return { ...state, ratings, ratingsHistory: history };
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
      if (action.model) return { ...next, model: action.model, modelVersion: state.modelVersion + 1 };
      return next;
    }
    case 'resumed': {
      // ratings given while the profile was being read stay, on top of the profile's
      const ratings = state.ratings.length === 0 ? action.ratings : [...action.ratings.filter((r) => !state.ratings.some((x) => x.index === r.index)), ...state.ratings];
      const next: AppState = { ...state, profile: action.profile, ratings, notice: action.notice ?? state.notice };
      if (!action.model) return next;
      return { ...next, model: action.model, modelVersion: state.modelVersion + 1 };
    }
    case 'modelLoaded':
      return {
        ...state,
        model: action.model,
        modelVersion: state.modelVersion + 1,
        // The chart and table now show the loaded model's history, not a run of this session.
        training: state.training.status === 'training' ? state.training : { status: 'idle', message: null },
        notice: action.model.snapshot ? `loaded snapshot "${action.model.snapshot}"` : null,
      };
    case 'modelSaved':
      if (!state.model) return state;
      return { ...state, model: { ...state.model, snapshot: action.snapshot, saved: true }, notice: `saved snapshot "${action.snapshot}"` };
    case 'snapshotRemoved':
      if (state.model?.snapshot !== action.name) return { ...state, notice: `deleted snapshot "${action.name}"` };
      // The model in memory survives, but no snapshot holds it any more (the session keeps a copy of it).
      return { ...state, model: { ...state.model, snapshot: null, saved: false, kept: true }, notice: `deleted snapshot "${action.name}"` };
    case 'rate': {
      const rest = state.ratings.filter((r) => r.index !== action.movie.index);
      return withRatings(state, [...rest, action.movie]);
    }
    case 'undoRating': {
      if (state.ratingsHistory.length === 0) return state;
      const history = state.ratingsHistory.slice(0, -1);
      return { ...state, ratings: state.ratingsHistory[state.ratingsHistory.length - 1], ratingsHistory: history };
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
