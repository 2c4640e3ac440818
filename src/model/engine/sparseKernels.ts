/**
 * The threaded trainer's kernels (wasm/sparse.wat) and the command block each thread reads its work
 * from. A block is 512 bytes of the shared memory: the command and its arguments (bytes 0..63), where
 * everything lives (64..111, written once), and the ranges of a shuffle (160..).
 */
import { SPARSE_WASM_BASE64 } from './wasm/sparse.wasm.js';

export interface SparseKernelExports {
  run(block: number): void;
  exp(x: number): number;
  shuffle(ptr: number, n: number, seed: number): void;
}

export const COMMAND = { step: 1, shuffle: 2, decay: 3, predict: 4 } as const;

export const BLOCK_BYTES = 512;
/** Ranges one shuffle command can carry. */
export const SHUFFLE_SLOTS = 28;

/** Where the kernels find things, in bytes (the layout half of every thread's block; see sparse.wat for a record). */
export interface SparseLayout {
  /** Training rows as (user i32, item i32, rating f32) records. */
  data: number;
  /** Factors rounded up to a multiple of 4, and floats per part of a row record (K4, + 4 with biases). */
  k4: number;
  p: number;
  /** Bytes of a row record (16 + 16 p). */
  record: number;
  userTable: number;
  itemTable: number;
  bias: boolean;
  /** Where a step stores the count of movies it updated (and its prefetch sum). */
  counts: number;
  validUsers: number;
  validItems: number;
  validOut: number;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where this runtime lacks wasm SIMD or threads (shared memories). */
export function sparseModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(SPARSE_WASM_BASE64, 'base64'));
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** One thread's command block: typed views over its 512 bytes. */
export class CommandBlock {
  private readonly i32: Int32Array;
  private readonly f32: Float32Array;
  private readonly f64: Float64Array;

  constructor(
    buffer: ArrayBufferLike,
    readonly at: number,
  ) {
    this.i32 = new Int32Array(buffer, at, BLOCK_BYTES / 4);
    this.f32 = new Float32Array(buffer, at, BLOCK_BYTES / 4);
    this.f64 = new Float64Array(buffer, at, BLOCK_BYTES / 8);
  }

  setLayout(l: SparseLayout): void {
    const v = this.i32;
    v[16] = l.data;
    v[17] = l.k4;
    v[18] = l.p;
    v[19] = l.record;
    v[20] = l.userTable;
    v[21] = l.itemTable;
    v[22] = l.bias ? 1 : 0;
    v[24] = l.counts;
    v[25] = l.validUsers;
    v[26] = l.validItems;
    v[27] = l.validOut;
  }

  /** The rating scale every command that predicts needs: lo and hi - lo. */
  setRange(lo: number, span: number): void {
    this.f32[10] = lo;
    this.f32[11] = span;
  }

  /**
   * A training step on the n rating records at byte offset `data`: gradient scale 2/n, AdamW with
   * a = lr / (1 - b1^t), c = 1 / sqrt(1 - b2^t) for its step t, and logDecay the running
   * Σ log(1 - lr·wd) including this step.
   */
  step(data: number, n: number, t: number, h: { b1: number; b2: number; a: number; c: number; eps: number; logDecay: number }): void {
    const { i32, f32 } = this;
    i32[0] = COMMAND.step;
    i32[1] = n;
    i32[2] = data;
    i32[3] = t;
    f32[4] = n > 0 ? 2 / n : 0;
    f32[5] = h.b1;
    f32[6] = h.b2;
    f32[7] = h.a;
    f32[8] = h.c;
    f32[9] = h.eps;
    this.f64[6] = h.logDecay;
  }

  /** Shuffles each (byte offset, records, seed) range of rating records with mulberry32(seed). */
  shuffle(ranges: [number, number, number][]): void {
    if (ranges.length > SHUFFLE_SLOTS) throw new Error(`a shuffle command carries at most ${SHUFFLE_SLOTS} ranges`);
    const v = this.i32;
    v[0] = COMMAND.shuffle;
    v[40] = ranges.length;
    ranges.forEach(([ptr, n, seed], k) => {
      v[41 + 3 * k] = ptr;
      v[42 + 3 * k] = n;
      v[43 + 3 * k] = seed | 0;
    });
  }

  /** The owed decay of user rows [u0, u1) and item rows [i0, i1), up to logDecay. */
  decay(u0: number, u1: number, i0: number, i1: number, logDecay: number): void {
    const v = this.i32;
    v[0] = COMMAND.decay;
    v[1] = u0;
    v[2] = u1;
    v[3] = i0;
    v[4] = i1;
    this.f64[6] = logDecay;
  }

  /** Predictions of validation rows [first, end). */
  predict(first: number, end: number): void {
    const v = this.i32;
    v[0] = COMMAND.predict;
    v[1] = first;
    v[2] = end;
  }

  /** What the last step left: its sum of squared errors. */
  get result(): number {
    return this.f64[7];
  }

  /** The rows of the step this block holds. */
  get rows(): number {
    return this.i32[1];
  }
}
