/**
 * CollabNN for one batch, fused: embedding lookups and their row scatter-add on the flat parameters
 * (see dotKernel.ts), the dense layers as SIMD matrix products (kernels.wat gemm_acc) on activations
 * kept in the parameters' own memory. No tensor is made per batch; tfjs's per-op dispatch cost more
 * than the arithmetic at these sizes. The tfjs model's forward (collabModel.ts, mlpForward) is the
 * reference the tests compare against.
 */
import type { TouchedRanges } from './optimizer.js';
import type { FlatParams } from './params.js';
import type { RatingColumns } from './dotKernel.js';
import { kernelsFor } from './wasmKernels.js';

interface Layer {
  inDim: number;
  outDim: number;
  /** Float offsets of the kernel [in, out] and the bias within the weights, then in the memory (wAt). */
  w: number;
  wAt: number;
  b: number;
  gw: number;
  gb: number;
  /** Scratch offset of this layer's output activations [batch, out]. */
  h: number;
}

const align4 = (n: number) => Math.ceil(n / 4) * 4;

/** Floats of scratch the nn needs for batches of up to maxBatch rows. */
export function nnScratchFloats(du: number, di: number, hidden: number[], maxBatch: number): number {
  const sizes = [du + di, ...hidden, 1];
  const widest = Math.max(...sizes);
  let total = align4(maxBatch * sizes[0]) + 2 * align4(maxBatch * widest) + align4(maxBatch);
  let maxW = 0;
  for (let l = 1; l < sizes.length; l++) {
    total += align4(maxBatch * sizes[l]);
    maxW = Math.max(maxW, sizes[l - 1] * sizes[l]);
  }
  return total + align4(maxW) + 16;
}

export class NnKernel {
  private memView: Float32Array;
  private readonly du: number;
  private readonly di: number;
  private readonly d: number;
  private readonly userOff: number;
  private readonly itemOff: number;
  private readonly layers: Layer[] = [];
  private readonly x: number;
  private readonly dA: number;
  private readonly dB: number;
  private readonly wt: number;
  private readonly gemm: (M: number, K: number, N: number, A: number, sAi: number, sAk: number, B: number, sBk: number, C: number, sCi: number) => void;
  /** Dense layers' parameters are contiguous: every step touches all of them. */
  readonly denseOff: number;
  readonly denseSize: number;
  /** Batch number each user / item row was last reported touched in (a row is listed once per batch). */
  private readonly userSeen: Int32Array;
  private readonly itemSeen: Int32Array;
  private tick = 0;

  constructor(
    private readonly p: FlatParams,
    private readonly maxBatch: number,
  ) {
    const uf = p.views.get('user_factors')!;
    const mf = p.views.get('item_factors')!;
    this.du = uf.shape[1];
    this.di = mf.shape[1];
    this.d = this.du + this.di;
    this.userOff = uf.offset;
    this.itemOff = mf.offset;
    this.userSeen = new Int32Array(uf.shape[0]).fill(-1);
    this.itemSeen = new Int32Array(mf.shape[0]).fill(-1);
    this.memView = new Float32Array(p.memory.buffer);
    const base = p.scratch.byteOffset / 4;
    let at = base;
    const take = (n: number) => {
      const o = at;
      at += align4(n);
      return o;
    };
    this.x = take(maxBatch * this.d);
    let widest = this.d;
    for (let l = 0; p.views.has(`layers.${l}.kernel`); l++) {
      const k = p.views.get(`layers.${l}.kernel`)!;
      const b = p.views.get(`layers.${l}.bias`)!;
      const [inDim, outDim] = k.shape;
      widest = Math.max(widest, outDim);
      const wBase = p.w.byteOffset / 4;
      this.layers.push({ inDim, outDim, w: k.offset, wAt: wBase + k.offset, b: b.offset, gw: p.g.byteOffset / 4 + k.offset, gb: p.g.byteOffset / 4 + b.offset, h: take(maxBatch * outDim) });
    }
    this.dA = take(maxBatch * widest);
    this.dB = take(maxBatch * widest);
    this.wt = take(Math.max(...this.layers.map((l) => l.inDim * l.outDim)));
    if (at > base + p.scratch.length) throw new Error('nn kernel: scratch too small');
    const first = p.views.get('layers.0.kernel')!;
    const lastB = p.views.get(`layers.${this.layers.length - 1}.bias`)!;
    this.denseOff = first.offset;
    this.denseSize = lastB.offset + lastB.size - first.offset;
    const wasm = kernelsFor(p.memory);
    this.gemm = wasm
      ? (M, K, N, A, sAi, sAk, B, sBk, C, sCi) => wasm.gemm_acc(M, K, N, 4 * A, sAi, sAk, 4 * B, sBk, 4 * C, sCi)
      : (M, K, N, A, sAi, sAk, B, sBk, C, sCi) => {
          const mem = this.mem;
          for (let i = 0; i < M; i++) {
            const c = C + i * sCi;
            for (let k = 0; k < K; k++) {
              const a = mem[A + i * sAi + k * sAk];
              if (a === 0) continue;
              const b = B + k * sBk;
              for (let n = 0; n < N; n++) mem[c + n] += a * mem[b + n];
            }
          }
        };
  }

