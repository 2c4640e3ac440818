/** What App hands every pane (see `common` in App.tsx), and the extras the model-driven panes share. */
import type { Dispatch } from 'react';
import type { AppServices } from '../services.js';
import type { AppAction, RatedMovie } from '../state/appReducer.js';

export interface PaneProps {
  services: AppServices;
  dispatch: Dispatch<AppAction>;
  width: number;
  height: number;
  /** The pane is on screen and gets the keys. */
  active: boolean;
}

/** Panes that show what the current model says (recomputed when modelVersion changes). */
export interface ModelPaneProps extends PaneProps {
  modelVersion: number;
  hasModel: boolean;
}

/** Panes that find movies and use your ratings (Rate, Search). */
export interface MoviePaneProps extends ModelPaneProps {
  ratings: RatedMovie[];
  datasetReady: boolean;
}
