/** Every way a snapshot on disk can be wrong, and every way saving can fail: one clear SnapshotError each. */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import fsp from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SnapshotError, listSnapshots, loadSnapshot, saveSnapshot } from '../../src/model/snapshot/index.js';
import { makeResult, sameWeights, weightBytes } from './snapshotFixtures.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'factorlens-snapc-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) {
    chmodSync(d, 0o755);
    rmSync(d, { recursive: true, force: true });
  }
});
beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function saved(kind: 'dot' | 'dotbias' | 'nn' = 'dotbias'): Promise<{ dir: string; snap: string }> {
  const dir = tempDir();
  await saveSnapshot('s', makeResult(kind), { dir });
  return { dir, snap: path.join(dir, 's') };
}

const file = (snap: string, f: string) => path.join(snap, f);
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

/** Re-seals an edited manifest the way a careful forger would, to reach the checks behind the seal. */
function reseal(m: Record<string, unknown>): string {
  const canonical = JSON.stringify({ ...m, manifestSha256: '' }, null, 1);
  return JSON.stringify({ ...m, manifestSha256: createHash('sha256').update(canonical).digest('hex') }, null, 1);
}

/**
 * `ours: false` for a folder that does not prove it is a factorlens snapshot (ownership.ts): loading it
 * says what is wrong, but the list leaves it out and no message suggests removing it.
 */
