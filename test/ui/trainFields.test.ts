/** The Train form's solver field and the accurate preset. */
import { describe, expect, it } from 'vitest';
import { applyPreset, initialValues, matchingPreset, validate, visibleFields } from '../../src/ui/panes/train/trainFields.js';

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
