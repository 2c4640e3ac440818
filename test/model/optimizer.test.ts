/** The scaled-moment SIMD AdamW against the textbook dense loop, and the one-cycle schedule. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { AdamW, TouchedRanges } from '../../src/model/engine/optimizer.js';
import { FlatParams, adamwStepJs } from '../../src/model/engine/params.js';
import { makeSchedule } from '../../src/model/engine/schedule.js';
import { mulberry32 } from '../../src/model/engine/random.js';

describe('AdamW kernels', () => {
  for (const [label, rowsPerStep] of [['sparse', 5], ['dense (big batch)', 60]] as const)
  it(`wasm-simd, ${label} moment update, equals the dense JS loop over 1500 steps (incl. rescaling)`, () => {
    const n = 1003;
    const a = new FlatParams([{ name: 'x', shape: [n] }]);
    const b = new FlatParams([{ name: 'x', shape: [n] }]);
    const rng = mulberry32(5);
    for (let i = 0; i < n; i++) a.w[i] = b.w[i] = rng() - 0.5;
    const opt = new AdamW(b, 'wasm-simd');
    expect(opt.kernel).toBe('wasm-simd');
    const touched = new TouchedRanges();
    const sched = makeSchedule('one-cycle', 0.01, 1500);
    for (let s = 0; s < 1500; s++) {
      // a few sparse rows of 10 get gradient, like embedding rows in a batch
      for (let k = 0; k < rowsPerStep; k++) {
        const row = Math.floor(rng() * 100);
        for (let j = 0; j < 10 && row * 10 + j < n; j++) {
          const g = rng() - 0.5;
          a.g[row * 10 + j] += g;
          b.g[row * 10 + j] += g;
        }
        touched.push(row * 10, Math.min(10, n - row * 10));
      }
      const { lr, beta1 } = sched(s);
      adamwStepJs(a, { lr, beta1, beta2: 0.99, eps: 1e-5, wd: 0.1 });
      opt.step({ lr, beta1, beta2: 0.99, eps: 1e-5, wd: 0.1 }, touched);
      touched.clear();
    }
    let maxRel = 0;
    for (let i = 0; i < n; i++) maxRel = Math.max(maxRel, Math.abs(a.w[i] - b.w[i]) / (Math.abs(a.w[i]) + 1e-3));
    expect(maxRel).toBeLessThan(1e-3);
    const { m } = opt.moments();
    let mdiff = 0;
    for (let i = 0; i < n; i++) mdiff = Math.max(mdiff, Math.abs(m[i] - a.m[i]));
    expect(mdiff).toBeLessThan(1e-5);
  });

  it('the committed wasm binary matches kernels.wat', () => {
    const out = execFileSync('node', ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
    expect(out).toMatch(/up to date/);
  });
});

describe('one-cycle schedule (PyTorch OneCycleLR, cos, pct_start 0.25, div 25, final div 1e5)', () => {
  it('warms up to lr_max at 25%, anneals to lr_max/25/1e5, momentum 0.95 -> 0.85 -> 0.95', () => {
    const total = 1000;
    const s = makeSchedule('one-cycle', 5e-3, total);
    expect(s(0).lr).toBeCloseTo(5e-3 / 25, 10);
    expect(s(0).beta1).toBeCloseTo(0.95, 10);
    expect(s(249).lr).toBeCloseTo(5e-3, 10);
    expect(s(249).beta1).toBeCloseTo(0.85, 10);
    expect(s(total - 1).lr).toBeCloseTo(5e-3 / 25 / 1e5, 12);
    expect(s(total - 1).beta1).toBeCloseTo(0.95, 10);
    for (let i = 1; i < 249; i++) expect(s(i).lr).toBeGreaterThan(s(i - 1).lr);
    for (let i = 250; i < total; i++) expect(s(i).lr).toBeLessThan(s(i - 1).lr);
  });
});