async function expectRefusal(dir: string, message: RegExp, opts: { ours?: boolean } = {}): Promise<SnapshotError> {
  const before = tf.memory().numTensors;
  const err = await loadSnapshot('s', { dir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SnapshotError);
  const e = err as SnapshotError;
  expect(e.message).toMatch(/^snapshot "s" at /);
  expect(e.message).toMatch(message);
  expect(e.message).not.toMatch(/\n|    at /);
  expect(tf.memory().numTensors).toBe(before);
  const listed = (await listSnapshots(dir)).find((x) => x.name === 's');
  if (opts.ours === false) {
    expect(listed).toBeUndefined();
    expect(e.message).not.toMatch(/snapshots rm/);
    expect(e.message).toMatch(/factorlens cannot tell it made this folder, so it leaves it alone/);
    return e;
  }
  // list shows the same problem instead of crashing
  expect(listed?.error).toBe(e.message);
  return e;
}

describe('loading refuses damaged snapshots with one clear message', () => {
  it('truncated weights', async () => {
    const { dir, snap } = await saved();
    truncateSync(file(snap, 'weights.bin'), 10);
    const e = await expectRefusal(dir, /is damaged: weights.bin has 10 bytes where manifest.json says \d+ \(truncated/);
    expect(e.message).toMatch(/remove it with `factorlens snapshots rm s`/);
  });

  it('weights changed in place (wrong checksum)', async () => {
    const { dir, snap } = await saved();
    const bin = readFileSync(file(snap, 'weights.bin'));
    bin[5] ^= 0x40;
    writeFileSync(file(snap, 'weights.bin'), bin);
    await expectRefusal(dir, /weights.bin does not match its sha256 checksum in manifest.json/);
  });

  it('edited manifest (a title changed by hand)', async () => {
    const { dir, snap } = await saved();
    const text = readFileSync(file(snap, 'manifest.json'), 'utf8').replace('Misérables', 'Miserables');
    writeFileSync(file(snap, 'manifest.json'), text);
    await expectRefusal(dir, /is damaged: manifest.json was changed after saving/);
  });

  it('edited checksum in the manifest', async () => {
    const { dir, snap } = await saved();
    const m = readJson(file(snap, 'manifest.json'));
    m.files['weights.bin'].sha256 = '0'.repeat(64);
    writeFileSync(file(snap, 'manifest.json'), JSON.stringify(m, null, 1));
    await expectRefusal(dir, /manifest.json was changed after saving/);
  });

  it('a re-sealed manifest whose model no longer matches the weights', async () => {
    const { dir, snap } = await saved();
    const m = readJson(file(snap, 'manifest.json'));
    m.model.userDim = 4;
    writeFileSync(file(snap, 'manifest.json'), reseal(m));
    await expectRefusal(dir, /model.json does not match the model in manifest.json: has \[user_factors \[7,3\] float32/);
  });

  it('a re-sealed manifest whose vocabulary has the wrong size', async () => {
    const { dir, snap } = await saved();
    const m = readJson(file(snap, 'manifest.json'));
    m.vocab.titles.pop();
    writeFileSync(file(snap, 'manifest.json'), reseal(m));
    await expectRefusal(dir, /manifest.json field "vocab.titles" has 4 entries, expected 5/);
  });

  it('a re-sealed nn manifest whose layers do not chain', async () => {
    const { dir, snap } = await saved('nn');
    const m = readJson(file(snap, 'manifest.json'));
    m.model.layers[1].inDim = 5;
    writeFileSync(file(snap, 'manifest.json'), reseal(m));
    await expectRefusal(dir, /layer 1 takes 5 inputs, expected 8/);
  });

  it('edited model.json', async () => {
    const { dir, snap } = await saved();
    const m = readJson(file(snap, 'model.json'));
    m.weightsManifest[0].weights[0].dtype = 'int32';
    writeFileSync(file(snap, 'model.json'), JSON.stringify(m));
    await expectRefusal(dir, /model.json has \d+ bytes where manifest.json says|model.json does not match its sha256/);
  });

  for (const missing of ['weights.bin', 'model.json', 'manifest.json']) {
    it(`missing ${missing}`, async () => {
      const { dir, snap } = await saved();
      unlinkSync(file(snap, missing));
      // without its manifest nothing shows the folder is a snapshot: it is not listed, nor offered for removal
      await expectRefusal(dir, new RegExp(`is incomplete: ${missing.replace('.', '\\.')} is missing`), { ours: missing !== 'manifest.json' });
    });
  }

  it('a newer format version', async () => {
    const { dir, snap } = await saved();
    const m = readJson(file(snap, 'manifest.json'));
    m.formatVersion = 2;
    writeFileSync(file(snap, 'manifest.json'), JSON.stringify(m));
    const e = await expectRefusal(dir, /was written by a newer factorlens \(format 2\); upgrade factorlens/);
    expect(e.message).not.toMatch(/snapshots rm/);
  });

  it('a truncated manifest', async () => {
    const { dir, snap } = await saved();
    truncateSync(file(snap, 'manifest.json'), 100);
    await expectRefusal(dir, /manifest.json is not valid JSON \(truncated or edited\?\)/);
  });

  it('a foreign JSON manifest', async () => {
    const { dir, snap } = await saved();
    writeFileSync(file(snap, 'manifest.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [] }));
    await expectRefusal(dir, /is not a factorlens snapshot: manifest.json has no "format": "factorlens-snapshot"/, { ours: false });
  });

  it('a binary manifest', async () => {
    const { dir, snap } = await saved();
    writeFileSync(file(snap, 'manifest.json'), randomBytes(300));
    await expectRefusal(dir, /manifest.json is not valid JSON/, { ours: false });
  });

  it('a folder of something else', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 's'));
    writeFileSync(path.join(dir, 's', 'README.txt'), 'hello');
    await expectRefusal(dir, /is incomplete: manifest.json is missing/, { ours: false });
  });
});

describe('saving into a folder that cannot take it', () => {
  const hidden = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.'));

  it('a snapshots "folder" that is really a file', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'file'), 'x');
    await expect(saveSnapshot('s', makeResult('dot'), { dir: path.join(dir, 'file', 'snaps') })).rejects.toThrow(
      /cannot save snapshot "s": creating the snapshots folder .*file\/snaps failed: a part of the path is a file, not a folder \(ENOTDIR\)/,
    );
  });

  it('a full disk while writing the weights: says what and where, leaves nothing, keeps the old version', async () => {
    const { dir } = await saved('dot');
    const realOpen = fsp.open;
    vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      if (String(args[0]).endsWith('weights.bin') && args[1] === 'wx') {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      return realOpen(...args);
    });
    const err = await saveSnapshot('s', makeResult('nn'), { dir, force: true }).then(
      () => new Error('saved despite the full disk'),
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(SnapshotError);
    expect(err.message).toMatch(
      /^cannot save snapshot "s": writing .*\/\.s\.tmp-[^/]+\/weights\.bin failed: no space left on the device \(ENOSPC\); nothing was saved$/,
    );
    vi.restoreAllMocks();
    expect(hidden(dir)).toEqual([]);
    expect((await loadSnapshot('s', { dir })).weights.kind).toBe('dot');
  });

  it('a read-only folder (EACCES when creating the temporary folder)', async () => {
    const dir = tempDir();
    const realMkdir = fsp.mkdir;
    vi.spyOn(fsp, 'mkdir').mockImplementation(async (...args: Parameters<typeof fsp.mkdir>) => {
      if (path.basename(String(args[0])).startsWith('.s.tmp-')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      return realMkdir(...args);
    });
    await expect(saveSnapshot('s', makeResult('dot'), { dir })).rejects.toThrow(
      /^cannot save snapshot "s": creating .*\/\.s\.tmp-\S+ failed: permission denied \(EACCES\); nothing was saved$/,
    );
    vi.restoreAllMocks();
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)('a folder without write permission (real chmod; root ignores it)', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o555);
    await expect(saveSnapshot('s', makeResult('dot'), { dir })).rejects.toThrow(/permission denied \(EACCES\)/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a failure while publishing keeps the previous version in place', async () => {
    const { dir } = await saved('dot');
    const realRename = fsp.rename;
    vi.spyOn(fsp, 'rename').mockImplementation(async (from, to) => {
      if (path.basename(String(from)).startsWith('.s.tmp-')) throw Object.assign(new Error('EIO'), { code: 'EIO' });
      return realRename(from, to);
    });
    await expect(saveSnapshot('s', makeResult('nn'), { dir, force: true })).rejects.toThrow(
      /moving the new snapshot to .*\/s failed: an input\/output error \(EIO\); nothing was saved/,
    );
    vi.restoreAllMocks();
    expect(readdirSync(dir)).toEqual(['s']);
    const loaded = await loadSnapshot('s', { dir });
    expect(loaded.weights.kind).toBe('dot');
    expect(weightBytes(loaded.weights)).toEqual(weightBytes(makeResult('dot').weights));
  });
});

