/** The Train form's solver field and the accurate preset. */
import { describe, expect, it } from 'vitest';
import { applyPreset, initialValues, matchingPreset, trainingWarnings, validate, visibleFields } from '../../src/ui/panes/train/trainFields.js';

describe('Train form: solver', () => {
  it('the accurate preset selects the autorec solver, and the form validates to it', () => {
    const v = applyPreset(initialValues(), 'accurate');
    expect(v.solver).toBe('autorec');
    expect(matchingPreset(v)).toBe('accurate');
    expect(validate(v).options).toMatchObject({ model: 'dotbias', solver: 'autorec', lr: 4e-3, wd: 0.12 });
  });

  it('shows the solver only for dotbias, and never sends it for other models', () => {
    const nn = { ...applyPreset(initialValues(), 'accurate'), model: 'nn' };
    expect(visibleFields(nn).map((f) => f.key)).not.toContain('solver');
    expect(validate(nn).options?.solver).toBeUndefined();
    expect(visibleFields(initialValues()).map((f) => f.key)).toContain('solver');
  });
});

describe('progress label', () => {
  it('keeps the ETA in a narrow pane (80×24 leaves the chart ~44 cells)', async () => {
    const { progressOf } = await import('../../src/ui/panes/train/TrainProgress.js');
    const view = { epochsPlanned: 45, batchesPerEpoch: 100, elapsed: 2, loss: { batchesSeen: 350 } } as never;
    const wide = progressOf(view, 100);
    expect(wide.label).toBe('epoch 4/45 · 00:02 elapsed · ETA 00:24');
    const narrow = progressOf(view, 44);
    expect(narrow.label).toBe('4/45 · 00:02 · ETA 00:24');
    expect(narrow.label.length + 16).toBeLessThanOrEqual(44);
  });
});

describe('Train form: warnings before a run', () => {
  const eta = (s: number) => `${s} s`;
  it('a typed y_range is checked against the ratings it trains on, in the CLI\'s words', () => {
    const halfStars = { min: 0.5, max: 5 };
    const narrow = trainingWarnings({ yRange: [2, 3] }, null, eta, halfStars);
    expect(narrow).toHaveLength(1);
    expect(narrow[0]).toMatch(/y_range 2,3 cannot reach ratings below 2 or above 3 \(the ratings run 0.5..5\)/);
    expect(trainingWarnings({ yRange: [7, 9] }, null, eta, halfStars)[0]).toMatch(/lies outside the ratings/);
    expect(trainingWarnings({ yRange: [0, 1e308] }, null, eta, halfStars)[0]).toMatch(/wider than the ratings/);
  });
  it('a sensible or automatic y_range says nothing', () => {
    expect(trainingWarnings({ yRange: [0, 5.5] }, null, eta, { min: 1, max: 5 })).toEqual([]);
    expect(trainingWarnings({}, null, eta, { min: 1, max: 5 })).toEqual([]);
  });
});
