/**
 * The AdamW step used by the trainer: the SIMD WebAssembly kernel (kernels.wat) working in place on
 * the parameters' memory, or the plain-JS loop with the same math where wasm SIMD is unavailable.
 */
import { adamwStepJs, type AdamHyper, type FlatParams } from './params.js';
import { KERNELS_WASM_BASE64 } from './wasm/kernels.wasm.js';

interface KernelExports {
  adamw(n: number, w: number, m: number, v: number, g: number, decay: number, b1: number, c1: number, b2: number, c2: number, step: number, ibc2: number, eps: number): void;
}

let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<FlatParams, KernelExports>();

function kernelsFor(p: FlatParams): KernelExports | null {
  if (process.env.FACTORLENS_KERNELS === 'js') return null;
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
    } catch {
      compiled = null; // no SIMD in this runtime
    }
  }
  if (!compiled) return null;
  let k = instances.get(p);
  if (!k) {
    k = new WebAssembly.Instance(compiled, { env: { memory: p.memory } }).exports as unknown as KernelExports;
    instances.set(p, k);
  }
  return k;
}

/** Which implementation the optimizer step runs on, for reports. */
export function optimizerKernel(): 'wasm-simd' | 'js' {
  if (process.env.FACTORLENS_KERNELS === 'js') return 'js';
  try {
    new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
    return 'wasm-simd';
  } catch {
    return 'js';
  }
}

export function adamwStep(p: FlatParams, h: AdamHyper): void {
  const k = kernelsFor(p);
  if (!k) return adamwStepJs(p, h);
  p.step += 1;
  k.adamw(
    p.w.length,
    p.w.byteOffset,
    p.m.byteOffset,
    p.v.byteOffset,
    p.g.byteOffset,
    1 - h.lr * h.wd,
    h.beta1,
    1 - h.beta1,
    h.beta2,
    1 - h.beta2,
    h.lr / (1 - Math.pow(h.beta1, p.step)),
    1 / Math.sqrt(1 - Math.pow(h.beta2, p.step)),
    h.eps,
  );
}
