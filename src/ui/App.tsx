/** The whole screen: header, the active pane, status bar; app-wide state and global keys. */
import React, { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { Box, useApp } from 'ink';
import type { AppServices, Resumed } from './services.js';
import type { ProfileRating } from '../data/profiles.js';
import { terminalSafeServices } from './terminalSafeServices.js';
import { appReducer, initialAppState, type AppState, type RatedMovie } from './state/appReducer.js';
import type { PaneId } from './state/panes.js';
import { ColorContext, colorEnabled } from './lib/theme.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { useTraining, modelStateOf } from './hooks/useTraining.js';
import { useGlobalKeys } from './hooks/useGlobalKeys.js';
import { CaptureContext, type CaptureRegistry } from './hooks/useKeyCapture.js';
import { KeyRouterContext, KeyTick, useKeyRouter } from './hooks/useKeys.js';
import { messageOf } from './hooks/useAsync.js';
import { Header } from './components/Header.js';
import { StatusBar } from './components/StatusBar.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { Confirm } from './components/Confirm.js';
import { MIN_COLUMNS, MIN_ROWS, TooSmall } from './components/TooSmall.js';
import { TrainPane } from './panes/train/TrainPane.js';
import { RatePane } from './panes/rate/RatePane.js';
import { SearchPane } from './panes/search/SearchPane.js';
import { BiasPane } from './panes/bias/BiasPane.js';
import { MapPane } from './panes/map/MapPane.js';
import { SnapshotsPane } from './panes/snapshots/SnapshotsPane.js';
import { DataPane } from './panes/data/DataPane.js';
import { LoopPane } from './panes/loop/LoopPane.js';
import { LeaderboardPane } from './panes/leaderboard/LeaderboardPane.js';
import { Shown } from './components/Shown.js';

export interface AppProps {
  services: AppServices;
  colors?: boolean;
  initialPane?: PaneId;
}

const NOTICE_MS = 6000;

/** The app with its key router: every useKeys below shares one Ink subscription. */
export function App(props: AppProps) {
  const router = useKeyRouter();
  // strings from files reach the panes only through the services: cleaned there, once for all panes
  const services = useMemo(() => terminalSafeServices(props.services), [props.services]);
  return (
    <KeyRouterContext.Provider value={router}>
      <KeyTick router={router} />
      <Screen {...props} services={services} />
    </KeyRouterContext.Provider>
  );
}

function Screen({ services, colors = colorEnabled(), initialPane = 'train' }: AppProps) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [state, dispatch] = useReducer(appReducer, initialPane, initialAppState);
  const training = useTraining(services, dispatch);
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  const capture = useRef<CaptureRegistry>({}).current;
  useGlobalKeys(state, dispatch, capture, { paneKeys: !tooSmall });

  const refreshDataset = useCallback(() => {
    // the first frame is up before the data: the status bar shows how far the reading has come
    let shown = -1;
    const onProgress = (f: number) => {
      const pct = Math.floor(f * 100);
      if (pct === shown) return;
      shown = pct;
      dispatch({ type: 'dataset', dataset: { state: 'loading', fraction: f } });
    };
    services.datasetStatus(onProgress).then(
      (s) => {
        if (s.state === 'ready') dispatch({ type: 'dataset', dataset: { state: 'ready', name: s.summary.name, nRatings: s.summary.nRatings, scale: s.summary.scale, yRange: s.summary.yRange } });
        else {
          dispatch({ type: 'dataset', dataset: { state: 'missing', cacheDir: s.cacheDir } });
          dispatch({ type: 'showPane', pane: 'data' });
        }
      },
      (err: unknown) => dispatch({ type: 'dataset', dataset: { state: 'error', message: messageOf(err) } }),
    );
  }, [services]);
  useEffect(refreshDataset, [refreshDataset]);

  useEffect(() => {
    if (!state.quitting) return;
    training.cancel();
    exit();
  }, [state.quitting, training, exit]);

  useEffect(() => {
    if (!state.notice) return;
    const t = setTimeout(() => dispatch({ type: 'notice', text: null }), NOTICE_MS);
    return () => clearTimeout(t);
  }, [state.notice]);

  const onModelLoaded = useCallback(() => {
    const info = services.modelInfo();
    if (!info) return;
    training.showHistory(info);
    dispatch({ type: 'modelLoaded', model: modelStateOf(info) });
  }, [services, training]);

  // Where you left off: the profile's ratings and its last model (or one the session already holds).
  useEffect(() => {
    let live = true;
    void services.resume().then((r) => {
      if (!live) return;
      const info = services.modelInfo();
      if (info) training.showHistory(info);
      dispatch({ type: 'resumed', profile: r.profile, ratings: r.ratings, elsewhere: r.elsewhere, model: info ? modelStateOf(info) : null, notice: resumeNotice(r) });
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Every change you make to your ratings goes to the profile, all of them by item id (the session
  // writes it atomically); a new model only matches them to its rows, which changes nothing to save.
  const allRatings = useRef<ProfileRating[]>([]);
  allRatings.current = [...state.ratings, ...state.ratingsElsewhere];
  useEffect(() => {
    if (state.profile === null || state.ratingsEdits === 0) return;
    services.saveRatings(allRatings.current.map((r) => ({ item: r.item, title: r.title, rating: r.rating }))).catch((err: unknown) => dispatch({ type: 'notice', text: messageOf(err) }));
  }, [services, state.profile, state.ratingsEdits]);

  // Below the minimum the frame stays mounted but hidden (laid out at the minimum size), so nothing typed,
  // chosen or trained is lost while the terminal is too small; it comes back as it was.
  const frameColumns = Math.max(columns, MIN_COLUMNS);
  // One line short of the terminal: a frame as tall as the screen makes Ink clear it on every redraw.
  const height = Math.max(rows, MIN_ROWS) - 1;
  const bodyHeight = height - 2;
  const active = (id: PaneId) => !tooSmall && state.pane === id && state.overlay === null;
  const show = (id: PaneId) => state.pane === id && state.overlay?.kind !== 'help';
  const common = { services, dispatch, width: frameColumns, height: bodyHeight };
  const datasetReady = state.dataset.state === 'ready';
  const hasModel = state.model !== null;

  return (
    <ColorContext.Provider value={colors}>
      <CaptureContext.Provider value={capture}>
      {tooSmall ? <TooSmall columns={columns} rows={rows} question={state.overlay?.kind === 'quit' ? quitQuestion(state) : null} onAnswer={(yes) => dispatch(yes ? { type: 'confirmQuit' } : { type: 'closeOverlay' })} /> : null}
      <Shown on={!tooSmall} flexDirection="column" width={frameColumns} height={height}>
        <Header pane={state.pane} width={frameColumns} />
        <Box flexDirection="column" height={bodyHeight} overflow="hidden">
          {state.overlay?.kind === 'help' ? <HelpOverlay width={frameColumns} height={bodyHeight} /> : null}
          <Shown on={show('train')}>
            <TrainPane {...common} active={active('train')} training={training} status={state.training.status} message={state.training.message} model={state.model} modelVersion={state.modelVersion} datasetReady={datasetReady} datasetLoading={state.dataset.state === 'loading'} datasetRatings={state.dataset.state === 'ready' ? state.dataset.nRatings : 0} wd0Requested={state.wd0Requested} autoYRange={state.dataset.state === 'ready' ? state.dataset.yRange : null} />
          </Shown>
          <Shown on={show('rate')}>
            <RatePane {...common} active={active('rate')} profile={state.profile} ratings={state.ratings} modelVersion={state.modelVersion} hasModel={hasModel} datasetReady={datasetReady} />
          </Shown>
          <Shown on={show('search')}>
            <SearchPane {...common} active={active('search')} ratings={state.ratings} modelVersion={state.modelVersion} hasModel={hasModel} datasetReady={datasetReady} />
          </Shown>
          <Shown on={show('bias')}>
            <BiasPane {...common} active={active('bias')} modelVersion={state.modelVersion} hasModel={hasModel} />
          </Shown>
          <Shown on={show('pca')}>
            <MapPane {...common} active={active('pca')} modelVersion={state.modelVersion} hasModel={hasModel} ratings={state.ratings} />
          </Shown>
          <Shown on={show('snapshots')}>
            <SnapshotsPane {...common} active={active('snapshots')} model={state.model} training={state.training.status === 'training'} onModelLoaded={onModelLoaded} />
          </Shown>
          <Shown on={show('data')}>
            <DataPane {...common} active={active('data')} dataset={state.dataset} onDatasetReady={refreshDataset} />
          </Shown>
          <Shown on={show('leaderboard')}>
            <LeaderboardPane {...common} active={active('leaderboard')} training={training} trainingBusy={state.training.status === 'training'} onModelLoaded={onModelLoaded} />
          </Shown>
          <Shown on={show('loop')}>
            <LoopPane {...common} active={active('loop')} datasetReady={datasetReady} modelVersion={state.modelVersion} />
          </Shown>
        </Box>
        {state.overlay?.kind === 'quit' ? (
          <Confirm question={quitQuestion(state)} active={!tooSmall} onAnswer={(yes) => dispatch(yes ? { type: 'confirmQuit' } : { type: 'closeOverlay' })} />
        ) : (
          <StatusBar state={state} view={training.view} width={frameColumns} />
        )}
      </Shown>
      </CaptureContext.Provider>
    </ColorContext.Provider>
  );
}

/** One line on what the relaunch brought back, or what went wrong doing it. */
export function resumeNotice(r: Resumed): string | null {
  if (r.notes.length > 0) return r.notes[0];
  // short enough for an 80-column status bar: a notice is read in full
  const what = r.model === null ? null : r.model.from === 'snapshot' ? `snapshot "${r.model.name}"` : 'your unsaved model';
  const mine = r.ratings.length > 0 ? `${r.ratings.length} rating${r.ratings.length === 1 ? '' : 's'} (profile ${r.profile})` : null;
  const aside = r.elsewhere.length > 0 ? `${r.elsewhere.length} set aside (not in this model)` : null;
  if (!what && !mine) return aside;
  return [`reopened ${[what, mine].filter(Boolean).join(' · ')}`, aside].filter(Boolean).join(' · ');
}

function quitQuestion(state: AppState): string {
  if (state.overlay?.kind === 'quit' && state.overlay.reason === 'training') return 'A model is training; quitting stops it and loses it. Quit?';
  return 'The trained model is not saved (Snapshots pane, s). Quit and lose it?';
}
