/** `factorlens tune` end to end on the real ML-100K u1, in worker threads, within a short budget. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDataDir } from '../helpers/data.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'factorlens-tune-'));
const presets = path.join(tmp, 'presets.json');

// asynchronous: a minute-long spawnSync would block this test worker's event loop past vitest's 60 s RPC timeout
function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string; wall: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, FACTORLENS_DATA: testDataDir(), FACTORLENS_PRESETS: presets, FACTORLENS_SNAPSHOTS: path.join(tmp, 'snaps'), NO_COLOR: '1' },
      timeout: 180_000,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err, wall: (performance.now() - t0) / 1000 }));
  });
}

describe('factorlens tune', () => {
  it('searches dotbias on u1 within the budget, reports every trial and the winner, tests it once, saves a preset', async () => {
    // 60 s, not less: the anchor must finish even when other test files share the two cores
    const r = await cli('tune', '--model', 'dotbias', '--budget', '60s', '--save-preset', 'quick', '--json');
    expect(r.code, r.err).toBe(0);
    // the budget counts from the process start: start-up, search, final run and test are all inside it
    expect(r.wall).toBeLessThan(60 * 1.05 + 0.5);
    const j = JSON.parse(r.out);
    expect(j.split).toBe('u1');
    expect(j.holdout).toMatchObject({ share: 0.1, train: 72000, valid: 8000 });
    expect(j.trials.length).toBeGreaterThan(1);
    for (const t of j.trials) {
      expect(t).toHaveProperty('config');
      expect(t).toHaveProperty('options');
      expect(t).toHaveProperty('rung');
      expect(t).toHaveProperty('state');
      expect(typeof t.seconds).toBe('number');
    }
    // the anchor (the best preset) runs whole first
    expect(j.trials[0]).toMatchObject({ candidate: 'dotbias', rung: 1, state: 'done', config: 'lr 4e-3 wd 0.12 50f 5ep bs64' });
    expect(j.winner.options.model).toBe('dotbias');
    expect(j.winner.validMetric).toBeLessThan(0.92);
    expect(j.testRmse).toBeGreaterThan(0.85);
    expect(j.testRmse).toBeLessThan(0.93);
    expect(j.test.n).toBe(20000);
    expect(j.preset).toBe('quick');
    const file = JSON.parse(readFileSync(presets, 'utf8'));
    expect(file.presets.quick.options).toMatchObject({ model: 'dotbias', lr: j.winner.options.lr, wd: j.winner.options.wd });
    expect(file.presets.quick.options.split).toBeUndefined();
    // and train takes it by name
    const t = await cli('train', '--preset', 'quick', '--split', 'u1', '--epochs', '1', '--json');
    expect(t.code, t.err).toBe(0);
    expect(JSON.parse(t.out).options).toMatchObject({ lr: j.winner.options.lr, wd: j.winner.options.wd, epochs: 1 });
  }, 300_000);

  it('refuses a budget it cannot keep, an unknown kind and a rank-only kind for RMSE, in one line', async () => {
    const a = await cli('tune', '--budget', '2s');
    expect(a.code).toBe(1);
    expect(a.err.trim().split('\n').at(-1)).toMatch(/^factorlens: --budget must be a time from 5s to 24h/);
    const b = await cli('tune', '--model', 'svd', '--budget', '10s');
    expect(b.code).toBe(1);
    expect(b.err.trim().split('\n').at(-1)).toMatch(/^factorlens: unknown model "svd" to tune: choose all or any of dot, dotbias, nn, .*autorec/);
    const c = await cli('tune', '--model', 'dotbias,ease', '--budget', '10s');
    expect(c.code).toBe(1);
    expect(c.err.trim().split('\n').at(-1)).toMatch(/^factorlens: ease ranks movies but predicts no rating: it cannot be tuned for RMSE \(use --metric ndcg/);
    // one search tests one split: cv5 is refused (before the data loads), and --split-files conflicts with another --split
    const d = await cli('tune', '--split', 'cv5', '--budget', '10s');
    expect(d.code).toBe(1);
    expect(d.err.trim().split('\n').at(-1)).toMatch(/^factorlens: tune searches on one split and tests its winner once: cv5 is five splits — tune one fold/);
    const e = await cli('tune', '--split', 'u2', '--split-files', 'a,b', '--budget', '10s');
    expect(e.code).toBe(1);
    expect(e.err.trim().split('\n').at(-1)).toMatch(/^factorlens: --split-files is a split of its own: drop --split u2/);
  }, 60_000);
});
