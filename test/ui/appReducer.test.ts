import { describe, expect, it } from 'vitest';
import { appReducer, initialAppState, type AppAction, type AppState } from '../../src/ui/state/appReducer.js';

const run = (actions: AppAction[], state: AppState = initialAppState()) => actions.reduce(appReducer, state);
const catalogue = { itemIds: ['1', '2', '3'], titles: ['Star Wars (1977)', 'Contact (1997)', 'Fargo (1996)'] };
const model = { label: 'dotbias 50f 5ep', backend: 'cpu', snapshot: null, saved: false, kept: false, catalogue };

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
    const sw = { index: 0, item: '1', title: 'Star Wars (1977)', rating: 5 };
    const fargo = { index: 2, item: '3', title: 'Fargo (1996)', rating: 4 };
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

  it('counts each change you make to your ratings (what is saved to the profile), not a model that matches them anew', () => {
    const sw = { index: 0, item: '1', title: 'Star Wars (1977)', rating: 5 };
    const s = run([{ type: 'rate', movie: sw }, { type: 'undoRating' }, { type: 'rate', movie: sw }, { type: 'clearRatings' }]);
    expect(s.ratingsEdits).toBe(4);
    expect(appReducer(s, { type: 'modelLoaded', model: { ...model, snapshot: 'a', saved: true } }).ratingsEdits).toBe(4);
  });

  describe('a new model matches your ratings to its own rows', () => {
    const sw = { index: 0, item: '1', title: 'Star Wars (1977)', rating: 5 };
    const fargo = { index: 2, item: '3', title: 'Fargo (1996)', rating: 4 };
    // another dataset's model: Star Wars at another row, no Fargo, and an item "3" that is another film
    const other = { ...model, snapshot: 'other', saved: true, catalogue: { itemIds: ['9', '1', '3'], titles: ['Heat (1995)', 'Star Wars (1977)', 'Clerks (1994)'] } };
    const rated = run([{ type: 'trainingEnded', status: 'done', message: 'ok', model }, { type: 'rate', movie: sw }, { type: 'rate', movie: fargo }]);

    it('moves a rating to its movie\'s new row and sets aside one the model lacks (an id alone is not the movie)', () => {
      const s = appReducer(rated, { type: 'modelLoaded', model: other });
      expect(s.ratings).toEqual([{ ...sw, index: 1 }]);
      expect(s.ratingsElsewhere).toEqual([{ item: '3', title: 'Fargo (1996)', rating: 4 }]);
      expect(s.notice).toBe('loaded snapshot "other" · 1 rating set aside (not in this model)');
    });

    it('brings a set-aside rating back with a model that has its movie, at that model\'s row', () => {
      const away = appReducer(rated, { type: 'modelLoaded', model: other });
      const back = appReducer(away, { type: 'modelLoaded', model: { ...model, snapshot: 'a', saved: true } });
      expect(back.ratings).toEqual([sw, fargo]);
      expect(back.ratingsElsewhere).toEqual([]);
      expect(back.notice).toContain('1 rating back');
    });

    it('matches the undo history too: undo never brings back a row of the old model', () => {
      const s = appReducer(appReducer(rated, { type: 'modelLoaded', model: other }), { type: 'undoRating' });
      expect(s.ratings).toEqual([{ ...sw, index: 1 }]);
    });

    it('rates by item id: a prompt opened before the model changed rates the same movie at its new row', () => {
      const s = appReducer(appReducer(initialAppState(), { type: 'modelLoaded', model: other }), { type: 'rate', movie: sw });
      expect(s.ratings).toEqual([{ ...sw, index: 1 }]);
      const lacking = appReducer(appReducer(initialAppState(), { type: 'modelLoaded', model: other }), { type: 'rate', movie: fargo });
      expect(lacking.ratings).toEqual([]);
      expect(lacking.notice).toContain('not in the current model');
    });

    it('keeps the profile\'s ratings of another dataset from the relaunch, and those given while it was read', () => {
      const early = appReducer(initialAppState(), { type: 'rate', movie: fargo });
      const s = appReducer(early, { type: 'resumed', profile: 'default', ratings: [sw], elsewhere: [{ item: '77', title: 'Heat (1995)', rating: 2 }], model, notice: null });
      expect(s.ratings).toEqual([sw, fargo]);
      expect(s.ratingsElsewhere).toEqual([{ item: '77', title: 'Heat (1995)', rating: 2 }]);
    });
  });

  it('tracks the dataset and a transient notice', () => {
    const s = run([{ type: 'dataset', dataset: { state: 'missing', cacheDir: '/c' } }, { type: 'notice', text: 'hello' }]);
    expect(s.dataset).toEqual({ state: 'missing', cacheDir: '/c' });
    expect(s.notice).toBe('hello');
    expect(appReducer(s, { type: 'notice', text: null }).notice).toBeNull();
  });
});
