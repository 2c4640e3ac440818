import { describe, expect, it } from 'vitest';
import { appReducer, initialAppState, type AppAction, type AppState } from '../../src/ui/state/appReducer.js';

const run = (actions: AppAction[], state: AppState = initialAppState()) => actions.reduce(appReducer, state);
const model = { label: 'dotbias 50f 5ep', backend: 'cpu', snapshot: null, saved: false, kept: false };

describe('appReducer', () => {
  it('steps through the panes both ways and wraps around', () => {
    expect(run([{ type: 'stepPane', delta: 1 }]).pane).toBe('rate');
    expect(run([{ type: 'stepPane', delta: -1 }]).pane).toBe('loop');
    expect(run([{ type: 'showPane', pane: 'pca' }, { type: 'stepPane', delta: 1 }]).pane).toBe('snapshots');
  });

  it('quits at once when nothing would be lost', () => {
    const s = run([{ type: 'requestQuit' }]);
    expect(s.quitting).toBe(true);
    expect(s.overlay).toBeNull();
  });

  it('asks before quitting with an unsaved model, and not once it is saved', () => {
    const trained = run([{ type: 'trainingStarted' }, { type: 'trainingEnded', status: 'done', message: 'ok', model }]);
    const asked = appReducer(trained, { type: 'requestQuit' });
    expect(asked.quitting).toBe(false);
    expect(asked.overlay).toEqual({ kind: 'quit', reason: 'unsaved' });
    expect(appReducer(asked, { type: 'confirmQuit' }).quitting).toBe(true);
    expect(appReducer(asked, { type: 'closeOverlay' }).overlay).toBeNull();
    const saved = appReducer(trained, { type: 'modelSaved', snapshot: 'mine' });
    expect(saved.model).toMatchObject({ saved: true, snapshot: 'mine' });
    expect(appReducer(saved, { type: 'requestQuit' }).quitting).toBe(true);
  });

  it('asks before quitting while training', () => {
    const s = run([{ type: 'trainingStarted' }, { type: 'requestQuit' }]);
    expect(s.overlay).toEqual({ kind: 'quit', reason: 'training' });
  });

  it('keeps the weights of a cancelled run as the current model and bumps the model version', () => {
    const s = run([{ type: 'trainingStarted' }, { type: 'trainingEnded', status: 'cancelled', message: 'cancelled', model }]);
    expect(s.training.status).toBe('cancelled');
    expect(s.model?.label).toBe('dotbias 50f 5ep');
    expect(s.modelVersion).toBe(1);
  });

  it('leaves the model alone when training fails', () => {
    const s = run([{ type: 'trainingStarted' }, { type: 'trainingEnded', status: 'error', message: 'NaN', model: null }]);
    expect(s.training).toEqual({ status: 'error', message: 'NaN' });
    expect(s.model).toBeNull();
    expect(s.modelVersion).toBe(0);
  });

  it('loading a snapshot makes it the current, saved model', () => {
    const s = run([{ type: 'modelLoaded', model: { ...model, snapshot: 'a', saved: true } }]);
    expect(s.model?.snapshot).toBe('a');
    expect(s.modelVersion).toBe(1);
    expect(s.notice).toContain('"a"');
  });

  it('deleting the current model\'s snapshot makes it unsaved again', () => {
    const loaded = run([{ type: 'modelLoaded', model: { ...model, snapshot: 'a', saved: true } }]);
    expect(appReducer(loaded, { type: 'snapshotRemoved', name: 'a' }).model).toMatchObject({ snapshot: null, saved: false });
    expect(appReducer(loaded, { type: 'snapshotRemoved', name: 'b' }).model).toMatchObject({ snapshot: 'a', saved: true });
  });

  it('rates, re-rates, undoes and clears', () => {
    const sw = { index: 0, title: 'Star Wars (1977)', rating: 5 };
    const fargo = { index: 2, title: 'Fargo (1996)', rating: 4 };
    let s = run([{ type: 'rate', movie: sw }, { type: 'rate', movie: fargo }, { type: 'rate', movie: { ...sw, rating: 3 } }]);
    expect(s.ratings).toEqual([fargo, { ...sw, rating: 3 }]);
    s = appReducer(s, { type: 'undoRating' });
    expect(s.ratings).toEqual([sw, fargo]);
    s = appReducer(s, { type: 'clearRatings' });
    expect(s.ratings).toEqual([]);
    s = appReducer(s, { type: 'undoRating' });
    expect(s.ratings).toEqual([sw, fargo]);
    expect(run([{ type: 'undoRating' }]).ratings).toEqual([]);
  });

  it('tracks the dataset and a transient notice', () => {
    const s = run([{ type: 'dataset', dataset: { state: 'missing', cacheDir: '/c' } }, { type: 'notice', text: 'hello' }]);
    expect(s.dataset).toEqual({ state: 'missing', cacheDir: '/c' });
    expect(s.notice).toBe('hello');
    expect(appReducer(s, { type: 'notice', text: null }).notice).toBeNull();
  });
});
