/**
 * Splits live in shared memory and are made once: the trainer's rows are the ranking's and the fits'
 * after training, and a worker handed them reads the same rows (at ML-25M size 100 MB and seconds each).
 */
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/index.js';
import { pickModelFor } from '../../src/model/interpret/pickAndLike.js';
import { Session } from '../../src/model/runtime/session.js';
import { pickInWorker, splitInWorker, withSharedColumns } from '../../src/model/runtime/trainInWorker.js';
import { splitOf } from '../../src/model/train/splits.js';
import { testDataDir } from '../helpers/data.js';

const ascending = (a: Int32Array) => a.every((x, k) => k === 0 || a[k - 1] < x);

describe('a split', () => {
  it('is two ascending, disjoint row lists covering every row, in shared memory, for the random split and a fold', async () => {
    const ds = await loadDataset(testDataDir());
    for (const [options, nValid] of [[{}, 20_000], [{ split: 'fold3' }, 20_000], [{ validPct: 0.1, seed: 3 }, 10_000]] as const) {
      const s = splitOf(ds, options);
      expect(s.valid.length).toBe(nValid);
      expect(s.train.length + s.valid.length).toBe(ds.nRatings);
      expect(ascending(s.train) && ascending(s.valid)).toBe(true);
      const seen = new Uint8Array(ds.nRatings);
      for (const r of s.train) seen[r]++;
      for (const r of s.valid) seen[r]++;
      expect(seen.every((c) => c === 1)).toBe(true);
      expect(s.train.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(s.valid.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    // the canonical files' split too
    expect(splitOf(ds, { split: 'u1' }).train.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('made in a worker is the same rows, handed back in shared memory; the pick model fitted there on them is the one fitted here', async () => {
    const ds = withSharedColumns(await loadDataset(testDataDir()));
    const here = splitOf(ds, { seed: 5 });
    const there = await splitInWorker(ds, { seed: 5 });
    expect(there.train.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(there.train)).toEqual(Array.from(here.train));
    expect(Array.from(there.valid)).toEqual(Array.from(here.valid));
    expect(there.description).toBe(here.description);
    const pick = await pickInWorker(ds, there);
    const local = pickModelFor(ds, here);
    expect(Array.from(pick.neighbourIdx)).toEqual(Array.from(local.neighbourIdx));
    expect(Array.from(pick.neighbourVal)).toEqual(Array.from(local.neighbourVal));
    expect(Array.from(pick.rated!.val)).toEqual(Array.from(local.rated!.val));
    expect(Array.from(pick.early!.idx)).toEqual(Array.from(local.early!.idx));
    expect(Array.from(pick.lateLiked!)).toEqual(Array.from(local.lateLiked!));
  });

  it('is made once per session for options naming the same rows, and only the last two are kept', async () => {
    const ds = await loadDataset(testDataDir());
    const session = new Session({ dataDir: testDataDir() });
    const first = await session.splitFor(ds, {});
    expect(await session.splitFor(ds, { split: 'random', validPct: 0.2, seed: 42 })).toBe(first);
    const other = await session.splitFor(ds, { seed: 1 });
    expect(other).not.toBe(first);
    expect(Array.from(other.valid)).not.toEqual(Array.from(first.valid));
    // first was asked for again after `other`: a third set of options drops `other`, not it
    expect(await session.splitFor(ds, {})).toBe(first);
    await session.splitFor(ds, { seed: 2 });
    expect(await session.splitFor(ds, {})).toBe(first);
    expect(await session.splitFor(ds, { seed: 1 })).not.toBe(other);
    await expect(session.splitFor(ds, { split: 'nonsense' })).rejects.toThrow(/unknown split "nonsense"/);
    await session.close();
  });
});
