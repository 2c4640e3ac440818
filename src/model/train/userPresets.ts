/**
 * The user's own presets (e.g. a tuned configuration), beside the built-in ones, in one JSON file:
 * $FACTORLENS_PRESETS, else $XDG_CONFIG_HOME/factorlens/presets.json, else ~/.config/factorlens/presets.json.
 * Written atomically (a synced temporary file renamed over the old one), so a crash leaves the old file or
 * the new one. Built-in names cannot be taken; a damaged file is refused with what is wrong, never rewritten.
 */
import { existsSync, readFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ModelError } from '../errors.js';
import { describeFsError, fsyncDir, writeFileSynced } from '../snapshot/fsSafe.js';
import type { TrainOptions } from '../types.js';
import { resolveOptions } from './defaults.js';
import { PRESET_NAMES, presetOptions } from './presets.js';

export interface UserPreset {
  name: string;
  description: string;
  options: Partial<TrainOptions>;
  createdAt: string;
  /** Where it came from, e.g. "tune --budget 60s --model dotbias". */
  source?: string;
  /** What the search measured: its validation metric, and the test RMSE of the retrained model. */
  validMetric?: { metric: string; value: number };
  testRmse?: number;
  split?: string;
}

interface PresetFile {
  version: 1;
  presets: Record<string, UserPreset>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function userPresetsFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FACTORLENS_PRESETS) return path.resolve(env.FACTORLENS_PRESETS);
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'factorlens', 'presets.json');
}

export function validatePresetName(name: string): string {
  if (!NAME.test(name)) throw new ModelError(`preset name ${JSON.stringify(name)}: use 1 to 64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit`);
  if ((PRESET_NAMES as readonly string[]).includes(name)) throw new ModelError(`preset "${name}" is built in: choose another name`);
  return name;
}

/** The user presets, by name (none when the file does not exist); a damaged file is an error that names it. */
export function readUserPresets(file = userPresetsFile()): Record<string, UserPreset> {
  if (!existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ModelError(`the presets file ${file} cannot be read: ${err instanceof SyntaxError ? `not JSON (${err.message})` : describeFsError(err)}`);
  }
  const f = raw as Partial<PresetFile>;
  if (!f || typeof f !== 'object' || f.version !== 1 || typeof f.presets !== 'object' || f.presets === null) {
    throw new ModelError(`the presets file ${file} is not a factorlens presets file (expected {"version": 1, "presets": {…}})`);
  }
  const out: Record<string, UserPreset> = {};
  for (const [name, p] of Object.entries(f.presets)) {
    if (!p || typeof p !== 'object' || typeof p.options !== 'object' || p.options === null) throw new ModelError(`the presets file ${file}: preset "${name}" has no options`);
    try {
      resolveOptions(p.options);
    } catch (err) {
      throw new ModelError(`the presets file ${file}: preset "${name}": ${(err as Error).message}`);
    }
    out[name] = { ...p, name };
  }
  return out;
}

/** Adds or replaces one preset, atomically. */
export async function saveUserPreset(preset: Omit<UserPreset, 'name' | 'createdAt'> & { name: string; createdAt?: string }, file = userPresetsFile()): Promise<UserPreset> {
  validatePresetName(preset.name);
  resolveOptions(preset.options);
  const presets = readUserPresets(file);
  const { split: _split, seed: _seed, backend: _backend, validPct: _validPct, ...options } = preset.options;
  const saved: UserPreset = { ...preset, options, createdAt: preset.createdAt ?? new Date().toISOString() };
  presets[preset.name] = saved;
  const body: PresetFile = { version: 1, presets };
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${Date.now()}`);
  try {
    await fsp.mkdir(dir, { recursive: true });
    await writeFileSynced(tmp, JSON.stringify(body, null, 2) + '\n');
    await fsp.rename(tmp, file);
    await fsyncDir(dir);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => {});
    throw new ModelError(`saving preset "${preset.name}" to ${file} failed: ${describeFsError(err)}`);
  }
  return saved;
}

export async function removeUserPreset(name: string, file = userPresetsFile()): Promise<boolean> {
  const presets = readUserPresets(file);
  if (!presets[name]) return false;
  delete presets[name];
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${Date.now()}`);
  await writeFileSynced(tmp, JSON.stringify({ version: 1, presets }, null, 2) + '\n');
  await fsp.rename(tmp, file);
  await fsyncDir(dir);
  return true;
}

/** A preset's options by name: a built-in one, else the user's; unknown names list both kinds. */
export function anyPresetOptions(name: string, file = userPresetsFile()): Partial<TrainOptions> {
  if ((PRESET_NAMES as readonly string[]).includes(name)) return presetOptions(name);
  const user = readUserPresets(file);
  if (user[name]) return { ...user[name].options };
  const mine = Object.keys(user);
  throw new ModelError(`unknown preset "${name}": choose one of ${PRESET_NAMES.join(', ')}${mine.length ? `, or yours: ${mine.join(', ')}` : ''}`);
}
