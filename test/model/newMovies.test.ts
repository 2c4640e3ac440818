/** The new-movie benchmark on ML-100K: held-out movies never trained on, from metadata alone and then their first ratings. */
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/index.js';
import { newMovieBenchmark } from '../../src/model/evaluate/newMovies.js';
import { testDataDir } from '../helpers/data.js';

describe('the new-movie benchmark', () => {
  it('metadata beats the average movie with no ratings; every method is scored on the same rows; ratings bring RMSE down', async () => {
    const ds = await loadDataset(testDataDir());
    const r = await newMovieBenchmark(ds, {}, { groupSize: 40, validationGroups: 1, reportGroups: 1, reveal: [0, 3, 10] });
    expect(r.movies).toBe(40);
    const rmse = (k: number, m: string) => r.cells.find((c) => c.reveal === k)!.rows.find((x) => x.method === m)!.rmse.value;
    expect(rmse(0, 'metadata')).toBeLessThan(rmse(0, 'average movie'));
    expect(rmse(0, 'metadata')).toBeLessThan(rmse(0, 'global mean'));
    expect(rmse(10, 'metadata')).toBeLessThan(rmse(3, 'metadata'));
    expect(rmse(3, 'metadata')).toBeLessThan(rmse(0, 'metadata'));
    // the oracle and the global mean do not depend on what is revealed
    expect(rmse(10, 'item mean (oracle)')).toBe(rmse(0, 'item mean (oracle)'));
    const rows = new Set(r.cells.flatMap((c) => c.rows.map((x) => x.rows)));
    expect(rows.size).toBe(1);
    expect(r.cells[0].rows.some((x) => x.method === 'mean of revealed')).toBe(false);
    expect(r.metadataModels[0].movies).toBeGreaterThan(500);
  }, 240_000);
});
