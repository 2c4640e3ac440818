/** The user's presets file: a round trip, the built-in names kept, a damaged file refused, the write atomic. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { anyPresetOptions, readUserPresets, saveUserPreset, userPresetsFile } from '../../../src/model/train/userPresets.js';
import { resolveOptions } from '../../../src/model/train/defaults.js';

const tmp = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'factorlens-presets-')), 'sub', 'presets.json');

describe('user presets', () => {
  it('round-trips a tuned configuration (without split, seed or backend) and trains with it by name', async () => {
    const file = tmp();
    const options = resolveOptions({ model: 'dotbias', factors: 42, lr: 3.1e-3, wd: 0.17, epochs: 7, bs: 128, members: 2, split: 'u1', seed: 9 });
    await saveUserPreset({ name: 'tuned-1', description: 'tuned', options, validMetric: { metric: 'rmse', value: 0.9 }, testRmse: 0.909 }, file);
    const back = readUserPresets(file)['tuned-1'];
    const { split: _s, seed: _seed, backend: _b, validPct: _v, ...kept } = options;
    expect(back.options).toEqual(kept);
    expect(back.options.members).toBe(2);
    expect(back.testRmse).toBe(0.909);
    expect(anyPresetOptions('tuned-1', file)).toEqual(back.options);
    expect(anyPresetOptions('best', file).wd).toBe(0.12);
    // a second preset keeps the first; replacing one keeps the other
    await saveUserPreset({ name: 'tuned-2', description: 'b', options: { model: 'dot', epochs: 3 } }, file);
    await saveUserPreset({ name: 'tuned-1', description: 'a again', options: { model: 'dotbias', epochs: 4 } }, file);
    const all = readUserPresets(file);
    expect(Object.keys(all).sort()).toEqual(['tuned-1', 'tuned-2']);
    expect(all['tuned-1'].options.epochs).toBe(4);
    // nothing but the file is left in its folder (the temporary file was renamed into place)
    expect(readdirSync(path.dirname(file))).toEqual(['presets.json']);
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
  });

  it('refuses built-in names, bad names, bad options and a damaged file', async () => {
    const file = tmp();
    await expect(saveUserPreset({ name: 'best', description: '', options: {} }, file)).rejects.toThrow(/built in/);
    await expect(saveUserPreset({ name: '../x', description: '', options: {} }, file)).rejects.toThrow(/preset name/);
    await expect(saveUserPreset({ name: 'ok', description: '', options: { lr: -1 } }, file)).rejects.toThrow(/lr must be/);
    expect(() => anyPresetOptions('nope', file)).toThrow(/unknown preset "nope"/);
    await saveUserPreset({ name: 'ok', description: '', options: { epochs: 3 } }, file);
    writeFileSync(file, '{"version": 1, "presets": ');
    expect(() => readUserPresets(file)).toThrow(/cannot be read: not JSON/);
    // a damaged file is never overwritten by a save
    await expect(saveUserPreset({ name: 'other', description: '', options: {} }, file)).rejects.toThrow(/cannot be read/);
    expect(readFileSync(file, 'utf8')).toBe('{"version": 1, "presets": ');
  });

  it('lives under $FACTORLENS_PRESETS, else $XDG_CONFIG_HOME/factorlens, else ~/.config/factorlens', () => {
    expect(userPresetsFile({ FACTORLENS_PRESETS: '/a/b.json' })).toBe('/a/b.json');
    expect(userPresetsFile({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/factorlens/presets.json');
    expect(userPresetsFile({})).toBe(path.join(os.homedir(), '.config', 'factorlens', 'presets.json'));
  });
});
