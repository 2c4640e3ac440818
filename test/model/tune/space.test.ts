/** The search space: a candidate per kind from its option keys, anchors at the best presets, draws inside the ranges. */
import { describe, expect, it } from 'vitest';
import { MODEL_KINDS, modelKind } from '../../../src/model/models/index.js';
import { anchorConfigs, bracketCandidate, candidatesFor, rungOptions, sampleBracket } from '../../../src/model/tune/space.js';

describe('search space', () => {
  it('has one candidate per model kind the metric can judge (their own options searched) and the AutoRec blend', () => {
    const all = candidatesFor('all');
    const rates = MODEL_KINDS.filter((k) => modelKind(k).shows.ratings);
    expect(all.map((c) => c.name).sort()).toEqual([...rates, 'autorec'].sort());
    const keys = (name: string) => all.find((c) => c.name === name)!.dims.map((d) => d.key);
    expect(keys('dotbias')).toEqual(['lr', 'wd', 'epochs', 'bs', 'factors']);
    expect(keys('nn')).toEqual(['lr', 'wd', 'epochs', 'bs', 'layers']);
    expect(keys('autorec')).toEqual(['autorec.hidden', 'autorec.epochs', 'autorec.lr', 'autorec.wd']);
    // a closed-form baseline searches its own settings, not sgd's lr, wd, epochs, batch size
    expect(keys('itemknn')).toEqual(['baseline.regU', 'baseline.regI', 'knn.k', 'knn.shrinkage']);
    expect(keys('mean')).toEqual([]);
    // the cheap, well-known kind first: its results feed the blend's dotbias part
    expect(all[0].name).toBe('dotbias');
    expect(() => candidatesFor('svd')).toThrow(/unknown model "svd"/);
  });

  it('never lets a rank-only kind into an RMSE search; an NDCG search takes every kind that ranks', () => {
    const rankOnly = MODEL_KINDS.filter((k) => !modelKind(k).shows.ratings);
    expect(rankOnly.length).toBeGreaterThan(0);
    for (const k of rankOnly) {
      expect(candidatesFor('all', 'rmse').some((c) => c.name === k)).toBe(false);
      expect(() => candidatesFor(`dotbias,${k}`, 'rmse')).toThrow(/predicts no rating/);
      expect(candidatesFor('all', 'ndcg').some((c) => c.name === k)).toBe(true);
    }
    // the global mean ranks nothing: no NDCG search takes it
    expect(candidatesFor('all', 'ndcg').some((c) => c.name === 'mean')).toBe(false);
    expect(() => candidatesFor('mean', 'ndcg')).toThrow(/ranks nothing/);
    const ease = anchorConfigs(candidatesFor('ease', 'ndcg'))[0];
    expect(ease.options).toEqual({ model: 'ease', ease: { lambda: 400 } });
  });

  it('fits a baseline whole at every rung, and gives no brackets to a kind with nothing to search', () => {
    const knn = { candidate: 'itemknn', options: { model: 'itemknn' as const, knn: { k: 40, minK: 1, similarity: 'msd' as const, shrinkage: 100, minSupport: 1 } } };
    expect(rungOptions(knn, 1 / 3)).toEqual(knn.options);
    const cs = candidatesFor('dotbias,mean,baseline');
    expect([0, 1, 2, 3].map((b) => bracketCandidate(b, cs).name)).toEqual(['dotbias', 'baseline', 'dotbias', 'baseline']);
    const drawn = sampleBracket(1, 12, [], cs, { seed: 3, better: 'lower' });
    for (const c of drawn) {
      expect(c.options.model).toBe('baseline');
      expect(c.options.lr).toBeUndefined();
      expect(c.options.baseline!.regU).toBeGreaterThanOrEqual(2);
      expect(c.options.baseline!.regU).toBeLessThanOrEqual(50);
    }
  });

  it('anchors each candidate at its best-known configuration', () => {
    const [db, blend] = anchorConfigs(candidatesFor('dotbias,autorec'));
    expect(db.options).toEqual({ model: 'dotbias', lr: 4e-3, wd: 0.12, epochs: 5, bs: 64, factors: 50 });
    expect(blend.options).toMatchObject({ model: 'dotbias', solver: 'autorec', lr: 4e-3, wd: 0.12, autorec: { hidden: 500, epochs: 25, lr: 3e-3, wd: 6, users: { hidden: 500, epochs: 40, wd: 20 } } });
    // the stacking weights are each trial's to fit on its validation rows, never the preset's
    expect(blend.options.autorec!.stack).toBeUndefined();
    // an NDCG search blends the I-AutoRec alone (its weight chosen by NDCG)
    expect(anchorConfigs(candidatesFor('autorec', 'ndcg'))[0].options.autorec!.users).toBeUndefined();
  });

  it('draws inside the ranges, the same for the same seed, and alternates the blend with the kinds', () => {
    const cs = candidatesFor('all');
    const a = sampleBracket(0, 30, [], cs, { seed: 5, better: 'lower' });
    expect(sampleBracket(0, 30, [], cs, { seed: 5, better: 'lower' })).toEqual(a);
    expect(sampleBracket(0, 30, [], cs, { seed: 6, better: 'lower' })).not.toEqual(a);
    for (const c of a) {
      const o = c.options;
      expect(o.lr!).toBeGreaterThanOrEqual(2e-3);
      expect(o.lr!).toBeLessThanOrEqual(1e-2);
      expect(o.wd!).toBeGreaterThanOrEqual(0.04);
      expect(o.wd!).toBeLessThanOrEqual(0.4);
      expect([32, 64, 128, 256]).toContain(o.bs);
      expect(Number.isInteger(o.epochs)).toBe(true);
    }
    // before any whole run the leading kind is the first (dotbias): it gets every other non-blend bracket
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((b) => bracketCandidate(b, cs).name)).toEqual(['dotbias', 'autorec', 'dot', 'autorec', 'dotbias', 'autorec', 'nn', 'autorec']);
    for (const c of a.filter((x) => modelKind(x.options.model!).optionKeys.includes('factors'))) expect(c.options.factors).toBeGreaterThanOrEqual(25);
  });

  it('gives half the brackets to the kind that leads so far, the rest in turn (an NDCG search: the baselines that rank best)', () => {
    const cs = candidatesFor('dotbias,ease,ials,itemknn', 'ndcg');
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((b) => bracketCandidate(b, cs, ['ease', 'ials']).name)).toEqual(['ease', 'ials', 'ease', 'dotbias', 'ease', 'itemknn', 'ease', 'ials']);
    // the lead comes from the history's whole runs: ease's anchor beat dotbias's, so ease is searched next
    const whole = (id: number, candidate: string, metric: number) => ({ id, bracket: 0, config: { candidate, options: { model: candidate as 'ease', ease: { lambda: 400 } } }, state: 'done' as const, rungs: [{ rung: 1, fraction: 1, metric, seconds: 1, state: 'done' as const }] });
    const history = [whole(0, 'dotbias', 0.07), whole(1, 'ease', 0.22), whole(2, 'ials', 0.2)];
    const drawn = sampleBracket(2, 4, history, cs, { seed: 1, better: 'higher' });
    expect(drawn.every((c) => c.candidate === 'ease' && c.options.ease!.lambda >= 50 && c.options.ease!.lambda <= 3000)).toBe(true);
    // for RMSE (lower is better) the same history makes dotbias, the lowest, the lead
    expect(sampleBracket(2, 4, history, cs, { seed: 1, better: 'lower' })[0].candidate).toBe('dotbias');
  });

  it('runs a rung as a third of the epochs, never fewer than two (the blend: of its AutoRec)', () => {
    expect(rungOptions({ candidate: 'dotbias', options: { epochs: 9 } }, 1 / 3).epochs).toBe(3);
    expect(rungOptions({ candidate: 'dotbias', options: { epochs: 4 } }, 1 / 3).epochs).toBe(2);
    expect(rungOptions({ candidate: 'dotbias', options: { epochs: 1 } }, 1 / 3).epochs).toBe(1);
    const b = rungOptions({ candidate: 'autorec', options: { epochs: 5, autorec: { hidden: 500, epochs: 42, lr: 3e-3, wd: 6, bs: 64, blend: 0.6, users: { hidden: 500, epochs: 30, lr: 3e-3, wd: 20, bs: 64 } } } }, 1 / 3);
    expect(b.epochs).toBe(5);
    expect(b.autorec!.epochs).toBe(14);
    expect(b.autorec!.users!.epochs).toBe(10);
  });
});
