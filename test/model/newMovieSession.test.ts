/**
 * The app's new-movie form: its metadata model is fitted in a fit worker and its audience read from the
 * dataset's own columns and the split's train rows — the same report the CLI builds from copied columns.
 */
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/index.js';
import { fitMetadataModel, newMovieReport } from '../../src/model/coldstart/newMovie.js';
import { selectRows } from '../../src/model/evaluate/metrics.js';
import { ColdStart } from '../../src/model/runtime/coldStartSession.js';
import { metaInWorker, withSharedColumns } from '../../src/model/runtime/trainInWorker.js';
import { splitOf } from '../../src/model/train/splits.js';
import { trainModel } from '../../src/model/train/train.js';
import { testDataDir } from '../helpers/data.js';

describe('adding a movie through the app\'s cold-start session', () => {
  it('gives the report fitted on copied training columns: the metadata model, the audience, their favourites', async () => {
    const ds = withSharedColumns(await loadDataset(testDataDir()));
    const split = splitOf(ds, { seed: 3 });
    const trained = await trainModel(ds, split, { epochs: 1, bs: 1024, lr: 0.01, seed: 3 });
    const m = { ...trained, snapshot: null, saved: false };
    let fits = 0;
    const coldStart = new ColdStart({
      model: () => m,
      dataset: async () => ds,
      loadedDataset: () => ds,
      pick: async () => null,
      split: async (d, o) => splitOf(d, o),
      fitTaste: () => Promise.reject(new Error('not asked for')),
      fitMeta: (model, d) => (fits++, metaInWorker(d, model.weights, splitOf(d, model.options))),
      dataDir: () => testDataDir(),
      snapshotsDir: () => undefined,
    });
    const input = { title: 'A New Space Western', year: 1996, genres: ['Sci-Fi', 'Western'], ratings: [{ userId: '13', rating: 5 }, { userId: '450', rating: 2 }] };
    const shown = await coldStart.addMovie(input);

    const train = selectRows(ds, split.train);
    const meta = fitMetadataModel(m.weights, m.vocab, train);
    const users = input.ratings.map((r) => ({ user: m.vocab.userIds.indexOf(r.userId), rating: r.rating }));
    const report = newMovieReport(m.weights, m.vocab, train, meta, { title: input.title, year: input.year, genres: input.genres }, users, { top: 10 });
    expect(shown.model).toEqual(report.metadataModel);
    expect(shown.whom).toEqual(report.whom.map((a) => ({ userId: a.userId, predicted: a.predicted, rank: a.rank, favourites: a.favourites })));
    expect(shown.whom).toHaveLength(10);
    expect(shown.whom.every((a) => a.favourites.length === 3)).toBe(true);
    expect(shown.steps.map((s) => s.meanPredicted)).toEqual(report.steps.map((s) => s.meanPredicted));
    // fitted once per model
    await coldStart.addMovie({ ...input, title: 'Another One' });
    expect(fits).toBe(1);
  });
});
