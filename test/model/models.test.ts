/** The model kinds: each declares its parameters and forward in one module, and everything asks it. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_OPTIONS } from '../../src/model/train/defaults.js';
import { MODEL_KINDS, epochsPerMember, kindOf, modelKind, runLabel, runName } from '../../src/model/models/index.js';
import { predictRows, scoreItems, trainedUser } from '../../src/model/models/forward.js';
import { FACTOR_KINDS, makeWeights } from './snapshotFixtures.js';
import { naiveDotBias, loose } from '../helpers/weights.js';
import { naiveNnPredict } from './interpretSynthetic.js';

describe('model kinds', () => {
  it.each(MODEL_KINDS)('%s: params, arrays and fromArrays describe the same weights', (name) => {
    const w = makeWeights(name);
    const kind = kindOf(w);
    expect(kind.kind).toBe(name);
    const shape = kind.shape(w);
    const arrays = kind.arrays(w);
    const decl = kind.params(shape);
    expect(decl.map((d) => d.name)).toEqual([...arrays.keys()]);
    for (const d of decl) expect(arrays.get(d.name)!.length).toBe(d.shape.reduce((a, b) => a * b, 1));
    const back = kind.fromArrays(shape, w.yRange, (n) => arrays.get(n)!.slice());
    expect(predictRows(back, { users: Int32Array.of(0, 1, 2), items: Int32Array.of(4, 0, 3) })).toEqual(
      predictRows(w, { users: Int32Array.of(0, 1, 2), items: Int32Array.of(4, 0, 3) }),
    );
    expect(kind.shapeProblem(shape)).toBeNull();
  });

  it('one forward: predictRows and scoreItems agree with the obvious arithmetic for every factor kind (the baselines: baselineKinds.test.ts)', () => {
    for (const name of FACTOR_KINDS) {
      const w = makeWeights(name, { nUsers: 9, nItems: 6 });
      const users = Int32Array.from({ length: 30 }, (_, r) => (r * 7) % 9);
      const items = Int32Array.from({ length: 30 }, (_, r) => (r * 5) % 6);
      const rows = predictRows(w, { users, items });
      const naive = name === 'nn' ? Array.from(users, (u, r) => naiveNnPredict(w, trainedUser(w, u), items[r])) : Array.from(naiveDotBias(loose(w), users, items));
      rows.forEach((p, r) => {
        expect(p).toBeCloseTo(naive[r], 5);
        expect(scoreItems(w, trainedUser(w, users[r]))[items[r]]).toBeCloseTo(p, 6);
      });
    }
  });

  it('an unknown kind is a clear error', () => {
    expect(() => modelKind('svd' as never)).toThrow(/unknown model "svd": choose one of dot, dotbias, nn, mean, baseline/);
  });

  it('names and labels a run', () => {
    expect(runName({ ...DEFAULT_TRAIN_OPTIONS, model: 'dotbias', factors: 50 }, 5)).toBe('dotbias-50f-5ep');
    expect(runName({ ...DEFAULT_TRAIN_OPTIONS, model: 'nn', factors: 50, layers: [100, 50] }, 3)).toBe('nn-100-50-3ep');
    expect(runLabel(makeWeights('dotbias', { factors: 3 }), DEFAULT_TRAIN_OPTIONS, 5)).toBe('dotbias 3f 5ep');
    // two members of 3 factors averaged: the weights hold 6 factors and the table 10 epochs, the label says what was trained
    expect(runLabel(makeWeights('dotbias', { factors: 6 }), { ...DEFAULT_TRAIN_OPTIONS, factors: 3, members: 2 }, 10)).toBe('dotbias 3f ×2 5ep');
    expect(runName({ ...DEFAULT_TRAIN_OPTIONS, factors: 3, members: 2 }, epochsPerMember({ members: 2 }, 10))).toBe('dotbias-3f-x2-5ep');
    expect(runLabel(makeWeights('nn', { layers: [8, 3] }), { ...DEFAULT_TRAIN_OPTIONS, model: 'nn' }, 2)).toBe('nn 4+6 [8,3] 2ep');
    // a closed-form baseline is fitted once: no epochs in its label
    expect(runLabel(makeWeights('mean'), { ...DEFAULT_TRAIN_OPTIONS, model: 'mean' }, 1)).not.toMatch(/ep$/);
    expect(runLabel(makeWeights('itemknn'), { ...DEFAULT_TRAIN_OPTIONS, model: 'itemknn' }, 1)).toMatch(/^itemknn\b(?!.*\dep$)/);
  });
});
