/** The search space: a candidate per kind from its option keys, anchors at the best presets, draws inside the ranges. */
import { describe, expect, it } from 'vitest';
import { MODEL_KINDS } from '../../../src/model/models/index.js';
import { anchorConfigs, bracketCandidate, candidatesFor, rungOptions, sampleBracket } from '../../../src/model/tune/space.js';

describe('search space', () => {
  it('has one candidate per model kind (their own options searched) and the AutoRec blend', () => {
    const all = candidatesFor('all');
    expect(all.map((c) => c.name).sort()).toEqual([...MODEL_KINDS, 'autorec'].sort());
    const keys = (name: string) => all.find((c) => c.name === name)!.dims.map((d) => d.key);
    expect(keys('dotbias')).toEqual(['lr', 'wd', 'epochs', 'bs', 'factors']);
    expect(keys('nn')).toEqual(['lr', 'wd', 'epochs', 'bs', 'layers']);
    expect(keys('autorec')).toEqual(['autorec.hidden', 'autorec.epochs', 'autorec.lr', 'autorec.wd']);
    // the cheap, well-known kind first: its results feed the blend's dotbias part
    expect(all[0].name).toBe('dotbias');
    expect(() => candidatesFor('svd')).toThrow(/unknown model "svd"/);
  });

  it('anchors each candidate at its best-known configuration', () => {
    const [db, blend] = anchorConfigs(candidatesFor('dotbias,autorec'));
    expect(db.options).toEqual({ model: 'dotbias', lr: 4e-3, wd: 0.12, epochs: 5, bs: 64, factors: 50 });
    expect(blend.options).toMatchObject({ model: 'dotbias', solver: 'autorec', lr: 4e-3, wd: 0.12, autorec: { hidden: 500, epochs: 40, lr: 3e-3, wd: 6 } });
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
    expect([0, 1, 2, 3, 4, 5].map((b) => bracketCandidate(b, cs).name)).toEqual(['dotbias', 'autorec', 'dot', 'autorec', 'nn', 'autorec']);
  });

  it('runs a rung as a third of the epochs, never fewer than two (the blend: of its AutoRec)', () => {
    expect(rungOptions({ candidate: 'dotbias', options: { epochs: 9 } }, 1 / 3).epochs).toBe(3);
    expect(rungOptions({ candidate: 'dotbias', options: { epochs: 4 } }, 1 / 3).epochs).toBe(2);
    expect(rungOptions({ candidate: 'dotbias', options: { epochs: 1 } }, 1 / 3).epochs).toBe(1);
    const b = rungOptions({ candidate: 'autorec', options: { epochs: 5, autorec: { hidden: 500, epochs: 42, lr: 3e-3, wd: 6, bs: 64, blend: 0.6 } } }, 1 / 3);
    expect(b.epochs).toBe(5);
    expect(b.autorec!.epochs).toBe(14);
  });
});
