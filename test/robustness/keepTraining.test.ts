/**
 * Never lose a finished training (src/model/snapshot/destination.ts): the snapshots folder takes a
 * real write before a run starts, and a save that still fails at the end keeps the model in a
 * recovery folder and says where. Read-only and full file systems are real ones where the machine
 * allows it (a private mount namespace with tmpfs, via `unshare -m`), mocked otherwise.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkSnapshotDestination, loadSnapshot, recoveryDirs, saveSnapshot, saveSnapshotOrKeep } from '../../src/model/snapshot/index.js';
import { Session } from '../../src/model/runtime/session.js';
import { testDataDir } from '../helpers/data.js';
import { makeResult, sameWeights } from '../model/snapshotFixtures.js';
import { expectRefusal, ml100kFolder, removeTemps, runCli, tempDir, type Run } from './helpers.js';

const ML = testDataDir();
const MAIN = path.resolve('src/cli/main.ts');

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = tempDir();
});
afterEach(() => vi.restoreAllMocks());
afterAll(() => removeTemps());

/** Makes the file system refuse one kind of step the way a read-only mount or a full disk would. */
function failing(method: 'mkdir' | 'open', code: 'EROFS' | 'ENOSPC', when: (p: string) => boolean): void {
  const real = fsp[method] as (...a: unknown[]) => Promise<unknown>;
  vi.spyOn(fsp, method).mockImplementation((async (...args: unknown[]) => {
    if (when(String(args[0]))) throw Object.assign(new Error(`${code}: ${method} ${String(args[0])}`), { code, syscall: method, path: String(args[0]) });
    return real(...args);
  }) as never);
}

describe('before training: a real write, not a permission bit', () => {
  it('a read-only snapshots folder is refused, and the test file does not stay', async () => {
    const dir = tempDir();
    failing('open', 'EROFS', (p) => path.basename(p).startsWith('.factorlens-write-test-'));
    await expect(checkSnapshotDestination('x', dir)).rejects.toThrow(
      /^cannot save snapshot "x": the snapshots folder .* cannot take it: writing a test file there failed: the file system is read-only \(EROFS\); choose another folder with --snapshots/,
    );
    vi.restoreAllMocks();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a folder whose permission bits say yes but takes no file (/sys/kernel as root): refused through the CLI before training', async () => {
    const target = '/sys/kernel';
    const writable = existsSync(target) && spawnSync('sh', ['-c', `touch ${target}/.fl-probe 2>/dev/null && rm -f ${target}/.fl-probe`]).status === 0;
    if (!existsSync(target) || writable) return; // nothing to show on this machine
    const r = await runCli(['train', '--data', ml100kFolder(tempDir(), 'small'), '--epochs', '1', '--save', 'x', '--snapshots', target]);
    expectRefusal(r, [/cannot save snapshot "x": the snapshots folder \/sys\/kernel cannot take it: writing a test file there failed: (permission denied|operation not permitted)/]);
    expect(r.stderr).not.toMatch(/training/);
  });
});

