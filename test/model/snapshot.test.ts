import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  SnapshotError,
  listSnapshots,
  loadSnapshot,
  removeSnapshot,
  saveSnapshot,
  showSnapshot,
  snapshotsDir,
  validateSnapshotName,
} from '../../src/model/snapshot/index.js';
import type { ModelKind } from '../../src/model/types.js';
import { makeResult, weightBytes } from './snapshotFixtures.js';
import { loose } from '../helpers/weights.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'factorlens-snap-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A pid that certainly belongs to no running process: one of ours that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

const hidden = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.'));

describe('save → load', () => {
  for (const kind of ['dot', 'dotbias', 'nn'] as ModelKind[]) {
    it(`gives bit-identical weights, vocab and history for ${kind}, with no tensor left behind`, async () => {
      const dir = tempDir();
      const result = makeResult(kind, { seed: 7 });
      const before = tf.memory().numTensors;
      const summary = await saveSnapshot('run-1', result, { dir });
      expect(tf.memory().numTensors).toBe(before);
      const loaded = await loadSnapshot('run-1', { dir });
      expect(tf.memory().numTensors).toBe(before);

      expect(summary).toMatchObject({ name: 'run-1', model: kind, epochs: 2, dataset: 'fixture', validRmse: 0.9486832980505138 });
      expect(summary.sizeBytes).toBeGreaterThan(0);
      expect(weightBytes(loaded.weights)).toEqual(weightBytes(result.weights));
      expect({ ...loaded.weights, userFactors: 0, itemFactors: 0, userBias: 0, itemBias: 0, layers: 0 }).toEqual({
        ...result.weights,
        userFactors: 0,
        itemFactors: 0,
        userBias: 0,
        itemBias: 0,
        layers: 0,
      });
      expect(loose(loaded.weights).layers?.map((l) => [l.inDim, l.outDim])).toEqual(loose(result.weights).layers?.map((l) => [l.inDim, l.outDim]));
      expect(loaded.vocab).toEqual(result.vocab);
      expect(loaded.vocab.titles[0]).toBe('Misérables, Les (1995)');
      expect(loaded.options).toEqual(result.options);
      expect(loaded.epochs).toEqual(result.epochs);
      expect(loaded.batchLosses).toEqual(result.batchLosses);
      expect(loaded.warnings).toEqual([]);
      expect(hidden(dir)).toEqual([]);
    });
  }

  it('writes a manifest with everything a snapshot needs without the dataset', async () => {
    const dir = tempDir();
    const result = makeResult('dotbias');
    await saveSnapshot('m', result, { dir });
    const m = JSON.parse(readFileSync(path.join(dir, 'm', 'manifest.json'), 'utf8'));
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
    expect(m).toMatchObject({
      format: 'factorlens-snapshot',
      formatVersion: 1,
      factorlensVersion: pkg.version,
      backend: 'cpu',
      split: 'random',
      dataset: result.dataset,
      options: result.options,
      model: { kind: 'dotbias', nUsers: 7, nItems: 5, userDim: 3, itemDim: 3, yRange: [0, 5.5], layers: [] },
      training: { reason: 'completed', message: 'fixture seed 1' },
    });
    expect(new Date(m.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(m.files['weights.bin'].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.files['model.json'].bytes).toBe(readFileSync(path.join(dir, 'm', 'model.json')).length);
    expect(readdirSync(path.join(dir, 'm')).sort()).toEqual(['manifest.json', 'model.json', 'weights.bin']);
  });

  it("stores the weights in tfjs's weights format, readable by tf.io.decodeWeights alone", async () => {
    const dir = tempDir();
    const result = makeResult('nn', { seed: 3 });
    await saveSnapshot('n', result, { dir });
    const modelJson = JSON.parse(readFileSync(path.join(dir, 'n', 'model.json'), 'utf8'));
    const group = modelJson.weightsManifest[0];
    expect(group.paths).toEqual(['weights.bin']);
    expect(group.weights.map((w: { name: string }) => w.name)).toEqual([
      'user_factors',
      'item_factors',
      'layers.0.kernel',
      'layers.0.bias',
      'layers.1.kernel',
      'layers.1.bias',
      'layers.2.kernel',
      'layers.2.bias',
    ]);
    const bin = readFileSync(path.join(dir, 'n', 'weights.bin'));
    const tensors = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length), group.weights);
    expect(tensors['item_factors'].shape).toEqual([5, 6]);
    expect(Buffer.from((tensors['layers.1.kernel'].dataSync() as Float32Array).buffer)).toEqual(Buffer.from(loose(result.weights).layers![1].kernel.buffer));
    Object.values(tensors).forEach((t) => t.dispose());
  });

  it('keeps NaN and Infinity of a diverged run', async () => {
    const dir = tempDir();
    const result = makeResult('dot');
    result.reason = 'diverged';
    result.batchLosses = [1, NaN, Infinity, -Infinity];
    result.epochs[1] = { ...result.epochs[1], validLoss: NaN, validRmse: NaN };
    loose(result.weights).userFactors[0] = NaN;
    const summary = await saveSnapshot('d', result, { dir });
    expect(summary.validRmse).toBeNull();
    const loaded = await loadSnapshot('d', { dir });
    expect(loaded.batchLosses).toEqual([1, NaN, Infinity, -Infinity]);
    expect(loaded.epochs[1].validRmse).toBeNaN();
    expect(weightBytes(loaded.weights)).toEqual(weightBytes(result.weights));
    expect(loaded.manifest.training.reason).toBe('diverged');
  });

  it('warns when loaded next to a different dataset, and keeps its own vocabulary', async () => {
    const dir = tempDir();
    const result = makeResult('dotbias');
    await saveSnapshot('w', result, { dir });
    expect((await loadSnapshot('w', { dir, datasetHash: result.dataset.hash })).warnings).toEqual([]);
    const other = await loadSnapshot('w', { dir, datasetHash: 'cd'.repeat(32) });
    expect(other.warnings).toHaveLength(1);
    expect(other.warnings[0]).toMatch(/different dataset .*vocabulary is used/);
    expect(other.vocab).toEqual(result.vocab);
  });

  it('refuses to save weights that could not be loaded back, before touching the disk', async () => {
    const dir = path.join(tempDir(), 'snaps');
    const result = makeResult('dotbias');
    loose(result.weights).itemBias = new Float32Array(2);
    await expect(saveSnapshot('x', result, { dir })).rejects.toThrow(/cannot save snapshot "x": item_bias has 2 values, expected 5/);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('names', () => {
  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['../x', /path separator/],
    ['a/b', /path separator/],
    ['a\\b', /path separator/],
    ['..', /"\.\."/],
    ['a..b', /"\.\."/],
    ['.hidden', /starts with a dot/],
    ['x'.repeat(65), /65 characters long: at most 64/],
    ['my model', /characters outside A-Z a-z 0-9 \. _ -/],
    ['café', /characters outside/],
  ];
  for (const [name, rule] of bad) {
    it(`refuses ${JSON.stringify(name.length > 20 ? name.slice(0, 8) + '…' : name)} naming the rule, and writes nothing`, async () => {
      expect(() => validateSnapshotName(name)).toThrow(SnapshotError);
      expect(() => validateSnapshotName(name)).toThrow(rule);
      const dir = tempDir();
      await expect(saveSnapshot(name, makeResult('dot'), { dir })).rejects.toThrow(rule);
      await expect(loadSnapshot(name, { dir })).rejects.toThrow(rule);
      await expect(removeSnapshot(name, dir)).rejects.toThrow(rule);
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('accepts 1 to 64 characters of letters, digits, dot, underscore and dash', () => {
    for (const ok of ['a', 'x'.repeat(64), 'run-1.v2_final', 'ML100k']) expect(validateSnapshotName(ok)).toBe(ok);
  });

  it('finds the folder from the flag, then $FACTORLENS_SNAPSHOTS, then this checkout\'s snapshots/', () => {
    const saved = process.env.FACTORLENS_SNAPSHOTS;
    try {
      delete process.env.FACTORLENS_SNAPSHOTS;
      expect(snapshotsDir()).toBe(path.resolve(process.cwd(), 'snapshots'));
      process.env.FACTORLENS_SNAPSHOTS = '/tmp/env-snaps';
      expect(snapshotsDir()).toBe('/tmp/env-snaps');
      expect(snapshotsDir('rel/dir')).toBe(path.resolve(process.cwd(), 'rel/dir'));
    } finally {
      if (saved === undefined) delete process.env.FACTORLENS_SNAPSHOTS;
      else process.env.FACTORLENS_SNAPSHOTS = saved;
    }
  });
});

describe('replacing', () => {
  it('does not overwrite an existing name without force, and says to use --force', async () => {
    const dir = tempDir();
    await saveSnapshot('s', makeResult('dot', { seed: 1 }), { dir });
    await expect(saveSnapshot('s', makeResult('dot', { seed: 2 }), { dir })).rejects.toThrow(
      /a snapshot named "s" already exists in .*: use --force to replace it/,
    );
    expect((await loadSnapshot('s', { dir })).manifest.training.message).toBe('fixture seed 1');
    expect(hidden(dir)).toEqual([]);
  });

  it('replaces with force, leaving no working folders behind', async () => {
    const dir = tempDir();
    await saveSnapshot('s', makeResult('dot', { seed: 1 }), { dir });
    const next = makeResult('nn', { seed: 2 });
    await saveSnapshot('s', next, { dir, force: true });
    const loaded = await loadSnapshot('s', { dir });
    expect(loaded.weights.kind).toBe('nn');
    expect(weightBytes(loaded.weights)).toEqual(weightBytes(next.weights));
    expect(readdirSync(dir)).toEqual(['s']);
  });

  it('two saves of one name at once: without force one wins and the other is told; with force both succeed', async () => {
    const dir = tempDir();
    const plain = await Promise.allSettled([1, 2, 3].map((seed) => saveSnapshot('race', makeResult('dotbias', { seed }), { dir })));
    expect(plain.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of plain.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect(r.reason).toBeInstanceOf(SnapshotError);
      expect(r.reason.message).toMatch(/already exists .*use --force/);
    }
    const forced = await Promise.allSettled([4, 5, 6].map((seed) => saveSnapshot('race', makeResult('dotbias', { seed }), { dir, force: true })));
    expect(forced.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    const seed = Number((await loadSnapshot('race', { dir })).manifest.training.message.split(' ').pop());
    expect([4, 5, 6]).toContain(seed);
    expect(readdirSync(dir)).toEqual(['race']);
  });
});

describe('list, show, rm', () => {
  it('lists snapshots by name with their summary, a broken one with an error, and skips non-snapshots', async () => {
    const dir = tempDir();
    await saveSnapshot('b-nn', makeResult('nn'), { dir });
    await saveSnapshot('a-dot', makeResult('dot'), { dir });
    mkdirSync(path.join(dir, 'c-broken'));
    writeFileSync(path.join(dir, 'c-broken', 'manifest.json'), '{"format": "factorlens-snap');
    writeFileSync(path.join(dir, '.gitkeep'), '');
    writeFileSync(path.join(dir, 'notes.txt'), 'not a snapshot');
    const list = await listSnapshots(dir);
    expect(list.map((s) => s.name)).toEqual(['a-dot', 'b-nn', 'c-broken']);
    expect(list[0]).toMatchObject({ model: 'dot', factors: 3, epochs: 2, dataset: 'fixture', reason: 'completed' });
    expect(list[0].error).toBeUndefined();
    expect(list[1]).toMatchObject({ model: 'nn', factors: 4, layers: [8, 3] });
    expect(list[2]).toMatchObject({ name: 'c-broken', model: null, sizeBytes: 27 });
    expect(list[2].error).toMatch(/snapshot "c-broken" at .* is damaged: manifest.json is not valid JSON/);
  });

  it('lists nothing for a missing folder', async () => {
    expect(await listSnapshots(path.join(tempDir(), 'nope'))).toEqual([]);
  });

  it('shows one snapshot with its manifest, and refuses a broken one', async () => {
    const dir = tempDir();
    await saveSnapshot('s', makeResult('dotbias'), { dir });
    const shown = await showSnapshot('s', dir);
    expect(shown.summary).toMatchObject({ name: 's', model: 'dotbias' });
    expect(shown.manifest.vocab.titles[0]).toBe('Misérables, Les (1995)');
    writeFileSync(path.join(dir, 's', 'weights.bin'), 'junk');
    await expect(showSnapshot('s', dir)).rejects.toThrow(/weights.bin has 4 bytes where manifest.json says/);
    await expect(showSnapshot('nope', dir)).rejects.toThrow(/no snapshot named "nope" in/);
  });

  it('removes a snapshot (broken or not) and says when there is none', async () => {
    const dir = tempDir();
    await saveSnapshot('s', makeResult('dot'), { dir });
    await saveSnapshot('broken', makeResult('dot'), { dir });
    writeFileSync(path.join(dir, 'broken', 'weights.bin'), 'cut');
    await removeSnapshot('s', dir);
    await removeSnapshot('broken', dir);
    expect(readdirSync(dir)).toEqual([]);
    await expect(removeSnapshot('s', dir)).rejects.toThrow(/no snapshot named "s"/);
    await expect(loadSnapshot('s', { dir })).rejects.toThrow(/no snapshot named "s"/);
  });
});

describe('recovery of interrupted saves', () => {
  it('puts back the previous version when a forced save was killed between its two renames', async () => {
    const dir = tempDir();
    const result = makeResult('dotbias', { seed: 9 });
    await saveSnapshot('s', result, { dir });
    renameSync(path.join(dir, 's'), path.join(dir, `.s.old-${Date.now()}-${deadPid()}-abcd1234`));
    mkdirSync(path.join(dir, `.s.tmp-${Date.now()}-${deadPid()}-abcd1234`));
    expect((await listSnapshots(dir)).map((s) => [s.name, s.error])).toEqual([['s', undefined]]);
    expect(readdirSync(dir)).toEqual(['s']);
    expect(weightBytes((await loadSnapshot('s', { dir })).weights)).toEqual(weightBytes(result.weights));
  });

  it('load recovers too, and reads a live saver’s previous version in place without moving it', async () => {
    const dir = tempDir();
    await saveSnapshot('s', makeResult('dot'), { dir });
    const live = `.s.old-${Date.now()}-${process.pid}-abcd1234`;
    renameSync(path.join(dir, 's'), path.join(dir, live));
    expect((await loadSnapshot('s', { dir })).weights.kind).toBe('dot');
    expect(readdirSync(dir)).toEqual([live]);
    renameSync(path.join(dir, live), path.join(dir, `.s.old-${Date.now()}-${deadPid()}-abcd1234`));
    expect((await loadSnapshot('s', { dir })).weights.kind).toBe('dot');
    expect(readdirSync(dir)).toEqual(['s']);
  });

  it('never resurrects a damaged previous version, and removes obsolete ones', async () => {
    const dir = tempDir();
    await saveSnapshot('s', makeResult('dot'), { dir });
    const old = path.join(dir, `.s.old-${Date.now()}-${deadPid()}-abcd1234`);
    renameSync(path.join(dir, 's'), old);
    rmSync(path.join(old, 'weights.bin'));
    await expect(loadSnapshot('s', { dir })).rejects.toThrow(/no snapshot named "s"/);
    expect(readdirSync(dir)).toEqual([]);
    await saveSnapshot('t', makeResult('dot'), { dir });
    mkdirSync(path.join(dir, `.t.old-${Date.now()}-${deadPid()}-abcd1234`));
    await saveSnapshot('u', makeResult('dot'), { dir });
    expect(readdirSync(dir).sort()).toEqual(['t', 'u']);
  });
});
