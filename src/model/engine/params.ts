/**
 * Every trainable parameter of a model in one flat Float32Array (plus Adam's moments and the
 * gradient), so the optimizer step is one pass over contiguous memory.
 */

export interface ParamSpec {
  name: string;
  shape: number[];
}

export interface ParamView extends ParamSpec {
  offset: number;
  size: number;
}

export class FlatParams {
  readonly w: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly g: Float32Array;
  readonly views = new Map<string, ParamView>();
  /** Optimizer steps taken (for Adam's bias correction). */
  step = 0;

  /** The four arrays live in one WebAssembly memory so the SIMD kernels work on them in place. */
  readonly memory: WebAssembly.Memory;
  /** Number of real parameters (the arrays are padded to a multiple of 4 with zeros). */
  readonly size: number;

  /** Working space for kernels in the same memory (e.g. the nn's activations), 16-byte aligned. */
  readonly scratch: Float32Array;

  constructor(specs: ParamSpec[], scratchFloats = 0) {
    let offset = 0;
    for (const s of specs) {
      const size = s.shape.reduce((a, b) => a * b, 1);
      this.views.set(s.name, { ...s, offset, size });
      offset += size;
    }
    this.size = offset;
    const padded = Math.ceil(offset / 4) * 4;
    const bytes = padded * 4;
    const scratchBytes = Math.ceil(scratchFloats / 4) * 16;
    this.memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((4 * bytes + scratchBytes) / 65536)) });
    const buf = this.memory.buffer;
    this.w = new Float32Array(buf, 0, padded);
    this.m = new Float32Array(buf, bytes, padded);
    this.v = new Float32Array(buf, 2 * bytes, padded);
    this.g = new Float32Array(buf, 3 * bytes, padded);
    this.scratch = new Float32Array(buf, 4 * bytes, scratchBytes / 4);
  }

  private at(name: string): ParamView {
    const v = this.views.get(name);
    if (!v) throw new Error(`no parameter ${name}`);
    return v;
  }

  /** The weights of one parameter (a view: writes go to the model). */
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