describe('after training: a save that fails keeps the model and says where', () => {
  it('ENOSPC while writing: kept in the first recovery folder, loadable, with the way back in the message', async () => {
    const dir = tempDir();
    const rec = [path.join(tempDir(), 'state', 'factorlens', 'recovered'), path.join(tempDir(), 'tmp')];
    const result = makeResult('dotbias', { seed: 5 });
    failing('open', 'ENOSPC', (p) => p.startsWith(dir) && p.endsWith('weights.bin'));
    const err = await saveSnapshotOrKeep('run', result, { dir, recoveryDirs: rec }).then(
      () => null,
      (e: Error) => e,
    );
    vi.restoreAllMocks();
    expect(err?.message).toMatch(/^cannot save snapshot "run": writing .*weights\.bin failed: no space left on the device \(ENOSPC\); the trained model is kept as snapshot "run-\d{8}-\d{6}" in /);
    expect(err?.message).toContain(`in ${rec[0]}: use it with --snapshots ${rec[0]} --snapshot run-`);
    expect(err?.message).toContain(`or move that folder into ${dir} once it can take it`);
    expect(err?.message).not.toMatch(/nothing was saved/);
    const kept = readdirSync(rec[0]);
    expect(kept).toHaveLength(1);
    expect(sameWeights((await loadSnapshot(kept[0], { dir: rec[0] })).weights, result.weights)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('when the first recovery folder fails too, the next one keeps it; when all fail, the message says the model is lost', async () => {
    const dir = tempDir();
    const first = path.join(tempDir(), 'first');
    const second = path.join(tempDir(), 'second');
    failing('mkdir', 'EROFS', (p) => p.startsWith(dir) || p.startsWith(first));
    await expect(saveSnapshotOrKeep('run', makeResult('dot'), { dir, recoveryDirs: [first, second] })).rejects.toThrow(new RegExp(`kept as snapshot "run-[0-9-]+" in ${second}`));
    vi.restoreAllMocks();
    expect(readdirSync(second)).toHaveLength(1);
    failing('mkdir', 'EROFS', () => true);
    await expect(saveSnapshotOrKeep('run', makeResult('dot'), { dir, recoveryDirs: [first] })).rejects.toThrow(/keeping it elsewhere failed too: .*first .*read-only.*; the trained model is lost/);
  });

  it('the recovery folders: $XDG_STATE_HOME/factorlens/recovered, then the system temp folder', () => {
    expect(recoveryDirs({ XDG_STATE_HOME: '/state' })[0]).toBe('/state/factorlens/recovered');
    expect(recoveryDirs({})[0]).toBe(path.join(os.homedir(), '.local', 'state', 'factorlens', 'recovered'));
    expect(recoveryDirs({})[1].startsWith(os.tmpdir())).toBe(true);
  });

  it('the app (Session): a failed save keeps the model the same way and the message says where', async () => {
    const dir = tempDir();
    await saveSnapshot('base', makeResult('dotbias'), { dir });
    const state = tempDir();
    const old = process.env.XDG_STATE_HOME;
    process.env.XDG_STATE_HOME = state;
    try {
      const session = new Session({ snapshotsDir: dir });
      await session.loadSnapshot('base');
      failing('mkdir', 'EROFS', (p) => p.startsWith(dir));
      // the app's line is short: the reason, then where the model is
      await expect(session.saveSnapshot('again', { force: false })).rejects.toThrow(
        new RegExp(`^could not save \\(the file system is read-only \\(EROFS\\)\\); the model is kept in ${path.join(state, 'factorlens', 'recovered')}/again-[0-9-]+$`),
      );
      vi.restoreAllMocks();
      expect(readdirSync(path.join(state, 'factorlens', 'recovered'))).toHaveLength(1);
      expect(session.modelInfo()?.saved).toBe(true); // it was loaded from "base", which still holds it
    } finally {
      if (old === undefined) delete process.env.XDG_STATE_HOME;
      else process.env.XDG_STATE_HOME = old;
    }
  });
});

describe('the app shows where a model was kept', () => {
  it('the save prompt shows the whole message after a failed save (it used to vanish when the prompt came back)', async () => {
    const { FakeServices } = await import('../ui/fakeServices.js');
    const { renderApp, KEYS } = await import('../ui/renderApp.js');
    const kept = 'could not save (the file system is read-only (EROFS)); the model is kept in ~/.local/state/factorlens/recovered/dotbias-50f-2ep-20250101-120000';
    const services = new FakeServices().withModel();
    services.saveSnapshot = async () => {
      throw new Error(kept);
    };
    const app = await renderApp({ services, pane: 'snapshots', columns: 80, rows: 24 });
    try {
      await app.waitFor('No snapshots yet');
      await app.press('s');
      await app.waitFor('save snapshot as: dotbias-50f-2ep');
      await app.press(KEYS.enter);
      const frame = await app.waitFor('could not save');
      // wrapped over two lines at 80 columns, all of it there
      expect(frame.replace(/\s*\n\s*/g, ' ')).toContain('the model is kept in ~/.local/state/factorlens/recovered/dotbias-50f-2ep-20250101-120000');
      expect(frame.split('\n').length).toBeLessThanOrEqual(23);
    } finally {
      app.unmount();
    }
  });
});

// ---- real read-only and full file systems, in a private mount namespace -------------------------

const canMount = (() => {
  if (process.platform !== 'linux') return false;
  const probe = path.join(os.tmpdir(), `fl-mount-probe-${process.pid}`);
  mkdirSync(probe, { recursive: true });
  const r = spawnSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o size=64k none ${probe} && touch ${probe}/x`], { timeout: 10_000 });
  spawnSync('rmdir', [probe]);
  return r.status === 0;
})();

/** `factorlens ARGS` with a fresh tmpfs of `size` mounted (read-only if asked) at `at`, seen by that process only. */
function runWithMount(at: string, o: { size: string; readOnly?: boolean }, args: string[], env: Record<string, string>): Promise<Run> {
  mkdirSync(at, { recursive: true });
  const ro = o.readOnly ? ` && mount -o remount,ro "$1"` : '';
  const script = `mount -t tmpfs -o size=${o.size} none "$1"${ro} && shift && exec "$@"`;
  const full: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
  for (const k of ['FACTORLENS_DATA', 'FACTORLENS_SNAPSHOTS', 'FACTORLENS_DEBUG']) delete full[k];
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(
      'unshare',
      ['-m', 'sh', '-c', script, 'sh', at, process.execPath, '--import', 'tsx', MAIN, ...args],
      { env: full, timeout: 180_000, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr, ms: Date.now() - t0 }),
    );
  });
}

describe.skipIf(!canMount)('real file systems (tmpfs in a private mount namespace)', () => {
  const train = ['train', '--data', ML, '--epochs', '1', '--bs', '4096'];

  it('read-only: refused before training, EROFS in words', async () => {
    const at = path.join(root, 'ro');
    const r = await runWithMount(at, { size: '1m', readOnly: true }, [...train, '--save', 'x', '--snapshots', at], { XDG_STATE_HOME: path.join(root, 'state-ro') });
    expectRefusal(r, [/cannot save snapshot "x": the snapshots folder .*ro cannot take it: writing a test file there failed: the file system is read-only \(EROFS\)/]);
    expect(r.stderr).not.toMatch(/training/);
  });

  it('full (64 KB for a 535 KB model): refused before training, with the free space and what is needed', async () => {
    const at = path.join(root, 'full');
    const r = await runWithMount(at, { size: '64k' }, [...train, '--save', 'x', '--snapshots', at], { XDG_STATE_HOME: path.join(root, 'state-full') });
    expectRefusal(r, [/cannot save snapshot "x": the snapshots folder .*full has 0\.1 MB free, and the snapshot needs at least 0\.5 MB/]);
    expect(r.stderr).not.toMatch(/^training/m);
  });

  it('room for the weights but not the manifest: trains, the save fails, the model is kept and loads from where the message says', async () => {
    const at = path.join(root, 'tight');
    const state = path.join(root, 'state-tight');
    const r = await runWithMount(at, { size: '640k' }, [...train, '--save', 'x', '--snapshots', at], { XDG_STATE_HOME: state });
    const line = expectRefusal(r, [/cannot save snapshot "x": writing .* failed: no space left on the device \(ENOSPC\); the trained model is kept as snapshot "x-[0-9-]+" in /], { onlyLine: false });
    expect(r.stderr).toMatch(/training dotbias/);
    const recovered = path.join(state, 'factorlens', 'recovered');
    expect(line).toContain(`--snapshots ${recovered} --snapshot x-`);
    const name = readdirSync(recovered)[0];
    const show = await runCli(['snapshots', 'show', name, '--snapshots', recovered]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/checksums verified/);
  });
});

it('fixture sanity: the helpers see the CLI', () => {
  writeFileSync(path.join(root, 'ok'), '');
  expect(existsSync(MAIN)).toBe(true);
});
