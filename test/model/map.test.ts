/** The map on hand-built models: axis directions, the trustworthiness arithmetic, seeded UMAP, isolate, the kinds without factors. */
import { describe, expect, it } from 'vitest';
import { axisDirection, mapNeighboursOf, movieMap, placeUser, trustScores } from '../../src/model/interpret/index.js';
import type { ModelWeights, Vocab } from '../../src/model/types.js';
import { normals, randomArray, syntheticModel, syntheticVocab } from './interpretSynthetic.js';

/** Six movies in 2-D factor space: three Romance on the left, three Sci-Fi on the right, at known places. */
function sixMovies(): { w: ModelWeights; vocab: Vocab } {
  const pos = [
    [-2, 0.1],
    [-1.5, -0.2],
    [-1, 0.3],
    [1, -0.1],
    [1.5, 0.2],
    [2, 0],
  ];
  const w = { kind: 'dot', nUsers: 1, nItems: 6, userDim: 2, itemDim: 2, yRange: [0, 5.5], userFactors: new Float32Array([1, 0]), itemFactors: Float32Array.from(pos.flat()) } as ModelWeights;
  const vocab = syntheticVocab(1, 6, [60, 50, 40, 30, 20, 10]);
  vocab.titles = ['Love A (1990)', 'Love B (1991)', 'Love C (1992)', 'Space A (1990)', 'Space B (1991)', 'Space C (1992)'];
  vocab.genres = [['Romance'], ['Romance'], ['Romance'], ['Sci-Fi'], ['Sci-Fi'], ['Sci-Fi']];
  return { w, vocab };
}

describe('custom axes', () => {
  it('"Romance..Sci-Fi" points from the Romance mean to the Sci-Fi mean, unit length', () => {
    const { w, vocab } = sixMovies();
    const a = axisDirection(w, vocab, 'Romance..Sci-Fi');
    // means (-1.5, 0.0667) and (1.5, 0.0333): the direction is almost exactly +x
    const dx = 3;
    const dy = 0.1 / 3 - 0.2 / 3;
    const n = Math.hypot(dx, dy);
    expect(a.unit[0]).toBeCloseTo(dx / n, 6);
    expect(a.unit[1]).toBeCloseTo(dy / n, 6);
    expect(a.from).toEqual([0, 1, 2]);
    expect(a.to).toEqual([3, 4, 5]);
  });

  it('the map puts Sci-Fi right, labels the ends with the furthest titles, and titles lists work as ends', async () => {
    const { w, vocab } = sixMovies();
    const map = await movieMap(w, vocab, { x: 'Romance..Sci-Fi' });
    const x = (t: string) => map.points.find((p) => p.title === t)!.x;
    expect(x('Space C (1992)')).toBeGreaterThan(x('Love A (1990)'));
    expect(map.axes.x.high[0]).toBe('Space C (1992)');
    expect(map.axes.x.low[0]).toBe('Love A (1990)');
    expect(map.layout).toBe('axes');
    // the reversed axis from two comma lists
    const back = await movieMap(w, vocab, { x: 'Space A (1990), Space B (1991)..Love B (1991), Love C (1992)' });
    expect(back.points.find((p) => p.title === 'Love A (1990)')!.x).toBeGreaterThan(back.points.find((p) => p.title === 'Space C (1992)')!.x);
  });

  it('an axis without ".." or with an unknown end is a typed error', async () => {
    const { w, vocab } = sixMovies();
    await expect(movieMap(w, vocab, { x: 'Romance' })).rejects.toThrow(/FROM\.\.TO/);
    await expect(movieMap(w, vocab, { x: 'Romance..' })).rejects.toThrow(/empty/);
  });
});

describe('trustworthiness', () => {
  it('is the share of true neighbours among the map neighbours, per movie', () => {
    // movie 0's true 2 neighbours are 1 and 2, the map's 1 and 3: one of two kept
    const t = trustScores(
      [
        [1, 2],
        [0, 2],
        [0, 1],
        [2, 1],
      ],
      [
        [1, 3],
        [2, 0],
        [3, 0],
        [0, 1],
      ],
    );
    expect(t).toEqual([0.5, 1, 0.5, 0.5]);
  });

  it('a PCA map of points that already lie in a plane keeps every neighbour (trust 1)', async () => {
    const { w, vocab } = sixMovies();
    const map = await movieMap(w, vocab, { method: 'pca', k: 2 });
    // 2-D factors: PCA only rotates them; Love A's two nearest by cosine, worked out by hand, are Love B and C
    const nb = mapNeighboursOf(w, map, map.points.findIndex((p) => p.title === 'Love A (1990)'), 2);
    expect(nb.map((n) => n.title)).toEqual(['Love B (1991)', 'Love C (1992)']);
    expect(nb[0].cosine).toBeCloseTo((-2 * -1.5 + 0.1 * -0.2) / (Math.hypot(-2, 0.1) * Math.hypot(-1.5, -0.2)), 6);
    expect(nb.every((n) => n.onMap)).toBe(true);
    expect(map.points.find((p) => p.title === 'Love A (1990)')!.trust).toBe(1);
  });
});

