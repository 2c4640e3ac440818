/**
 * factorlens installed as a tool: `npm pack`, then `npm install -g` of the tarball into a temporary
 * prefix. Run from any folder, it keeps snapshots in $XDG_DATA_HOME/factorlens/snapshots and profiles
 * in $XDG_STATE_HOME/factorlens — never in a snapshots/ of the folder the person stands in — and the
 * full-screen app starts and quits from the installed bin. (The checkout's own snapshots/ as the
 * default under `npm start` is tested in test/data/profiles.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDataDir } from '../helpers/data.js';
import { startApp, type TmuxApp } from './tmux.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'factorlens-installed-'));
const prefix = path.join(scratch, 'prefix');
const bin = path.join(prefix, 'bin', 'factorlens');
const xdg = { XDG_DATA_HOME: path.join(scratch, 'data'), XDG_STATE_HOME: path.join(scratch, 'state') };
const elsewhere = path.join(scratch, 'somewhere');
const running: TmuxApp[] = [];

afterAll(() => {
  for (const app of running) app.kill();
  rmSync(scratch, { recursive: true, force: true });
});

beforeAll(() => {
  // the built dist/ (npm test builds first) is what the tarball carries
  const pack = spawnSync('npm', ['pack', '--pack-destination', scratch, '--ignore-scripts', '--silent'], { encoding: 'utf8', timeout: 120_000 });
  expect(pack.status, pack.stderr).toBe(0);
  const tarball = path.join(scratch, pack.stdout.trim().split('\n').at(-1)!);
  // from npm's cache where it can (npm ci filled it); tfjs-node is optional and not needed here
  const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--omit=optional', tarball], { encoding: 'utf8', timeout: 300_000 });
  expect(install.status, install.stderr).toBe(0);
  expect(existsSync(bin)).toBe(true);
  mkdirSync(elsewhere);
}, 420_000);

function run(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...xdg, FACTORLENS_DATA: testDataDir(), NO_COLOR: '1' };
  delete env.FACTORLENS_SNAPSHOTS;
  return spawnSync(bin, args, { cwd: elsewhere, encoding: 'utf8', env, timeout: 120_000 });
}

describe('the installed tool', () => {
  it('saves and lists snapshots in $XDG_DATA_HOME/factorlens/snapshots, not in the folder it runs from', () => {
    const train = run('train', '--epochs', '1', '--bs', '4096', '--save', 'inst');
    expect(train.status, train.stderr).toBe(0);
    expect(train.stderr + train.stdout).toContain(path.join(xdg.XDG_DATA_HOME, 'factorlens', 'snapshots', 'inst'));
    expect(existsSync(path.join(xdg.XDG_DATA_HOME, 'factorlens', 'snapshots', 'inst', 'manifest.json'))).toBe(true);
    expect(readdirSync(elsewhere)).toEqual([]);
    const list = run('snapshots', 'list', '--json');
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).snapshots.map((s: { name: string }) => s.name)).toEqual(['inst']);
  });

  it('opens the full-screen app from the installed bin, loads its snapshot, and keeps the profile in $XDG_STATE_HOME', async () => {
    const app = startApp({ dataDir: testDataDir(), snapshotsDir: null, bin, cwd: elsewhere, columns: 80, rows: 24, env: { ...xdg, NO_COLOR: '1' } });
    running.push(app);
    await app.waitFor(/ml-100k \(100,000\)/, 60_000);
    app.send('6', { literal: true });
    await app.waitFor(/› ?\*?inst/, 30_000);
    app.send('Enter');
    await app.waitFor(/loaded snapshot "inst"/, 30_000);
    app.send('q', { literal: true });
    await app.waitFor(/\[exit 0\]/, 30_000);
    expect(existsSync(path.join(xdg.XDG_STATE_HOME, 'factorlens', 'profiles', 'default.json'))).toBe(true);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});
