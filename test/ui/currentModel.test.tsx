/**
 * One truth about the current model: whatever replaces it (a load, a wd 0 retrain, a cancelled run)
 * asks first when it would lose an unsaved one, and the form and the status bar then describe it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, KEYS, type RenderedApp } from './renderApp.js';
import { FakeServices } from './fakeServices.js';
import { NOTHING_LEARNED } from '../../src/ui/hooks/useTraining.js';

let app: RenderedApp | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

const statusBar = (f: string) => f.trimEnd().split('\n').at(-1) ?? '';

async function trainedUnsaved(services = new FakeServices({ autoTrain: true }).withTunedSnapshots()) {
  app = await renderApp({ services });
  await app.waitFor('fake-20');
  await app.press(KEYS.enter);
  await app.waitFor('save snapshot as:');
  await app.press(KEYS.escape);
  await app.waitFor((f) => !f.includes('save snapshot as:'));
  return services;
}

describe('loading a snapshot', () => {
  it('sets the Train form to its hyperparameters (and Enter retrains those)', async () => {
    const services = new FakeServices({ autoTrain: true }).withTunedSnapshots();
    app = await renderApp({ services, pane: 'snapshots' });
    await app.waitFor('best');
    await app.press(KEYS.down); // best is second (names sorted: best, deep, nowd, recipe, short)
    await app.press(KEYS.up);
    await app.press(KEYS.enter);
    await app.waitFor('loaded snapshot "best"');
    await app.press('1');
    const f = await app.waitFor(/preset\s+best/);
    expect(f).toMatch(/lr\s+0\.004\s/);
    expect(f).toMatch(/wd\s+0\.12\s/);
    expect(f).toMatch(/split\s+u1\s/);
    await app.press('s');
    await app.waitFor('save snapshot as:');
    expect(services.lastOptions).toMatchObject({ lr: 0.004, wd: 0.12, split: 'u1', model: 'dotbias' });
  });

  it('an nn snapshot puts nn, its layers and its own lr into the form', async () => {
    const services = new FakeServices().withTunedSnapshots();
    app = await renderApp({ services, pane: 'snapshots' });
    await app.waitFor('deep');
    await app.press(KEYS.down, KEYS.enter);
    await app.waitFor('loaded snapshot "deep"');
    await app.press('1');
    const f = await app.waitFor(/model\s+nn\s/);
    expect(f).toMatch(/preset\s+custom/);
    expect(f).toMatch(/layers\s+100,50\s/);
    expect(f).toMatch(/lr\s+0\.003\s/);
    expect(f).toMatch(/epochs\s+4\s/);
    expect(statusBar(f)).toContain('nn 74+102 [100,50] 4ep wd 0.2');
  });

  it('lists nn with both embedding sizes and its layers, and every run with its split', async () => {
    app = await renderApp({ services: new FakeServices().withTunedSnapshots(), pane: 'snapshots', columns: 120, rows: 40 });
    const f = await app.waitFor('deep');
    expect(f).toMatch(/deep\s+nn\s+74\+102 \[100,50\]\s+4\s+0\.9210\s+random/);
    expect(f).toMatch(/best\s+dotbias\s+50f\s+5\s+0\.9131\s+u1/);
  });

  it('withdraws a save offer made for the model it replaces', async () => {
    const services = new FakeServices({ autoTrain: true }).withTunedSnapshots();
    app = await renderApp({ services });
    await app.waitFor('fake-20');
    await app.press(KEYS.enter);
    await app.waitFor('save snapshot as: dotbias-50f-5ep');
    // the offer is open in Train; load another model from Snapshots (Tab: the prompt keeps the digits)
    for (let i = 0; i < 5; i++) await app.press(KEYS.tab);
    await app.waitFor('Snapshots (');
    await app.press(KEYS.enter);
    await app.waitFor('Load "best" and lose it?');
    await app.press('y');
    await app.waitFor('loaded snapshot "best"');
    await app.press('1');
    await app.waitFor(/preset\s+best/);
    expect(app.frame()).not.toContain('save snapshot as:');
  });
});

describe('Snapshots w', () => {
  it('asks before replacing an unsaved model, and does nothing on n', async () => {
    const services = await trainedUnsaved();
    services.lastOptions = null;
    await app!.press('6');
    await app!.waitFor('Snapshots (');
    await app!.press('w');
    await app!.waitFor('Load "best" and retrain it with wd 0 and lose it? [y/n]');
    await app!.press('n');
    await app!.waitFor((f) => !f.includes('and lose it?'));
    expect(services.lastOptions).toBeNull();
    expect(statusBar(app!.frame())).toContain('(unsaved)');
    await app!.press('w', 'y');
    await app!.waitFor('valid loss per epoch');
    expect(services.lastOptions).toMatchObject({ wd: 0, lr: 0.004 });
  });
});

describe('after Train w', () => {
  it('the status bar and the form describe the wd 0 model, the current one', async () => {
    await trainedUnsaved();
    await app!.press('w');
    await app!.waitFor('not saved: replace it?');
    await app!.press('y');
    const f = await app!.waitFor('valid loss per epoch');
    expect(statusBar(f)).toContain('dotbias 50f 5ep wd 0 (unsaved)');
    expect(f).toMatch(/wd\s+0\s/);
  });
});

describe('Esc at 0 %', () => {
  it('keeps the model you had, its chart and its label; nothing is offered for saving', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services });
    await app.waitFor('dotbias 50f 2ep wd 0.1');
    await app.press(KEYS.down, KEYS.down); // epochs
    await app.type('7');
    await app.press(KEYS.enter);
    await app.waitFor('not saved: replace it?');
    await app.press('y');
    await app.waitFor('training (starting)');
    await app.press(KEYS.escape);
    expect(services.cancelled).toBe(true);
    services.emitTraining({ untilEpoch: 0 });
    services.onEvent!({ type: 'done', reason: 'cancelled', message: 'cancelled', epochs: [], seconds: 0.1 });
    const f = await app.waitFor((x) => x.includes(NOTHING_LEARNED) || x.includes('Cancelled at 0 %: the model you had stays'));
    expect(statusBar(f)).toContain('dotbias 50f 2ep wd 0.1 (unsaved)');
    expect(statusBar(f)).not.toContain('0ep');
    expect(f).not.toContain('save snapshot as:');
    expect(f).toMatch(/\s1\s+0\.900000\s+0\.880000/); // the kept model's epoch table
  });
});

describe('y_range', () => {
  it('is left to the data: half-star data trains with its own rule, and the form says what that is', async () => {
    const services = new FakeServices({ scale: { min: 0.5, max: 5, step: 0.5 } });
    app = await renderApp({ services });
    const f = await app.waitFor('auto 0,5.45');
    expect(f).toMatch(/y_range\s+auto 0,5\.45/);
    await app.press(KEYS.enter);
    await app.waitFor('training (starting)');
    expect(services.lastOptions).not.toHaveProperty('yRange');
  });
});

describe('far-off values', () => {
  it('1000 epochs asks first, with the time it would take at the last run\'s pace', async () => {
    const services = await trainedUnsaved(new FakeServices({ autoTrain: true }));
    services.lastOptions = null;
    await app!.press(KEYS.down, KEYS.down); // epochs
    await app!.type('1000');
    await app!.press(KEYS.enter);
    // fake epochs take 0.4 s: 1000 of them 400 s
    const f = await app!.waitFor(/1000 epochs take about 06:40 \(the last run took 0\.40 s\s+an epoch\)/);
    expect(f).toMatch(/Train anyway\? \[y\/n\]/);
    await app!.press('n');
    await app!.waitFor((x) => !x.includes('Train anyway'));
    expect(services.lastOptions).toBeNull();
    expect(app!.frame()).toMatch(/epochs\s+1000\s/); // the value stays, to fix or to confirm
  });

  it('an lr that will blow up asks too', async () => {
    const services = new FakeServices();
    app = await renderApp({ services });
    await app.waitFor('fake-20');
    await app.press(KEYS.down, KEYS.down, KEYS.down); // lr
    await app.type('0.5');
    await app.press(KEYS.enter);
    await app.waitFor("lr 0.5 is 100× the recipe's: the loss will likely blow up");
    await app.press('y');
    await app.waitFor('training (starting)');
    expect(services.lastOptions).toMatchObject({ lr: 0.5 });
  });
});