describe('fuzzing the loader', () => {
  it('random byte edits, truncations and extensions of any file: loads identical weights or one SnapshotError', async () => {
    const { dir, snap } = await saved('nn');
    const originals = Object.fromEntries(['manifest.json', 'model.json', 'weights.bin'].map((f) => [f, readFileSync(file(snap, f))]));
    const expected = makeResult('nn').weights;
    const before = tf.memory().numTensors;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('manifest.json', 'model.json', 'weights.bin'),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.oneof(fc.constant(0), fc.integer({ min: -200, max: 50 })),
        async (target, edits, resize) => {
          const bytes = Buffer.from(originals[target]);
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          const end = Math.max(0, bytes.length + resize);
          const mutated = end <= bytes.length ? bytes.subarray(0, end) : Buffer.concat([bytes, Buffer.alloc(end - bytes.length, 0x20)]);
          writeFileSync(file(snap, target), mutated);
          try {
            const loaded = await loadSnapshot('s', { dir }).catch((e: unknown) => e);
            if (loaded instanceof Error) {
              expect(loaded).toBeInstanceOf(SnapshotError);
              expect(loaded.message).toMatch(/^snapshot "s" at \S+ (is damaged|is incomplete|is not a factorlens snapshot|was written by a newer)/);
            } else {
              // only an edit that changed nothing (or trailing JSON whitespace) may load, and then it loads the truth
              expect(sameWeights((loaded as { weights: typeof expected }).weights, expected)).toBe(true);
            }
          } finally {
            writeFileSync(file(snap, target), originals[target]);
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
