/** Issue #8 in the TUI: lr-find, presets, compare runs (and wd 0), ranking, projector export, one-hot, the unsaved-model question. */
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, KEYS, type RenderedApp } from './renderApp.js';
import { FakeServices } from './fakeServices.js';

let app: RenderedApp | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

describe('Train pane: lr-find', () => {
  it('f runs lr-find with the form options, draws loss vs lr on a log axis, u puts the valley into lr', async () => {
    const services = new FakeServices();
    services.lrFindMode = 'manual';
    app = await renderApp({ services });
    await app.waitFor('fake-20');
    await app.press(KEYS.right); // model: nn
    await app.press('f');
    await app.waitFor('Learning-rate finder');
    expect(services.lrFindOptions).toMatchObject({ model: 'nn', bs: 64 });
    services.progressLrFind(50);
    await app.waitFor('50 batches');
    services.finishLrFind();
    const f = await app.waitFor('↑ smoothed training loss · → learning rate (log scale)'); // both axes say what they are
    expect(f).toMatch(/1e-6\s+1e-5\s+1e-4/);
    // and what the suggestion is worth on this kind, measured, not cut
    expect(f).toMatch(/note: measured on ML-100K, the valley trains nn about as well as the\s+recipe's 5e-3/);
    expect(f).toContain('stopped when the loss exploded');
    expect(f).toMatch(/v valley 4\.0e-4 · s steepest 2\.5e-5 · min\/10/);
    expect(f).toContain("u/Enter: lr = 4.0e-4 (the valley, fastai's pick)");
    expect(f).toMatch(/^\s+s\s+v\s*$/m); // the marks sit under the curve, steepest left of valley
    await app.press('u');
    await app.waitFor(/lr\s+0\.0004\b/);
    await app.waitFor("lr set to 0.0004 (lr-find's valley)");
    expect(app.frame()).not.toContain('→ learning rate (log scale)');
  });

  it('Esc stops a running lr-find; a failure says why and Esc closes it', async () => {
    const services = new FakeServices();
    services.lrFindMode = 'manual';
    app = await renderApp({ services });
    await app.waitFor('fake-20');
    await app.press('f');
    await app.waitFor('Learning-rate finder');
    await app.press(KEYS.escape);
    await app.waitFor((f) => !f.includes('Learning-rate finder'));
    expect(services.lrFindCancelled).toBe(true);
    services.lrFindMode = 'error';
    await app.press('f');
    await app.waitFor('lr-find failed: lr-find recorded only 3 losses');
    await app.press(KEYS.escape);
    await app.waitFor('No training yet');
  });

  it('refuses lr-find while the form has an error: during an edit f is typed, and an invalid value is never applied', async () => {
    app = await renderApp();
    await app.waitFor('fake-20');
    await app.press(KEYS.down);
    await app.type('0');
    await app.press('f');
    await app.waitFor(/factors\s+0f +✗/);
    expect(app.services.lrFindOptions).toBeNull();
    await app.press(KEYS.escape, 'f');
    await app.waitFor('lr-find ·');
    expect(app.services.lrFindOptions).toMatchObject({ factors: 50 });
  });
});

describe('Train pane: presets', () => {
  it('starts on the recipe, ←/→ on preset fills the fields, editing a field makes it custom', async () => {
    app = await renderApp();
    await app.waitFor(/preset\s+recipe/);
    await app.press(KEYS.up, KEYS.right);
    const f = await app.waitFor('‹ best ›');
    expect(f).toMatch(/lr\s+0\.004/);
    expect(f).toMatch(/wd\s+0\.12/);
    expect(f).toContain('fills the form');
    await app.press(KEYS.down, KEYS.down, KEYS.down); // model, factors, epochs
    await app.type('9');
    await app.press(KEYS.enter);
    await app.waitFor(/preset\s+custom/);
    await app.press(KEYS.enter);
    await app.waitFor('waiting for the first batches');
    expect(app.services.lastOptions).toMatchObject({ lr: 0.004, wd: 0.12, epochs: 9 });
  });
});

describe('Train pane: the accurate preset', () => {
  it('says how many AutoRec epochs follow the dotbias ones, at 80 columns too', async () => {
    app = await renderApp({ columns: 80, rows: 24 });
    await app.waitFor(/preset\s+recipe/);
    await app.press(KEYS.up, KEYS.right, KEYS.right);
    const f = await app.waitFor('‹ accurate ›');
    // the I-AutoRec's 25 and the U-AutoRec's 40
    expect(f).toMatch(/epochs\s+5 \+ 65 AutoRec/);
  });
});

describe('Train pane: the unsaved model, wd 0 and ranking', () => {
  async function trainedUnsaved() {
    const services = new FakeServices({ autoTrain: true });
    app = await renderApp({ services });
    await app.waitFor('fake-20');
    await app.press(KEYS.enter);
    await app.waitFor('save snapshot as:');
    await app.press(KEYS.escape);
    await app.waitFor((f) => !f.includes('save snapshot as:'));
    return services;
  }

  it('asks before a new run replaces an unsaved model', async () => {
    const services = await trainedUnsaved();
    services.lastOptions = null;
    await app!.press(KEYS.enter);
    await app!.waitFor('The current model is not saved: replace it? [y/n]');
    await app!.press('n');
    await app!.waitFor((f) => !f.includes('replace it?'));
    expect(services.lastOptions).toBeNull();
    await app!.press('s');
    await app!.waitFor('not saved: replace it?');
    await app!.press('y');
    await app!.waitFor('save snapshot as:');
    expect(services.lastOptions).toMatchObject({ model: 'dotbias' });
  });

  it('shows precision/recall/NDCG@10, coverage and popularity after a run', async () => {
    await trainedUnsaved();
    const f = await app!.waitFor('NDCG 0.150');
    expect(f).toMatch(/top 10 \(held-out ≥4★\) precision 0\.123 · recall 0\.057/);
    expect(f).toMatch(/catalogue coverage 8\.7% · popularity 3\.4× the average movie's/);
  });

  it('shows NDCG\'s 95 % interval from resampling users where the line has room (120 columns)', async () => {
    const services = new FakeServices({ autoTrain: true });
    app = await renderApp({ services, columns: 120, rows: 40 });
    await app.waitFor('fake-20');
    await app.press(KEYS.enter);
    const f = await app.waitFor('NDCG 0.150');
    expect(f).toMatch(/NDCG 0\.150 \[0\.136–0\.165\]|NDCG 95 % 0\.136–0\.165/);
  });

  it('keeps the ranking numbers readable at 80×24', async () => {
    const services = new FakeServices({ autoTrain: true });
    app = await renderApp({ services, columns: 80, rows: 24 });
    await app.waitFor('fake-20');
    await app.press(KEYS.enter);
    const f = await app.waitFor('P@10 0.123 · R@10 0.057 · NDCG 0.150');
    expect(f).toContain('coverage 8.7% · popularity 3.4× average');
  });

  it('says why ranking is missing when it cannot be computed', async () => {
    const services = new FakeServices({ autoTrain: true });
    services.rankingError = 'ranking needs the model\'s own data (ml-1m)';
    app = await renderApp({ services });
    await app.waitFor('fake-20');
    await app.press(KEYS.enter);
    await app.waitFor("ranking@10: ranking needs the model's own data (ml-1m)");
  });

  it('w trains the same with wd 0 (after asking) and compares the two runs', async () => {
    const services = await trainedUnsaved();
    await app!.press('w');
    await app!.waitFor('not saved: replace it?');
    await app!.press('y');
    const f = await app!.waitFor('valid loss per epoch');
    expect(services.lastOptions).toMatchObject({ wd: 0, model: 'dotbias' });
    expect(f).toMatch(/1 ── wd 0\.1\s+2 ── wd 0/);
    expect(f).toMatch(/wd \*\s+0\.1\s+0/);
    expect(f).toMatch(/1 wd 0\.1: no overfitting/);
    expect(f).toContain('save snapshot as: dotbias-50f-5ep-wd0');
    await app!.press(KEYS.escape); // the save offer
    await app!.press(KEYS.escape); // the comparison
    await app!.waitFor('Done in');
  });

  it('w refuses a model that already has wd 0', async () => {
    const services = new FakeServices().withModel();
    services.model!.options = { ...services.model!.options, wd: 0 };
    services.model!.saved = true;
    app = await renderApp({ services });
    await app.waitFor('fake-20');
    await app.press('w');
    await app.waitFor('this model already has wd 0');
  });
});

describe('Snapshots pane: compare, wd 0, export', () => {
  it('space marks runs, c overlays their valid curves with the differing hyperparameters and a verdict each', async () => {
    const services = new FakeServices().withSnapshots();
    app = await renderApp({ services, pane: 'snapshots' });
    await app.waitFor('Snapshots (3)');
    await app.press('c');
    await app.waitFor('mark two or more snapshots with space');
    await app.press(KEYS.down, ' ', KEYS.down, ' ');
    await app.waitFor('space mark (2)');
    await app.press('c');
    const f = await app.waitFor('valid loss per epoch');
    expect(f).toMatch(/1 ── recipe\s+2 ── short/);
    expect(f).toMatch(/epochs \*\s+5\s+2/);
    expect(f).toContain('1 recipe: no overfitting');
    expect(f).toContain('2 short: no overfitting');
    await app.press(KEYS.escape);
    await app.waitFor('Snapshots (3)');
    await app.press(KEYS.up, KEYS.up, ' ', 'c'); // nowd joins: three runs
    const g = await app.waitFor('3 nowd: OVERFITTING');
    expect(g).toMatch(/valid loss rose from 0\.8600 \(epoch 1\) to 1\.0000/);
  });

  it('w loads a snapshot, retrains it with wd 0 in the Train pane and compares', async () => {
    const services = new FakeServices({ autoTrain: true }).withSnapshots();
    app = await renderApp({ services, pane: 'snapshots' });
    await app.waitFor('Snapshots (3)');
    await app.press('w'); // on "nowd": already wd 0
    await app.waitFor('"nowd" already has wd 0');
    await app.press(KEYS.down, 'w'); // recipe
    const f = await app.waitFor('1 ── recipe');
    expect(f).toContain('2 ── recipe-wd0');
    expect(services.lastOptions).toMatchObject({ wd: 0, epochs: 5 });
    await app.waitFor('save snapshot as: recipe-wd0');
  });

  it('e exports the current model for the Embedding Projector and says where', async () => {
    const services = new FakeServices();
    app = await renderApp({ services, pane: 'snapshots' });
    await app.waitFor('No snapshots yet');
    await app.press('e');
    await app.waitFor('no model to export');
    services.withModel();
    await app.press('e');
    const f = await app.waitFor('exported 20 movies × 50 factors to /work/x/projector/dotbias-50f-2ep');
    expect(f).toContain('projector.tensorflow.org');
    expect(services.exports).toEqual([undefined]);
  });
});

describe('Bias pane: one-hot = lookup', () => {
  it('o shows one_hot(u)·U next to U[u], the timings and the memory at Netflix scale; ←/→ picks the user', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'bias' });
    await app.waitFor('Top 10 movies by bias');
    expect(app.frame()).toContain('o one-hot = lookup');
    await app.press('o');
    const f = await app.waitFor('one_hot(u)·U');
    expect(f).toMatch(/user 1 \(row 0 of 943, 50 factors/);
    expect(f).toMatch(/max \|difference\| 0 \(this user\)/);
    expect(f).toMatch(/lookup 0\.050 ms · one-hot × matrix 0\.900 ms \(×18\.0\)/);
    expect(f).toMatch(/Netflix Prize\s+480,189\s+17,770\s+127\.5 MB/);
    await app.press(KEYS.right);
    await app.waitFor(/user 2 \(row 1 of 943/);
    await app.press(KEYS.left, KEYS.left);
    await app.waitFor(/user 943 \(row 942 of 943/);
    await app.press('o');
    await app.waitFor('Top 10 movies by bias');
  });

  it('says there is no model yet', async () => {
    app = await renderApp({ pane: 'bias' });
    await app.waitFor('No model yet');
    await app.press('o');
    await app.waitFor('No model yet');
  });
});

describe('help', () => {
  it('lists the new keys', async () => {
    app = await renderApp({ columns: 160, rows: 50 });
    await app.waitFor('fake-20');
    await app.press('?');
    const f = await app.waitFor('Keys — Esc or ? closes');
    for (const text of ['lr-find · use its suggestion', 'retrain with wd 0, compare', 'mark · compare marked runs', 'export for the Projector', 'one-hot × U = U[u]', 'Tune (a search)', 'watch together', 'rate the highlighted movie']) expect(f).toContain(text);
  });
});