  /** The whole memory as floats; rebuilt if the memory grew (tfjs allocating) since the last batch. */
  private get mem(): Float32Array {
    if (this.memView.buffer !== this.p.memory.buffer) this.memView = new Float32Array(this.p.memory.buffer);
    return this.memView;
  }

  /** Gathers the embedding rows of order[start..start+n) into x and runs the dense stack; logits land in the last layer's h. */
  private forward(data: { users: Int32Array; items: Int32Array }, order: Int32Array | null, start: number, n: number): void {
    const { mem, d, du, di } = this;
    const w = this.p.w;
    for (let r = 0; r < n; r++) {
      const row = order ? order[start + r] : start + r;
      const xo = this.x + r * d;
      mem.set(w.subarray(this.userOff + data.users[row] * du, this.userOff + (data.users[row] + 1) * du), xo);
      mem.set(w.subarray(this.itemOff + data.items[row] * di, this.itemOff + (data.items[row] + 1) * di), xo + du);
    }
    let input = this.x;
    this.layers.forEach((L, l) => {
      const bias = w.subarray(L.b, L.b + L.outDim);
      for (let r = 0; r < n; r++) mem.set(bias, L.h + r * L.outDim);
      this.gemm(n, L.inDim, L.outDim, input, L.inDim, 1, L.wAt, L.outDim, L.h, L.outDim);
      if (l < this.layers.length - 1) {
        const end = L.h + n * L.outDim;
        for (let j = L.h; j < end; j++) if (mem[j] < 0) mem[j] = 0;
      }
      input = L.h;
    });
  }

  /** Forward + backward of rows order[start..end): gradients accumulate into p.g; returns the batch MSE. */
  batch(data: RatingColumns, order: Int32Array, start: number, end: number, lo: number, hi: number, touched: TouchedRanges): number {
    const n = end - start;
    if (n > this.maxBatch) throw new Error(`nn kernel: batch ${n} > ${this.maxBatch}`);
    this.forward(data, order, start, n);
    const { mem, layers } = this;
    const span = hi - lo;
    const out = layers[layers.length - 1];
    // d(MSE)/d(logit) into dA (the output layer is 1 wide)
    let loss = 0;
    let grad = this.dA;
    for (let r = 0; r < n; r++) {
      const s = 1 / (1 + Math.exp(-mem[out.h + r]));
      const err = lo + span * s - data.ratings[order[start + r]];
      loss += err * err;
      mem[grad + r] = ((2 / n) * err) * span * s * (1 - s);
    }
    let spare = this.dB;
    for (let l = layers.length - 1; l >= 0; l--) {
      const L = layers[l];
      const input = l === 0 ? this.x : layers[l - 1].h;
      // weight gradient: input^T . grad, straight into p.g
      this.gemm(L.inDim, n, L.outDim, input, 1, L.inDim, grad, L.outDim, L.gw, L.outDim);
      for (let r = 0; r < n; r++) {
        const go = grad + r * L.outDim;
        for (let j = 0; j < L.outDim; j++) mem[L.gb + j] += mem[go + j];
      }
      // input gradient: grad . W^T, with W^T staged contiguous
      const w = this.p.w;
      for (let i = 0; i < L.inDim; i++) for (let j = 0; j < L.outDim; j++) mem[this.wt + j * L.inDim + i] = w[L.w + i * L.outDim + j];
      mem.fill(0, spare, spare + n * L.inDim);
      this.gemm(n, L.outDim, L.inDim, grad, L.outDim, 1, this.wt, L.inDim, spare, L.inDim);
      if (l > 0) {
        // through the ReLU of the layer below: zero where its output was clipped
        const h = layers[l - 1].h;
        for (let j = 0; j < n * L.inDim; j++) if (mem[h + j] <= 0) mem[spare + j] = 0;
      }
      const t = grad;
      grad = spare;
      spare = t;
    }
    // grad now holds d loss / d x: scatter-add into the embedding rows
    const g = this.p.g;
    const { du, di, d } = this;
    const tick = ++this.tick;
    for (let r = 0; r < n; r++) {
      const row = order[start + r];
      const ub = this.userOff + data.users[row] * du;
      const ib = this.itemOff + data.items[row] * di;
      const o = grad + r * d;
      for (let j = 0; j < du; j++) g[ub + j] += mem[o + j];
      for (let j = 0; j < di; j++) g[ib + j] += mem[o + du + j];
      if (this.userSeen[data.users[row]] !== tick) {
        this.userSeen[data.users[row]] = tick;
        touched.push(ub, du);
      }
      if (this.itemSeen[data.items[row]] !== tick) {
        this.itemSeen[data.items[row]] = tick;
        touched.push(ib, di);
      }
    }
    touched.push(this.denseOff, this.denseSize);
    return loss / n;
  }

  /** Predictions for rows [0, users.length) in chunks of maxBatch. */
  predict(data: { users: Int32Array; items: Int32Array }, lo: number, hi: number, out: Float32Array): Float32Array {
    const last = this.layers[this.layers.length - 1];
    for (let s = 0; s < out.length; s += this.maxBatch) {
      const n = Math.min(this.maxBatch, out.length - s);
      this.forward(data, null, s, n);
      for (let r = 0; r < n; r++) out[s + r] = lo + (hi - lo) / (1 + Math.exp(-this.mem[last.h + r]));
    }
    return out;
  }
}
