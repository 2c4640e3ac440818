/**
 * Work survives a relaunch: a session keeps the model no snapshot holds and the ratings in the
 * profile, and the next session (another launch) reopens both; a saved or loaded snapshot is what
 * reopens once there is one. Real ML-100K, a quick model trained in the worker.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session, replacesModel } from '../../src/model/runtime/session.js';
import type { TrainEvent } from '../../src/model/types.js';
import { testDataDir } from '../helpers/data.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'factorlens-resume-'));

function train(session: Session, options: object): Promise<Extract<TrainEvent, { type: 'done' }>> {
  return new Promise((resolve, reject) => {
    session.startTraining({ epochs: 1, bs: 4096, lr: 0.01, split: 'u1', ...options }, (e) => {
      if (e.type === 'done') resolve(e);
      else if (e.type === 'error') reject(new Error(e.message));
    });
  });
}

describe('a relaunch', () => {
  it('reopens the last trained model (kept though never saved) and the ratings; then the snapshot it was saved as', async () => {
    const stateDir = tmp();
    const snapshotsDir = tmp();
    const opts = { dataDir: testDataDir(), snapshotsDir, stateDir, profile: 'alice' };
    const first = new Session(opts);
    const fresh = await first.resume();
    expect(fresh).toMatchObject({ profile: 'alice', ratings: [], model: null, notes: [] });
    await train(first, { seed: 7 });
    const star = first.searchTitles('Star Wars (1977)', 1)[0];
    const fargo = first.searchTitles('Fargo (1996)', 1)[0];
    const item = (index: number) => first.catalogue()!.itemIds[index];
    // a rating of another dataset's movie (its id is one of this catalogue's, its title is not) is kept as it is
    const heat = { item: item(star.index), title: 'Heat (1995)', rating: 2 };
    await first.saveRatings([{ item: item(star.index), title: 'Star Wars (1977)', rating: 5 }, { item: item(fargo.index), title: 'Fargo (1996)', rating: 4 }, heat]);
    const before = await first.recommend([{ index: star.index, rating: 5 }], 5);
    expect(first.modelInfo()).toMatchObject({ saved: false, kept: true });
    await first.close();
    expect(existsSync(path.join(stateDir, 'models', 'alice', 'manifest.json'))).toBe(true);
    expect(existsSync(path.join(stateDir, 'profiles', 'alice.json'))).toBe(true);

    const second = new Session(opts);
    const back = await second.resume();
    expect(back.model).toEqual({ from: 'kept' });
    expect(back.ratings).toEqual([
      { index: star.index, item: '50', title: 'Star Wars (1977)', rating: 5 },
      { index: fargo.index, item: '100', title: 'Fargo (1996)', rating: 4 },
    ]);
    expect(back.elsewhere).toEqual([heat]);
    expect(second.modelInfo()).toMatchObject({ saved: false, kept: true, snapshot: null });
    expect(second.modelInfo()?.options.seed).toBe(7);
    expect(await second.recommend([{ index: star.index, rating: 5 }], 5)).toEqual(before);
    await second.saveSnapshot('mine', { force: false });
    await second.close();

    const third = new Session(opts);
    expect((await third.resume()).model).toEqual({ from: 'snapshot', name: 'mine' });
    expect(third.modelInfo()).toMatchObject({ saved: true, snapshot: 'mine' });
    // another profile has its own ratings and no model
    const bob = new Session({ ...opts, profile: 'bob' });
    expect(await bob.resume()).toMatchObject({ profile: 'bob', ratings: [], model: null });
    await Promise.all([third.close(), bob.close()]);
  }, 180_000);

  it('a snapshot that is gone falls back to the kept model, and says so', async () => {
    const stateDir = tmp();
    const snapshotsDir = tmp();
    const opts = { dataDir: testDataDir(), snapshotsDir, stateDir };
    const a = new Session(opts);
    await a.resume();
    await train(a, { seed: 3 });
    await a.saveSnapshot('s1', { force: false });
    await a.close();
    // removed behind the app's back (\`factorlens snapshots rm s1\`, or by hand)
    await rm(path.join(snapshotsDir, 's1'), { recursive: true });
    const b = new Session(opts);
    const r = await b.resume();
    expect(r.notes[0]).toMatch(/could not reopen snapshot "s1": no snapshot named "s1"/);
    expect(r.model).toEqual({ from: 'kept' });
    expect(b.modelInfo()?.options.seed).toBe(3);
    // deleting the current model's snapshot in the app keeps a copy again
    await b.saveSnapshot('s2', { force: false });
    await b.removeSnapshot('s2');
    await b.close();
    const c = new Session(opts);
    expect(await c.resume()).toMatchObject({ model: { from: 'kept' }, notes: [] });
    await c.close();
  }, 180_000);

  it('fits the new-user model in a worker of its own after training: pick × like ranks with it and the snapshot carries it; the questionnaire model likewise', async () => {
    const stateDir = tmp();
    const snapshotsDir = tmp();
    const opts = { dataDir: testDataDir(), snapshotsDir, stateDir, profile: 'bob' };
    const s = new Session(opts);
    await s.resume();
    // the dataset is loaded, so the training worker reads it shared and leaves the pick model to the session
    await s.datasetStatus();
    await train(s, { seed: 3 });
    const star = s.searchTitles('Star Wars (1977)', 1)[0];
    const recs = await s.recommend([{ index: star.index, rating: 5 }], 5);
    expect(recs).toHaveLength(5);
    expect(recs.every((r) => typeof r.popularityShare === 'number')).toBe(true);
    // the questionnaire's model is fitted in a worker too, and its answers start a list
    const questions = await s.questionnaire();
    expect(questions.map((q) => q.name)).toContain('Sci-Fi');
    const answers = questions.map((q) => q.name === 'Sci-Fi' ? ('like' as const) : ('neutral' as const));
    expect(await s.recommendFromAnswers([], answers, 5)).toHaveLength(5);
    await s.saveSnapshot('bobs', { force: false });
    const manifest = JSON.parse(readFileSync(path.join(snapshotsDir, 'bobs', 'manifest.json'), 'utf8')) as { pick?: unknown };
    expect(manifest.pick).toBeDefined();
    await s.close();
  });
});

describe('a run that finished no epoch', () => {
  it('replaces no model', () => {
    expect(replacesModel({ epochs: [] })).toBe(false);
    expect(replacesModel({ epochs: [{ epoch: 0, trainLoss: 1, validLoss: 1, validRmse: 1, validMae: 1, seconds: 1 }] })).toBe(true);
  });
});