describe('UMAP', () => {
  it('is seeded: the same model and seed give the same map; another seed another', async () => {
    const w = syntheticModel({ kind: 'dot', nItems: 80, dim: 6, seed: 3 });
    const vocab = syntheticVocab(w.nUsers, 80);
    const a = await movieMap(w, vocab, { method: 'umap', seed: 7 });
    const b = await movieMap(w, vocab, { method: 'umap', seed: 7 });
    const c = await movieMap(w, vocab, { method: 'umap', seed: 8 });
    expect(b.points.map((p) => [p.x, p.y])).toEqual(a.points.map((p) => [p.x, p.y]));
    expect(c.points.map((p) => [p.x, p.y])).not.toEqual(a.points.map((p) => [p.x, p.y]));
    expect(a.layout).toBe('umap');
  }, 60_000);

  it('keeps planted clusters apart: four tight clusters in 8-D keep nearly all neighbours', async () => {
    const rnd = normals(5);
    const centres = Array.from({ length: 4 }, () => Array.from({ length: 8 }, () => rnd() * 3));
    const n = 80;
    const itemFactors = Float32Array.from({ length: n * 8 }, (_, j) => centres[Math.floor(j / 8) % 4][j % 8] + rnd() * 0.1);
    const w = { kind: 'dot', nUsers: 1, nItems: n, userDim: 8, itemDim: 8, yRange: [0, 5.5], userFactors: randomArray(8, rnd), itemFactors } as ModelWeights;
    const vocab = syntheticVocab(1, n);
    const map = await movieMap(w, vocab, { method: 'umap', k: 5 });
    // each movie's 5 nearest are in its own cluster of 20, and so are its 5 nearest on the map
    const sameCluster = map.points.every((p, i) => mapNeighboursOf(w, map, i, 5).every((q) => q.index % 4 === p.index % 4));
    expect(sameCluster).toBe(true);
    const clusterOfMapNeighbours = map.points.map((p) => {
      const near = [...map.points].map((q, j) => ({ j, d: Math.hypot(q.x - p.x, q.y - p.y) })).sort((a, b) => a.d - b.d).slice(1, 6);
      return near.every((q) => map.points[q.j].index % 4 === p.index % 4);
    });
    expect(clusterOfMapNeighbours.filter(Boolean).length).toBeGreaterThanOrEqual(76);
  }, 60_000);
});

describe('isolate, colour, the kinds without factors, you on the map', () => {
  it('--genre keeps only that genre and re-projects, with the count', async () => {
    const w = syntheticModel({ kind: 'dotbias', nItems: 40 });
    const vocab = syntheticVocab(w.nUsers, 40);
    const map = await movieMap(w, vocab, { genre: 'drama', color: 'bias' });
    expect(map.points).toHaveLength(20);
    expect(map.points.every((p) => p.genres.includes('Drama'))).toBe(true);
    expect(map.filter).toEqual({ what: 'genre Drama', count: 20 });
    expect(new Set(map.points.map((p) => p.group))).toEqual(new Set(['lowest third', 'middle third', 'highest third']));
    expect(map.legend.reduce((s, l) => s + l.count, 0)).toBe(20);
    await expect(movieMap(w, vocab, { genre: 'Western' })).rejects.toThrow(/no genre "Western": the genres are Action, Drama/);
  });

  it('a baseline kind says it has no movie factors', async () => {
    const vocab = syntheticVocab(2, 3);
    const w = { kind: 'mean', nUsers: 2, nItems: 3, yRange: [1, 5], mean: 3.5 } as ModelWeights;
    await expect(movieMap(w, vocab)).rejects.toThrow(/mean model has no movie factor vectors/);
  });

  it('a user placed at the mean position of the movies that point their way', async () => {
    const { w, vocab } = sixMovies();
    const map = await movieMap(w, vocab, { x: 'Romance..Sci-Fi' });
    const you = placeUser(w, map, [1, 0], 3)!;
    // the three movies with the largest cosine to (1, 0) are the Sci-Fi ones: you sit at their mean
    const scifi = map.points.filter((p) => p.genres.includes('Sci-Fi'));
    expect(you.x).toBeCloseTo(scifi.reduce((s, p) => s + p.x, 0) / 3, 9);
    expect(you.y).toBeCloseTo(scifi.reduce((s, p) => s + p.y, 0) / 3, 9);
  });
});
