/**
 * AdamW for the trainer, PyTorch's math (decoupled weight decay, bias correction with the current
 * beta1), in one of two implementations:
 *
 * - 'wasm-simd' (default): moments are stored scaled, m~ = m / Π beta1 and v~ = v / beta2^t. A
 *   parameter whose gradient is zero this step (an embedding row not in the batch) then needs no moment
 *   update at all, so the moments of the rows in the batch are updated sparsely (JS, a few thousand
 *   floats) and the dense pass, a SIMD WebAssembly kernel over the parameters' own memory, only moves
 *   w — half the memory traffic of the textbook loop. The scale is folded back into the moments before
 *   it underflows. Same math as the dense optimizer; only float rounding differs.
 * - 'js': the textbook dense loop (params.ts), the reference the tests compare against.
 */
import { adamwStepJs, type AdamHyper, type FlatParams } from './params.js';
import { compiledKernels, kernelsFor, type KernelExports } from './wasmKernels.js';

export type OptimizerKernel = 'wasm-simd' | 'js';

/** The parameter ranges (offset, length) that may have a non-zero gradient this step. */
export class TouchedRanges {
  ranges = new Int32Array(1024);
  count = 0;
  /** Sum of the ranges' lengths. */
  elements = 0;

  push(offset: number, length: number): void {
    if (2 * this.count + 2 > this.ranges.length) {
      const bigger = new Int32Array(this.ranges.length * 2);
      bigger.set(this.ranges);
      this.ranges = bigger;
    }
    this.ranges[2 * this.count] = offset;
    this.ranges[2 * this.count + 1] = length;
    this.count++;
    this.elements += length;
  }

  clear(): void {
    this.count = 0;
    this.elements = 0;
  }
}

/** The kernel the trainer uses by default here (FACTORLENS_KERNELS=js forces the reference loop). */
export function defaultKernel(): OptimizerKernel {
  return compiledKernels() ? 'wasm-simd' : 'js';
}

const RESCALE_BELOW = 1e-16;
const TINY = 1e-30;

export class AdamW {
  readonly kernel: OptimizerKernel;
  private readonly wasm: KernelExports | null;
  /** Running Π beta1 and beta2^t by which the stored moments are divided ('wasm-simd' only). */
  private s1 = 1;
  private s2 = 1;

  constructor(
    private readonly p: FlatParams,
    kernel: OptimizerKernel = defaultKernel(),
  ) {
    this.wasm = kernel === 'wasm-simd' ? kernelsFor(p.memory) : null;
    this.kernel = this.wasm ? 'wasm-simd' : 'js';
  }

  /** One step. `touched` lists where p.g may be non-zero; the gradient is zeroed afterwards. */
  step(h: AdamHyper, touched: TouchedRanges): void {
    const p = this.p;
    if (!this.wasm) return adamwStepJs(p, h);
    p.step += 1;
    this.s1 *= h.beta1;
    this.s2 *= h.beta2;
    const a1 = (1 - h.beta1) / this.s1;
    const a2 = (1 - h.beta2) / this.s2;
    const { m, v, g, w } = p;
    const stepSize = h.lr / (1 - Math.pow(h.beta1, p.step));
    const ibc2 = 1 / Math.sqrt(1 - Math.pow(h.beta2, p.step));
    const alpha = stepSize * this.s1;
    const beta = ibc2 * Math.sqrt(this.s2);
    if (touched.elements > w.length / 8) {
      // a big batch touches much of the model: one sequential pass beats scattered row updates
      this.wasm.adamw_scaled_dense(w.length, w.byteOffset, m.byteOffset, v.byteOffset, g.byteOffset, 1 - h.lr * h.wd, alpha, beta, h.eps, a1, a2);
    } else {
      const r = touched.ranges;
      for (let k = 0; k < touched.count; k++) {
        const end = r[2 * k] + r[2 * k + 1];
        for (let j = r[2 * k]; j < end; j++) {
          const gj = g[j];
          if (gj !== 0) {
            m[j] += a1 * gj;
            v[j] += a2 * gj * gj;
            g[j] = 0;
          }
        }
      }
      this.wasm.adamw_scaled(w.length, w.byteOffset, m.byteOffset, v.byteOffset, 1 - h.lr * h.wd, alpha, beta, h.eps);
    }
    if (this.s1 < RESCALE_BELOW || this.s2 < RESCALE_BELOW) this.rescale();
  }

  /** Folds the running scale back into the stored moments (and flushes what would be denormal). */
  private rescale(): void {
    const { m, v } = this.p;
    for (let j = 0; j < m.length; j++) {
      const mj = m[j] * this.s1;
      m[j] = Math.abs(mj) < TINY ? 0 : mj;
      const vj = v[j] * this.s2;
      v[j] = vj < TINY ? 0 : vj;
    }
    this.s1 = 1;
    this.s2 = 1;
  }

  /** The true (unscaled) first and second moments, for tests. */
  moments(): { m: Float32Array; v: Float32Array } {
    const s1 = this.wasm ? this.s1 : 1;
    const s2 = this.wasm ? this.s2 : 1;
    return { m: this.p.m.map((x) => x * s1), v: this.p.v.map((x) => x * s2) };
  }
}
