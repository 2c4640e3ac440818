/** Watch together on a hand-built dot model: the average-taste list ranks by the mean, least misery by the lowest prediction. */
import { describe, expect, it } from 'vitest';
import { watchTogether } from '../../src/model/interpret/index.js';
import { scoreItems } from '../../src/model/models/forward.js';
import { foldIn } from '../../src/model/interpret/foldin.js';
import type { ModelWeights } from '../../src/model/types.js';
import { syntheticModel, syntheticVocab } from './interpretSynthetic.js';

describe('watch together', () => {
  const w = syntheticModel({ kind: 'dotbias', nItems: 60, dim: 4, seed: 9 }) as ModelWeights;
  const vocab = syntheticVocab(w.nUsers, 60);
  const ann = { name: 'ann', ratings: [{ item: 0, rating: 5 }, { item: 2, rating: 1 }] };
  const bob = { name: 'bob', ratings: [{ item: 1, rating: 5 }, { item: 3, rating: 2 }, { item: 4, rating: 4 }] };

  it('gives each person their own fold-in prediction, and orders the lists by mean and by minimum', () => {
    const r = watchTogether(w, vocab, [ann, bob], { top: 5 });
    const sa = scoreItems(w, foldIn(w, ann.ratings).theta);
    const sb = scoreItems(w, foldIn(w, bob.ratings).theta);
    for (const m of [...r.average, ...r.leastMisery]) {
      expect(m.predicted[0]).toBeCloseTo(sa[m.index], 5);
      expect(m.predicted[1]).toBeCloseTo(sb[m.index], 5);
      expect(m.min).toBeCloseTo(Math.min(sa[m.index], sb[m.index]), 5);
    }
    // nobody's rated movies are suggested; the best mean / min among the rest come first
    const rated = new Set([0, 1, 2, 3, 4]);
    expect(r.average.every((m) => !rated.has(m.index))).toBe(true);
    const bestMean = Math.max(...Array.from({ length: 60 }, (_, i) => (rated.has(i) ? -Infinity : (sa[i] + sb[i]) / 2)));
    const bestMin = Math.max(...Array.from({ length: 60 }, (_, i) => (rated.has(i) ? -Infinity : Math.min(sa[i], sb[i]))));
    expect(r.average[0].mean).toBeCloseTo(bestMean, 5);
    expect(r.leastMisery[0].min).toBeCloseTo(bestMin, 5);
    for (let k = 1; k < r.leastMisery.length; k++) expect(r.leastMisery[k].min).toBeLessThanOrEqual(r.leastMisery[k - 1].min);
  });

  it('needs two people and a model that predicts stars', () => {
    expect(() => watchTogether(w, vocab, [ann])).toThrow(/two or more people/);
    const pop = { kind: 'popularity', nUsers: 2, nItems: 60, yRange: [1, 5], counts: new Float32Array(60) } as ModelWeights;
    expect(() => watchTogether(pop, vocab, [ann, bob])).toThrow(/predicts no ratings/);
  });
});
