/** The hand-written SIMD kernels (kernels.wat), instantiated once per parameter memory. */
import { KERNELS_WASM_BASE64 } from './wasm/kernels.wasm.js';

export interface KernelExports {
  adamw_scaled(n: number, w: number, m: number, v: number, decay: number, alpha: number, beta: number, eps: number): void;
  adamw_scaled_dense(n: number, w: number, m: number, v: number, g: number, decay: number, alpha: number, beta: number, eps: number, a1: number, a2: number): void;
  gemm_acc(M: number, K: number, N: number, A: number, sAi: number, sAk: number, B: number, sBk: number, C: number, sCi: number): void;
}

let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, KernelExports>();

/** The compiled module, or null where this runtime has no wasm SIMD (FACTORLENS_KERNELS=js forces that). */
export function compiledKernels(): WebAssembly.Module | null {
  if (process.env.FACTORLENS_KERNELS === 'js') return null;
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

export function kernelsFor(memory: WebAssembly.Memory): KernelExports | null {
  const mod = compiledKernels();
  if (!mod) return null;
  let k = instances.get(memory);
  if (!k) {
    k = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as KernelExports;
    instances.set(memory, k);
  }
  return k;
}
