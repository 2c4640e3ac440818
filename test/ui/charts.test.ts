import { describe, expect, it } from 'vitest';
import { decadeLabel, lrChart, lrText } from '../../src/ui/lib/lrChart.js';
import { curvesChart, stretchByEpoch } from '../../src/ui/lib/curvesChart.js';
import { applyPreset, initialValues, matchingPreset, withPresetFollowing } from '../../src/ui/panes/train/trainFields.js';

describe('lrChart', () => {
  const lrs = Array.from({ length: 200 }, (_, i) => 1e-7 * Math.pow(1e8, i / 200));
  const losses = lrs.map((lr, i) => (i < 150 ? 1.4 - i / 300 : 0.9 + (i - 150) / 10));

  it('labels every decade it spans on a log axis, 1e-6 … 1e-1, 1 (warm-up and blow-up points left out)', () => {
    const c = lrChart(lrs, losses, [], 100, 10)!;
    expect(c.labels).toMatch(/^\s+1e-6\s+1e-5\s+1e-4\s+1e-3\s+1e-2\s+1e-1\s+1$/);
    expect(c.axis.split('┬').length - 1).toBe(7);
    expect(c.plot.length).toBe(10);
  });

  it('drops labels that would collide on a narrow chart, keeps the ticks', () => {
    const c = lrChart(lrs, losses, [], 30, 6)!;
    expect(c.axis.split('┬').length - 1).toBe(7);
    expect(c.labels).not.toMatch(/\S\S\S\S\S\S\S\S\S/); // no two labels glued together
  });

  it('puts marks at the columns of their points, left to right', () => {
    const c = lrChart(lrs, losses, [{ key: 's', index: 50 }, { key: 'v', index: 120 }], 100, 10)!;
    const [s, v] = c.marks;
    expect(s.col).toBeLessThan(v.col);
    expect(c.plot[0][v.col]).toBeDefined();
  });

  it('needs two points', () => expect(lrChart([1e-3], [1], [], 80, 10)).toBeNull());

  it('formats learning rates and decades the way they are typed', () => {
    expect(lrText(0.0036)).toBe('3.6e-3');
    expect(lrText(0.5)).toBe('0.5');
    expect(decadeLabel(-3)).toBe('1e-3');
    expect(decadeLabel(1)).toBe('10');
  });
});

describe('curvesChart', () => {
  it('lines runs of different lengths up by epoch and numbers each curve at its end', () => {
    expect(stretchByEpoch([1, 2], 4)).toEqual([1, 1.25, 1.5, 1.75, 2]);
    const c = curvesChart([[0.9, 0.85, 0.82], [0.88, 0.95]], 60, 8)!;
    const text = c.lines.join('\n');
    expect(text).toMatch(/─1$/m);
    expect(text).toMatch(/2$/m);
    // every drawn cell right of the axis belongs to a run
    c.lines.forEach((line, r) => [...line].forEach((ch, col) => col > 7 && ch !== ' ' && expect(c.owners[r][col]).toBeGreaterThanOrEqual(0)));
  });

  it('refuses a diverged (non-finite) run', () => expect(curvesChart([[1, NaN], [1, 2]], 60, 8)).toBeNull());
});

describe('presets in the form', () => {
  it('the defaults are the recipe; best fills lr and wd; any other edit makes it custom', () => {
    const v = initialValues();
    expect(v.preset).toBe('recipe');
    const best = applyPreset(v, 'best');
    expect(best).toMatchObject({ preset: 'best', lr: '0.004', wd: '0.12', model: 'dotbias' });
    expect(matchingPreset(best)).toBe('best');
    expect(withPresetFollowing({ ...best, wd: '0.2' }).preset).toBe('custom');
    expect(applyPreset({ ...v, model: 'nn' }, 'recipe').model).toBe('dotbias');
  });
});
