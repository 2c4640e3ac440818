/** The defaults a dataset's size brings: large data trains on every core with the large-data recipe, small data as before. */
import { describe, expect, it } from 'vitest';
import { defaultOptionsFor } from '../../src/model/catalog.js';
import { DEFAULT_TRAIN_OPTIONS, LARGE_DATA_OPTIONS, LARGE_DATA_RATINGS, sizedDefaults } from '../../src/model/train/defaults.js';

describe('sizedDefaults', () => {
  it('leaves small data to the one-thread recipe, exactly', () => {
    expect(sizedDefaults(100_000, {}, 8)).toEqual({});
    expect(defaultOptionsFor(100_000)).toEqual(DEFAULT_TRAIN_OPTIONS);
  });

  it('on large data: threads = the cores (at most 8) and the large-data recipe', () => {
    expect(sizedDefaults(LARGE_DATA_RATINGS, {}, 2)).toEqual({ threads: 2, ...LARGE_DATA_OPTIONS });
    expect(sizedDefaults(25_000_000, {}, 64).threads).toBe(8);
    expect(defaultOptionsFor(25_000_000)).toMatchObject({ bs: LARGE_DATA_OPTIONS.bs, lr: LARGE_DATA_OPTIONS.lr, wd: LARGE_DATA_OPTIONS.wd });
  });

  it('keeps one thread where asked, for the nn model, and on a one-core machine', () => {
    expect(sizedDefaults(25_000_000, { threads: 1 }, 4)).toEqual({});
    expect(sizedDefaults(25_000_000, { model: 'nn' }, 4)).toEqual({});
    expect(sizedDefaults(25_000_000, {}, 1)).toEqual({});
  });
});
