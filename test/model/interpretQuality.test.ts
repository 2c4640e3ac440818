/**
 * The interpretation API on the real ML-100K with models trained by the seeds' recipe on u1:
 * the interpretation quality bars. Each model is trained once per file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, makeSplit, TitleSearch, type Dataset, type Split } from '../../src/data/index.js';
import { biasRanking, moviePca, recommend, similarMovies } from '../../src/model/interpret/index.js';
import { trainModel } from '../../src/model/train/train.js';
import type { ModelKind, TrainResult } from '../../src/model/types.js';
import { testDataDir } from '../helpers/data.js';
import { foldInGap } from '../helpers/foldin.js';

const RECIPE = { factors: 50, epochs: 5, lr: 5e-3, wd: 0.1, bs: 64, split: 'u1' } as const;
const AAS = ['Action', 'Adventure', 'Sci-Fi'];

let ds: Dataset;
let split: Split;
let titles: TitleSearch;
const models = new Map<ModelKind, TrainResult>();

async function model(kind: ModelKind, epochs: number = RECIPE.epochs): Promise<TrainResult> {
  let m = models.get(kind);
  if (!m) models.set(kind, (m = await trainModel(ds, split, { ...RECIPE, model: kind, epochs })));
  return m;
}

const idx = (title: string) => titles.resolve(title);

beforeAll(async () => {
  ds = await loadDataset(testDataDir());
  split = makeSplit(ds, 'u1');
  titles = new TitleSearch(ds.titles, { popularity: ds.itemCount });
  await model('dotbias');
}, 120_000);

describe('dotbias, seeds recipe on u1', () => {
  it('top 10 movie biases include at least two of the classics; the bottom 10 are disliked movies', async () => {
    const { weights, vocab } = await model('dotbias');
    const r = biasRanking(weights, vocab, { top: 10 });
    const classics = [
      'Shawshank Redemption', "Schindler's List", 'Star Wars (1977)', 'Good Will Hunting', 'Titanic',
      'Casablanca', 'Usual Suspects', 'Silence of the Lambs', 'To Kill a Mockingbird', 'Close Shave',
    ].map(idx);
    expect(r.top.filter((e) => classics.includes(e.index)).length).toBeGreaterThanOrEqual(2);
    for (const e of r.bottom) expect(e.meanRating).toBeLessThan(2.5);
  });

  it('Star Wars (1977) has Empire Strikes Back or Return of the Jedi among its 5 most similar', async () => {
    const { weights, vocab } = await model('dotbias');
    const sims = similarMovies(weights, vocab, idx('Star Wars (1977)'), { top: 5 }).map((s) => s.index);
    expect(sims.includes(idx('Empire Strikes Back, The (1980)')) || sims.includes(idx('Return of the Jedi (1983)'))).toBe(true);
  });

  it('PCA of the 1000 most-rated movies: ordered variance ratios that sum to at most 1', async () => {
    const { weights, vocab } = await model('dotbias');
    const p = moviePca(weights, vocab);
    expect(p.movies).toHaveLength(1000);
    expect(p.explainedVariance[0]).toBeGreaterThan(p.explainedVariance[1]);
    expect(p.explainedVariance[1]).toBeGreaterThan(p.explainedVariance[2]);
    expect(p.explainedVariance.reduce((s, x) => s + x, 0)).toBeLessThan(1);
  });

  it('fold-in on 10 ratings predicts u1.test within 0.12 RMSE of the trained model', async () => {
    const gap = foldInGap(ds, split, await model('dotbias'));
    console.log(`dotbias fold-in: model ${gap.model.toFixed(4)}, folded ${gap.folded.toFixed(4)}, +${(gap.folded - gap.model).toFixed(4)} on ${gap.n} ratings`);
    expect(gap.folded - gap.model).toBeLessThanOrEqual(0.12);
    expect(gap.folded - gap.model).toBeLessThan(0.07); // measured +0.045; the naive fold-in of the issue was +0.09
  });

  it('taste test: 5 to five action classics, 1 to two romances → ≥ 6 of the top 10 are action/adventure/sci-fi', async () => {
    const { weights, vocab } = await model('dotbias');
    // The romances: the two most-rated movies with the Romance genre and none of the three.
    const romances = Array.from(vocab.titles.keys())
      .filter((i) => vocab.genres[i].includes('Romance') && !vocab.genres[i].some((g) => AAS.includes(g)))
      .sort((a, b) => vocab.itemCount[b] - vocab.itemCount[a])
      .slice(0, 2);
    const loved = ['Star Wars (1977)', 'Empire Strikes Back, The (1980)', 'Return of the Jedi (1983)', 'Raiders of the Lost Ark (1981)', 'Terminator, The (1984)'];
    const ratings = [...loved.map((t) => ({ item: idx(t), rating: 5 })), ...romances.map((item) => ({ item, rating: 1 }))];
    const rec = recommend(weights, vocab, ratings, { top: 10 }).recommendations;
    const hits = rec.filter((r) => r.genres.some((g) => AAS.includes(g)));
    console.log(`taste test (1 to ${romances.map((i) => vocab.titles[i]).join(', ')}): ${hits.length}/10`);
    expect(hits.length).toBeGreaterThanOrEqual(6);
  });

  it('zero ratings: the average-taste list is well-liked, well-known movies', async () => {
    const { weights, vocab } = await model('dotbias');
    const rec = recommend(weights, vocab, [], { top: 10 }).recommendations;
    for (const r of rec) expect(r.meanRating).toBeGreaterThan(3.9);
  });
});

describe('fold-in for the other models', () => {
  it('dot (seeds recipe): fold-in within 0.12 of the trained model', async () => {
    const gap = foldInGap(ds, split, await model('dot'));
    console.log(`dot fold-in: model ${gap.model.toFixed(4)}, folded ${gap.folded.toFixed(4)}, +${(gap.folded - gap.model).toFixed(4)}`);
    expect(gap.folded - gap.model).toBeLessThanOrEqual(0.12);
  }, 120_000);

  it('nn (1 epoch, to keep the suite fast): fold-in within 0.12 of the trained model', async () => {
    const gap = foldInGap(ds, split, await model('nn', 1));
    console.log(`nn fold-in: model ${gap.model.toFixed(4)}, folded ${gap.folded.toFixed(4)}, +${(gap.folded - gap.model).toFixed(4)}`);
    expect(gap.folded - gap.model).toBeLessThanOrEqual(0.12);
  }, 300_000);
});
