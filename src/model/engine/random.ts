/** A small seeded PRNG so that the same seed gives the same numbers on every backend. */

import { mulberry32 } from '../../data/split.js';

export type Rng = () => number;

/** The data layer's seeded stream (mulberry32): splits and initialisation draw from one generator. */
export { mulberry32 };

/** Fills `out` with normal(mean, std) draws (Box–Muller). */
export function fillNormal(out: Float32Array, rng: Rng, std: number, mean = 0): void {
  for (let i = 0; i < out.length; i += 2) {
    const u1 = Math.max(rng(), 1e-12);
    const u2 = rng();
    const r = Math.sqrt(-2 * Math.log(u1)) * std;
    out[i] = mean + r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < out.length) out[i + 1] = mean + r * Math.sin(2 * Math.PI * u2);
  }
}

export function fillUniform(out: Float32Array, rng: Rng, bound: number): void {
  for (let i = 0; i < out.length; i++) out[i] = (rng() * 2 - 1) * bound;
}

/** In-place Fisher–Yates shuffle. */
export function shuffle(a: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
