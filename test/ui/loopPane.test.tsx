/** The Loop pane: settings, a run with its rounds arriving, the world without the what-if after it, stop. */
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, KEYS, type RenderedApp } from './renderApp.js';
import { FakeServices } from './fakeServices.js';
import { defaultLoopSettings, stepSetting } from '../../src/ui/panes/loop/loopFields.js';

let app: RenderedApp | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

describe('loop settings', () => {
  it('step along their ladders and cycles, clamped at the ends', () => {
    const s = defaultLoopSettings();
    expect(stepSetting(s, 'enthusiasts', 1, []).enthusiasts).toBe(50);
    expect(stepSetting({ ...s, enthusiasts: 0 }, 'enthusiasts', -1, []).enthusiasts).toBe(0);
    expect(stepSetting(s, 'mitigation', 1, []).mitigation).toBe('cap');
    expect(stepSetting(s, 'mitigation', -1, []).mitigation).toBe('diversity');
    expect(stepSetting(s, 'genre', 1, ['Horror', 'Drama']).genre).toBe('Drama');
    expect(stepSetting({ ...s, rounds: 20 }, 'rounds', 1, []).rounds).toBe(20);
  });
});

describe('Loop pane', () => {
  it('runs the what-if round by round, then the world without it, and plots both', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'loop', columns: 100, rows: 30 });
    await app.waitFor('fans');
    expect(app.frame()).toContain('9 Loop');
    // fans 30 → 50, then the mitigation to cap
    await app.press(KEYS.down, KEYS.down, KEYS.right);
    await app.waitFor(/› fans\s+‹ 50 ›/);
    await app.press(KEYS.down, KEYS.down, KEYS.right);
    await app.waitFor(/mitigate\s+‹ cap 50 ›/);
    await app.press(KEYS.enter);
    await app.waitFor(() => services.simulations.length === 1);
    expect(services.simulations[0].settings).toMatchObject({ enthusiasts: 50, mitigation: 'cap', genre: 'Horror' });
    await app.waitFor('round 1/10');
    services.emitRound();
    services.emitRound();
    await app.waitFor('round 3/10');
    expect(app.frame()).toContain('round 2');
    expect(app.frame()).toMatch(/Horror share of the lists/);
    for (let k = 0; k < 8; k++) services.emitRound();
    services.finishSimulation();
    // the baseline follows: no fans, no mitigation
    await app.waitFor(() => services.simulations.length === 2);
    expect(services.simulations[1].settings).toMatchObject({ enthusiasts: 0, mitigation: 'none', genre: 'Horror' });
    for (let k = 0; k < 10; k++) services.emitRound();
    services.finishSimulation();
    const f = await app.waitFor(/2 without 10 rounds/);
    expect(f).toMatch(/1 what-if 10 rounds/);
    // the last round beside the baseline's (the fake's share grows with fans × rounds)
    expect(f).toMatch(/Horror\s+53\.0%\s+3\.0%/);
    // a second run with other fans reuses the baseline
    await app.press(KEYS.up, KEYS.up, KEYS.left, KEYS.enter);
    await app.waitFor(() => services.simulations.length === 3);
    for (let k = 0; k < 10; k++) services.emitRound();
    services.finishSimulation();
    await app.waitFor(/1 what-if 10 rounds/);
    expect(services.simulations).toHaveLength(3);
  });

  it('Esc stops a run; the rounds so far stay', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'loop' });
    await app.waitFor('fans');
    await app.press(KEYS.enter);
    await app.waitFor(() => services.simulations.length === 1);
    services.emitRound();
    await app.waitFor('round 2/10');
    await app.press(KEYS.escape);
    await app.waitFor('stopped at 1');
    expect(services.simulations[0].cancelled).toBe(true);
    expect(services.simulations).toHaveLength(1);
  });

  it('fits 80×24: every tab in the header, the form and the charts', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'loop', columns: 80, rows: 24 });
    const f = await app.waitFor('fans');
    expect(f.split('\n')[0]).toMatch(/1 Train .* 8 Board 9 Loop/);
    expect(f).toContain('coverage of the catalogue');
    expect(f).toContain('NDCG@10, the average user');
  });
});
