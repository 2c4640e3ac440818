import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, KEYS, type RenderedApp } from './renderApp.js';
import { FakeServices } from './fakeServices.js';

let app: RenderedApp | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

describe('Train pane', () => {
  it('edits fields: ←/→ cycles the model, typing replaces a number, Backspace edits it', async () => {
    app = await renderApp();
    await app.waitFor('fake-20');
    await app.press(KEYS.right);
    await app.waitFor('‹ nn ›');
    // nn shows layers instead of factors
    expect(app.frame()).toContain('layers');
    expect(app.frame()).not.toMatch(/factors\s+50/);
    await app.press(KEYS.left, KEYS.down); // back to dotbias, focus factors
    await app.type('32');
    await app.waitFor(/› factors\s+32/);
    await app.press(KEYS.backspace, KEYS.enter);
    await app.waitFor(/factors\s+3\b/);
  });

  it('types into a field only once you moved to it: after a run, a digit is a pane key again, not the epochs', async () => {
    const services = new FakeServices({ autoTrain: true });
    app = await renderApp({ services });
    await app.waitFor('fake-20');
    await app.press(KEYS.down, KEYS.down);
    await app.type('3');
    await app.waitFor(/› epochs\s+3\b/);
    await app.press(KEYS.enter); // applies 3 and trains
    await app.waitFor('save snapshot as:');
    await app.press(KEYS.escape); // not now
    const idle = await app.waitFor((f) => !f.includes('save snapshot as:'));
    expect(idle).toMatch(/› epochs\s+3\b/);
    expect(idle).toContain('↑/↓ field (then type)');
    await app.press('6');
    await app.waitFor(/Snapshots \(\d+\)|No snapshots yet/);
    await app.press('1');
    await app.waitFor(/› epochs\s+3\b/);
    expect(services.lastOptions?.epochs).toBe(3);
    // ↑/↓ aims again: now digits go into the field
    await app.press(KEYS.down, KEYS.up);
    await app.type('4');
    await app.waitFor(/› epochs\s+4\b/);
  });

  it('handles a burst of keys in one read as if typed one by one', async () => {
    app = await renderApp();
    await app.waitFor('fake-20');
    // ↓ ↓ 2 in a single chunk: focus epochs, then type 2 (not: switch to pane 2)
    await app.press(`${KEYS.down}${KEYS.down}2${KEYS.down}9`);
    const f = await app.waitFor(/epochs\s+2\b/);
    expect(f).toMatch(/› lr\s+9/);
    expect(f).toContain('batch size');
  });

  it('treats an Enter glued to typed text as Enter (which applies the value and trains)', async () => {
    app = await renderApp();
    await app.waitFor('fake-20');
    await app.press(KEYS.down, KEYS.down);
    await app.press('3\r');
    await app.waitFor('waiting for the first batches');
    expect(app.services.lastOptions).toMatchObject({ epochs: 3 });
  });

  it('treats a Ctrl+U glued to a name as Ctrl+U (clear, then type)', async () => {
    app = await renderApp({ services: new FakeServices({ autoTrain: true }) });
    await app.waitFor('fake-20');
    await app.press(KEYS.enter);
    await app.waitFor('save snapshot as: dotbias-50f-5ep');
    await app.press('\x15mine');
    await app.waitFor(/save snapshot as: mine\s*$/m);
  });

  it('shows resolveOptions messages inline, refuses to start, and Esc reverts even after an invalid Enter', async () => {
    app = await renderApp();
    await app.waitFor('fake-20');
    await app.press(KEYS.down);
    await app.type('0');
    const f = await app.waitFor('✗ factors must be a whole number from 1 to 1024, got 0');
    expect(f).toMatch(/factors\s+0 +✗/);
    await app.press(KEYS.enter);
    await app.waitFor('factors: factors must be a whole number from 1 to 1024, got 0 (Esc goes back to 50)');
    expect(app.services.lastOptions).toBeNull();
    await app.press(KEYS.escape);
    await app.waitFor(/factors\s+50\n/);
    expect(app.frame()).not.toContain('✗');
    // letters in a number are shown and refused, not dropped in silence
    await app.press(KEYS.down, KEYS.down); // lr
    await app.type('abc');
    await app.waitFor(/✗ lr must be a number.*, got "abc"/);
    expect(app.frame()).toMatch(/lr\s+abc +✗/);
    await app.press(KEYS.enter);
    expect(app.services.lastOptions).toBeNull();
    await app.press(KEYS.down); // moving away drops the invalid edit, and says so
    await app.waitFor(/lr: lr must be a number.*, got "abc" — kept 0\.005/);
    expect(app.frame()).toMatch(/lr\s+0\.005\s/);
  });

  it('one Enter applies a typed value and trains with it', async () => {
    app = await renderApp();
    await app.waitFor('fake-20');
    await app.press(KEYS.down, KEYS.down); // epochs
    await app.type('3');
    await app.press(KEYS.enter);
    await app.waitFor('waiting for the first batches');
    expect(app.services.lastOptions).toMatchObject({ epochs: 3 });
  });

  it('starts with the form values, then draws progress, the chart and the epoch table as events arrive', async () => {
    app = await renderApp();
    await app.waitFor('fake-20');
    await app.press(KEYS.down, KEYS.down); // epochs
    await app.type('3');
    await app.press(KEYS.down, 's'); // ↓ applies the edit; s trains
    await app.waitFor('waiting for the first batches');
    expect(app.services.lastOptions).toMatchObject({ model: 'dotbias', epochs: 3, factors: 50, bs: 64 });
    app.services.emitTraining({ untilEpoch: 1 });
    const f = await app.waitFor(/33% epoch 2\/3/);
    expect(f).toContain('ETA');
    expect(f).toContain('train loss (smoothed)');
    expect(f).toMatch(/epoch\s+train_loss\s+valid_loss\s+rmse\s+mae\s+time/);
    expect(f).toMatch(/0\s+0\.950000\s+0\.900000\s+0\.9500\s+0\.7500\s+00:00/);
    expect(f).toMatch(/training 33% ep 2\/3/);
  });

  it('at 80×24 the legend and the progress keep their numbers (short forms)', async () => {
    app = await renderApp({ columns: 80, rows: 24 });
    await app.waitFor('fake-20');
    await app.press('s');
    await app.waitFor('waiting for the first batches');
    app.services.emitTraining({ untilEpoch: 1 });
    const f = await app.waitFor(/● valid \d\.\d{3}/);
    expect(f).toMatch(/─ train \(smoothed\) \d\.\d{3}/);
    expect(f).toMatch(/ETA \d\d:\d\d/);
  });

  it('Esc cancels a run, keeps the weights and offers to save them', async () => {
    app = await renderApp();
    await app.waitFor('fake-20');
    await app.press(KEYS.enter);
    await app.waitFor('waiting for the first batches');
    app.services.emitTraining({ untilEpoch: 1 });
    await app.waitFor('20% epoch 2/5');
    await app.press(KEYS.escape);
    expect(app.services.cancelled).toBe(true);
    app.services.emitTraining({ epochs: 1, finish: 'cancelled' });
    await app.waitFor('Cancelled (weights kept)');
    const f = await app.waitFor('save snapshot as: dotbias-50f-1ep');
    expect(f).toContain('(unsaved)');
  });

  it('a run cancelled early is drawn over the epochs it trained, not squeezed into the ones it planned', async () => {
    app = await renderApp({ columns: 100, rows: 30 });
    await app.waitFor('fake-20');
    await app.press(KEYS.down, KEYS.down);
    await app.type('50');
    await app.press(KEYS.enter);
    await app.waitFor('waiting for the first batches');
    app.services.emitTraining({ stopAfter: 2 });
    const f = await app.waitFor('Cancelled (weights kept)');
    // the smoothed train loss reaches the chart's right end (with 50 planned it would stop at a 25th of it)
    const rows = f.split('\n').filter((l) => /\d\.\d{3}[┤┼]/.test(l));
    const axis = rows[0].search(/[┤┼]/);
    const ends = rows.map((l) => l.slice(axis + 1).replace(/[\s●]+$/, '').length);
    const width = 100 - axis - 1;
    expect(Math.max(...ends)).toBeGreaterThan(width * 0.4);
  });

  it('a value changed while a run trains is kept for the next run, not overwritten by the run that ends', async () => {
    app = await renderApp();
    await app.waitFor('fake-20');
    await app.press(KEYS.enter);
    await app.waitFor('waiting for the first batches');
    await app.press(KEYS.down, KEYS.down);
    await app.type('7');
    await app.press(KEYS.enter);
    await app.waitFor('wait for this run to finish');
    app.services.emitTraining();
    const f = await app.waitFor('kept the values you changed during the run, for the next one');
    expect(f).toMatch(/epochs\s+7\b/);
  });

  it('saves from the offer, asking before overwriting', async () => {
    const services = new FakeServices({ autoTrain: true });
    app = await renderApp({ services });
    await app.waitFor('fake-20');
    await app.press(KEYS.enter);
    const offer = await app.waitFor('save snapshot as: dotbias-50f-5ep');
    // every key goes into the name, so the hints line is the prompt's, not the form's ("Enter/s train")
    expect(offer).toContain('type a name (every key goes into it) · Enter save · Esc not now');
    expect(offer).not.toContain('Enter/s train');
    await app.press(KEYS.enter);
    await app.waitFor('saved snapshot "dotbias-50f-5ep"');
    await app.waitFor('│ snapshot dotbias-50f-5ep');
    expect(services.snapshots.has('dotbias-50f-5ep')).toBe(true);
    // train again: the same name now exists
    await app.press(KEYS.enter);
    await app.waitFor('save snapshot as:');
    await app.press(KEYS.enter);
    await app.waitFor('exists. Overwrite it?');
    await app.press('y');
    await app.waitFor('saved snapshot "dotbias-50f-5ep"');
  });

  it('reports a failed run', async () => {
    app = await renderApp();
    await app.waitFor('fake-20');
    await app.press(KEYS.enter);
    await app.waitFor('waiting for the first batches');
    app.services.emitTraining({ epochs: 1, finish: 'error' });
    const f = await app.waitFor('Training failed: the loss became NaN: lower lr');
    expect(f).toMatch(/│ error/);
    expect(f).toContain('model no model');
  });

  it('keeps training while you look at other panes', async () => {
    app = await renderApp();
    await app.waitFor('fake-20');
    await app.press(KEYS.enter);
    await app.waitFor('waiting for the first batches');
    await app.press(KEYS.tab, KEYS.tab, KEYS.tab); // Bias
    await app.waitFor('No model yet');
    app.services.emitTraining({ untilEpoch: 2 });
    await app.waitFor(/training 40% ep 3\/5/);
    app.services.emitTraining({ epochs: 5 });
    await app.waitFor('Top 10 movies by bias');
  });
});
