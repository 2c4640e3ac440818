/** Anything that takes a moment shows motion, and keys pressed meanwhile are kept or refused out loud. */
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, KEYS, type RenderedApp } from './renderApp.js';
import { FakeServices, gate } from './fakeServices.js';
import { SPINNER_FRAMES } from '../../src/ui/components/Spinner.js';

let app: RenderedApp | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

const spinning = (f: string, label: string) => SPINNER_FRAMES.some((s) => f.includes(`${s} ${label}`));

/** Two frames with different spinner frames: the motion is real, not a still character. */
async function moves(a: RenderedApp, label: string) {
  const first = await a.waitFor((f) => spinning(f, label));
  const frameOf = (f: string) => SPINNER_FRAMES.find((s) => f.includes(`${s} ${label}`));
  await a.waitFor((f) => spinning(f, label) && frameOf(f) !== frameOf(first));
}

describe('motion while waiting', () => {
  it('startup: the status bar spins while the data loads and the last model reopens', async () => {
    const services = new FakeServices();
    const data = gate();
    services.gates.dataset = data.promise;
    app = await renderApp({ services });
    await moves(app, 'loading data…');
    data.open();
    await app.waitFor('fake-20');
  });

  it('Enter pressed while the data still loads is kept: the run starts once it is there', async () => {
    const services = new FakeServices();
    const data = gate();
    services.gates.dataset = data.promise;
    app = await renderApp({ services });
    await app.waitFor('loading data…');
    await app.press(KEYS.enter);
    await app.waitFor('training starts once the data is loaded…');
    expect(services.lastOptions).toBeNull();
    data.open();
    await app.waitFor('training (starting)');
    expect(services.lastOptions).toMatchObject({ model: 'dotbias', epochs: 5 });
  });

  it('ranking@10 after a run spins until its numbers arrive', async () => {
    const services = new FakeServices({ autoTrain: true });
    const slow = gate();
    services.gates.ranking = slow.promise;
    app = await renderApp({ services });
    await app.waitFor('fake-20');
    await app.press(KEYS.enter);
    await moves(app, 'ranking@10: scoring every movie for every user…');
    slow.open();
    await app.waitFor('NDCG 0.150');
  });

  it('Snapshots: reading the folder spins, and an Enter pressed meanwhile loads once the list is there', async () => {
    const services = new FakeServices().withSnapshots();
    const slow = gate();
    services.gates.list = slow.promise;
    app = await renderApp({ services, pane: 'snapshots' });
    await moves(app, 'reading the snapshots folder…');
    await app.press(KEYS.down, KEYS.enter); // names sort nowd, recipe, short: ↓ Enter is recipe
    slow.open();
    await app.waitFor('loaded snapshot "recipe"');
  });
});
