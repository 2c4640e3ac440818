/** The Tune view in the Train pane: t opens it, Enter starts, the trials and the best so far live, Esc stops, the winner is the model, p saves a preset. */
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, KEYS, type RenderedApp } from './renderApp.js';

let app: RenderedApp | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

describe('Tune view', () => {
  it('searches with the form, shows trials and the best so far, stops on Esc, then offers the winner and a preset', async () => {
    app = await renderApp({ columns: 100, rows: 30 });
    await app.waitFor('fake-20');
    await app.press('t');
    await app.waitFor('Successive halving');
    // budget 30 s, then start
    await app.press(KEYS.down);
    await app.type('30');
    await app.press(KEYS.enter);
    await app.waitFor(/budget s\s+30/);
    await app.press(KEYS.enter);
    await app.waitFor('Tune · dotbias · rmse');
    expect(app.services.tuneRequest).toEqual({ model: 'dotbias', budgetSeconds: 30, metric: 'rmse', split: 'u1', seed: 42 });
    app.services.emitTrials(5, 12);
    let f = await app.waitFor('5 trials');
    expect(f).toMatch(/12\/30 s · 4\/5 trials · best 0\.9000 \(#0\)/);
    expect(f).toMatch(/4\s+running/);
    expect(f).toMatch(/0\s+done\s+2\/2\s+0\.9000\s+lr 0\.004 wd 0\.12 50f 5ep bs64/);
    expect(f).toContain('Esc stop');
    await app.press(KEYS.escape);
    await app.waitFor('stopping');
    expect(app.services.tuneStopped).toBe(true);
    app.services.finishTuning();
    f = await app.waitFor('winner #0');
    expect(f).toMatch(/test RMSE 0\.9097/);
    expect(f).toContain('2 seeds averaged');
    // the winner is the current model, unsaved: the save prompt is offered as after any run
    await app.waitFor('save');
    await app.press(KEYS.escape);
    await app.press('p');
    await app.waitFor("save the winner's configuration as preset");
    await app.press(KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace);
    await app.type('mine');
    await app.press(KEYS.enter);
    await app.waitFor('saved preset "mine"');
    expect(app.services.savedPresets[0]).toMatchObject({ name: 'mine', options: { lr: 0.004, members: 2 } });
    // back to training: the preset field now offers it
    await app.press(KEYS.escape);
    await app.waitFor('Enter/s train');
    await app.press(KEYS.up);
    // the choices cycle: yours come after the built-in ones, whichever the form now matches
    for (let i = 0; i < 6 && !app.frame().includes('‹ mine ›'); i++) await app.press(KEYS.right);
    f = await app.waitFor('‹ mine ›');
    expect(f).toMatch(/lr\s+0\.004/);
    // and the chart shows the winner's run (its history), not an empty pane
    expect(f).not.toContain('No training yet');
    // training with it brings what the form has no field for (the members)
    await app.press(KEYS.enter);
    await app.waitFor('not saved: replace it?');
    await app.press('y');
    await app.waitFor('waiting for the first batches');
    expect(app.services.lastOptions).toMatchObject({ lr: 0.004, members: 2 });
  });

  it('fits 80×24: the table keeps its numbers', async () => {
    app = await renderApp({ columns: 80, rows: 24 });
    await app.waitFor('fake-20');
    await app.press('t', KEYS.enter);
    app.services.emitTrials(12, 20);
    const f = await app.waitFor('12 trials');
    expect(f.split('\n').length).toBeLessThanOrEqual(23);
    expect(f).toMatch(/0\s+done\s+2\/2\s+0\.9000/);
    expect(f).toContain('more');
  });
});
