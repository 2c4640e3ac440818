/**
 * Every trainable parameter of a model in one flat Float32Array (plus Adam's moments and the
 * gradient), so the optimizer step is one pass over contiguous memory.
 */
import type { WeightsHome } from '../types.js';

export interface ParamSpec {
  name: string;
  shape: number[];
}

export interface ParamView extends ParamSpec {
  offset: number;
  size: number;
}

/**
 * Where FlatParams' arrays live: one WebAssembly memory and a byte offset (16-byte aligned) for each of
 * w, m, v, g (`padded` floats each) and the scratch. The trainer's storage is tfjs's own (tfjsStorage.ts:
 * the arrays are tf.Variables in the wasm backend's heap); anything else gets a memory of its own.
 */
export interface ParamStorage {
  readonly memory: WebAssembly.Memory;
  readonly offsets: { w: number; m: number; v: number; g: number; scratch: number };
  /** Who owns the memory: 'tfjs-wasm' (tf.Variables), 'own', or 'shared' (the training threads'). */
  readonly owner: WeightsHome;
  dispose(): void;
}

export type StorageFactory = (padded: number, scratchFloats: number) => ParamStorage;

/** A WebAssembly memory of the arrays' own (for inference helpers and the plain-JS paths). */
export const ownStorage: StorageFactory = (padded, scratchFloats) => {
  const bytes = padded * 4;
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((4 * bytes + scratchFloats * 4) / 65536)) });
  return { memory, offsets: { w: 0, m: bytes, v: 2 * bytes, g: 3 * bytes, scratch: 4 * bytes }, owner: 'own', dispose: () => {} };
};

export class FlatParams {
  readonly views = new Map<string, ParamView>();
  /** Optimizer steps taken (for Adam's bias correction). */
  step = 0;

  readonly storage: ParamStorage;
  /** Number of real parameters (the arrays are padded to a multiple of 4 with zeros). */
  readonly size: number;
  private readonly padded: number;
  private readonly scratchFloats: number;
  private buffer: ArrayBuffer | null = null;
  private arrays!: { w: Float32Array; m: Float32Array; v: Float32Array; g: Float32Array; scratch: Float32Array };

  constructor(specs: ParamSpec[], scratchFloats = 0, storage: StorageFactory = ownStorage) {
    let offset = 0;
    for (const s of specs) {
      const size = s.shape.reduce((a, b) => a * b, 1);
      this.views.set(s.name, { ...s, offset, size });
      offset += size;
    }
    this.size = offset;
    this.padded = Math.ceil(offset / 4) * 4;
    this.scratchFloats = Math.ceil(scratchFloats / 4) * 4;
    this.storage = storage(this.padded, this.scratchFloats);
  }

  /** The arrays live in one WebAssembly memory so the SIMD kernels work on them in place. */
  get memory(): WebAssembly.Memory {
    return this.storage.memory;
  }

  /**
   * Views over the memory. A memory that grows (tfjs allocating another tensor) detaches its old
   * ArrayBuffer, so views are rebuilt whenever the buffer changed; offsets never move.
   */
  private get a() {
    const buf = this.memory.buffer;
    if (buf !== this.buffer) {
      const o = this.storage.offsets;
      this.arrays = {
        w: new Float32Array(buf, o.w, this.padded),
        m: new Float32Array(buf, o.m, this.padded),
        v: new Float32Array(buf, o.v, this.padded),
        g: new Float32Array(buf, o.g, this.padded),
        scratch: new Float32Array(buf, o.scratch, this.scratchFloats),
      };
      this.buffer = buf;
    }
    return this.arrays;
  }

  /** The weights, Adam's two moments, the gradient, and kernels' working space (16-byte aligned). */
  get w(): Float32Array {
    return this.a.w;
  }
  get m(): Float32Array {
    return this.a.m;
  }
  get v(): Float32Array {
    return this.a.v;
  }
  get g(): Float32Array {
    return this.a.g;
  }
  get scratch(): Float32Array {
    return this.a.scratch;
  }

  /** Frees tfjs-owned storage (the variables); the arrays must not be used afterwards. */
  dispose(): void {
    this.storage.dispose();
  }

  private at(name: string): ParamView {
    const v = this.views.get(name);
    if (!v) throw new Error(`no parameter ${name}`);
    return v;
  }

  /** The weights of one parameter (a view: writes go to the model; take it again after an allocation). */
  weight(name: string): Float32Array {
    const v = this.at(name);
    return this.w.subarray(v.offset, v.offset + v.size);
  }

  grad(name: string): Float32Array {
    const v = this.at(name);
    return this.g.subarray(v.offset, v.offset + v.size);
  }
}

export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  wd: number;
}

/**
 * One AdamW step over all parameters, PyTorch's math exactly (decoupled weight decay, bias correction
 * with the current beta1), then zeroes the gradient. Dense on purpose: an embedding row that was not in
 * the batch still decays and still moves by its momentum, as in PyTorch and fastai.
 */
export function adamwStepJs(p: FlatParams, h: AdamHyper): void {
  p.step += 1;
  const { w, m, v, g } = p;
  const decay = 1 - h.lr * h.wd;
  const b1 = h.beta1;
  const b2 = h.beta2;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  const stepSize = h.lr / (1 - Math.pow(b1, p.step));
  const invBc2Sqrt = 1 / Math.sqrt(1 - Math.pow(b2, p.step));
  const eps = h.eps;
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = b1 * m[i] + c1 * gi;
    const vi = b2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] = w[i] * decay - (stepSize * mi) / (Math.sqrt(vi) * invBc2Sqrt + eps);
    g[i] = 0;
  }
}
