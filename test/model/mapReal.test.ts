/**
 * The map on the real ML-100K, dotbias by the seeds' recipe on u1: a custom Romance..Sci-Fi axis puts
 * Star Wars far on the Sci-Fi side of Sleepless in Seattle, and UMAP keeps at least half of Star Wars'
 * true 10 nearest neighbours among its 10 nearest on the map.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, makeSplit, TitleSearch } from '../../src/data/index.js';
import { movieMap } from '../../src/model/interpret/index.js';
import { trainModel } from '../../src/model/train/train.js';
import type { TrainResult } from '../../src/model/types.js';
import { testDataDir } from '../helpers/data.js';

const RECIPE = { model: 'dotbias', factors: 50, epochs: 5, lr: 5e-3, wd: 0.1, bs: 64, split: 'u1' } as const;
let m: TrainResult;
let titles: TitleSearch;

beforeAll(async () => {
  const ds = await loadDataset(testDataDir());
  m = await trainModel(ds, makeSplit(ds, 'u1'), RECIPE);
  titles = new TitleSearch(ds.titles, { popularity: ds.itemCount });
}, 180_000);

describe('map of the seeds model', () => {
  it('--x "Romance..Sci-Fi": Star Wars (1977) far to the Sci-Fi side of Sleepless in Seattle (1993)', async () => {
    const map = await movieMap(m.weights, m.vocab, { x: 'Romance..Sci-Fi' });
    const at = (t: string) => map.points.find((p) => p.index === titles.resolve(t))!;
    const sw = at('Star Wars (1977)');
    const sleepless = at('Sleepless in Seattle (1993)');
    const xs = map.points.map((p) => p.x).sort((a, b) => a - b);
    const spread = xs[Math.floor(xs.length * 0.95)] - xs[Math.floor(xs.length * 0.05)];
    // "far": more than half the spread of the middle 90% of the movies
    expect(sw.x - sleepless.x).toBeGreaterThan(0.5 * spread);
    expect(map.axes.x.label).toBe('Romance → Sci-Fi');
    console.log(`axes: Star Wars ${sw.x.toFixed(3)}, Sleepless ${sleepless.x.toFixed(3)}, 90% spread ${spread.toFixed(3)}; trust ${map.trustworthiness.toFixed(3)}`);
  });

  it('UMAP keeps ≥ 5 of Star Wars\' true 10 neighbours; PCA and UMAP trustworthiness reported', async () => {
    const pca = await movieMap(m.weights, m.vocab, { method: 'pca' });
    const umap = await movieMap(m.weights, m.vocab, { method: 'umap' });
    const sw = umap.points.find((p) => p.index === titles.resolve('Star Wars (1977)'))!;
    console.log(`trustworthiness@10 of 1000 movies: PCA ${pca.trustworthiness.toFixed(3)}, UMAP ${umap.trustworthiness.toFixed(3)}; Star Wars UMAP ${sw.trust}`);
    expect(sw.trust).toBeGreaterThanOrEqual(0.5);
    expect(umap.trustworthiness).toBeGreaterThan(pca.trustworthiness);
  }, 120_000);
});
