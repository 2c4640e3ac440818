/** A damaged snapshot is shown in the app (not hidden), says what is wrong, and can be deleted. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../src/model/runtime/session.js';
import { FakeServices } from './fakeServices.js';
import { KEYS, renderApp, type RenderedApp } from './renderApp.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

describe('broken snapshots', () => {
  it('the session lists them with the reason instead of leaving them out (and leaves out folders that are not snapshots)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'factorlens-broken-'));
    try {
      // factorlens's own, damaged: a manifest cut short, and one whose model.json is gone
      await mkdir(path.join(dir, 'cut'));
      await writeFile(path.join(dir, 'cut', 'manifest.json'), '{\n "format": "factorlens-snapshot",\n "formatVer');
      await mkdir(path.join(dir, 'incomplete'));
      await writeFile(path.join(dir, 'incomplete', 'manifest.json'), '{"format": "factorlens-snapshot", "formatVersion": 1}');
      // someone else's: an empty folder, and one with a manifest.json of another program
      await mkdir(path.join(dir, 'empty'));
      await mkdir(path.join(dir, 'garbled'));
      await writeFile(path.join(dir, 'garbled', 'manifest.json'), '{ not json');
      const list = await new Session({ snapshotsDir: dir }).listSnapshots();
      expect(list.map((s) => s.name).sort()).toEqual(['cut', 'incomplete']);
      // only what is wrong: the list shows the name beside it, and a path would push the reason off screen
      const reason = Object.fromEntries(list.map((s) => [s.name, s.broken]));
      expect(reason.cut).toMatch(/^damaged: manifest\.json is not valid JSON/);
      expect(reason.incomplete).toMatch(/^damaged: manifest\.json /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the pane marks one BROKEN, refuses to load it with the reason, and deletes it after asking', async () => {
    const services = new FakeServices().withSnapshots();
    const reason = 'weights.bin is 1200 bytes, the manifest says 4800 (truncated)';
    services.snapshots.set('aaa-cut', {
      info: undefined as never,
      summary: { name: 'aaa-cut', model: 'dotbias', factors: 0, size: '', split: '', epochs: 0, validRmse: null, dataset: '', created: '', sizeBytes: 1200, broken: reason },
    });
    app = await renderApp({ services, pane: 'snapshots' });
    await app.waitFor('Snapshots (4)');
    expect(app.frame()).toMatch(/aaa-cut\s+BROKEN: weights\.bin is 1200 bytes/);
    await app.press(KEYS.enter);
    await app.waitFor('snapshot "aaa-cut" cannot be loaded: weights.bin is 1200 bytes');
    await app.press('d');
    await app.waitFor(/Delete.*aaa-cut/);
    await app.press('y');
    await app.waitFor('Snapshots (3)');
  });
});
