/**
 * The trainer's parameters are tfjs variables: on the wasm backend the fused kernels update the
 * variables' memory in place. Checked against the same steps on a memory of the engine's own, across a
 * growth of tfjs's heap (which detaches every old view of it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../src/model/runtime/tf.js';
import { initBackend } from '../../src/model/runtime/backend.js';
import { initParams } from '../../src/model/engine/layout.js';
import type { ModelShape } from '../../src/model/models/index.js';
import { NnKernel, nnScratchFloats } from '../../src/model/engine/nnKernel.js';
import { AdamW, TouchedRanges } from '../../src/model/engine/optimizer.js';
import { ownStorage, type FlatParams, type StorageFactory } from '../../src/model/engine/params.js';
import { tfjsStorage, type TfjsParamStorage } from '../../src/model/engine/tfjsStorage.js';
import { mulberry32 } from '../../src/model/engine/random.js';
import { trainModel } from '../../src/model/train/train.js';
import { loadDataset, makeSplit } from '../../src/data/index.js';
import { testDataDir } from '../helpers/data.js';

const shape: ModelShape = { kind: 'nn', nUsers: 40, nItems: 30, userDim: 6, itemDim: 5, hidden: [8], sizes: {} };
const rng = mulberry32(11);
const data = {
  users: Int32Array.from({ length: 400 }, () => Math.floor(rng() * 40)),
  items: Int32Array.from({ length: 400 }, () => Math.floor(rng() * 30)),
  ratings: Float32Array.from({ length: 400 }, () => 1 + Math.floor(rng() * 5)),
};
const order = Int32Array.from({ length: 400 }, (_, i) => i);

/** 20 batches of 20 with AdamW; `between` runs after batch 10. */
function run(storage: StorageFactory, between: () => void = () => {}): FlatParams {
  const p = initParams(shape, mulberry32(5), nnScratchFloats(6, 5, [8], 20), storage);
  const k = new NnKernel(p, 20);
  const opt = new AdamW(p);
  const touched = new TouchedRanges();
  for (let b = 0; b < 20; b++) {
    k.batch(data, order, b * 20, (b + 1) * 20, 0, 5.5, touched);
    opt.step({ lr: 1e-2, beta1: 0.9, beta2: 0.99, eps: 1e-5, wd: 0.1 }, touched);
    touched.clear();
    if (b === 10) between();
  }
  return p;
}

describe('parameters as tfjs variables (wasm backend)', () => {
  beforeAll(async () => {
    expect(await initBackend('wasm')).toBe('wasm');
  });
  afterAll(async () => {
    await initBackend('auto');
  });

  it('the kernels update the variables in place, exactly as on their own memory, across a heap growth', () => {
    const factory = tfjsStorage();
    expect(factory).not.toBeNull();
    const before = tf.memory().numTensors;
    let big: tf.Tensor | null = null;
    const bufferBefore = (tf.backend() as unknown as { wasm: { asm: { memory: WebAssembly.Memory } } }).wasm.asm.memory.buffer;
    const inTfjs = run(factory!, () => {
      big = tf.zeros([48 * 1024 * 1024]); // 192 MB more than the heap had: it grows, old views detach
    });
    expect(bufferBefore.byteLength).toBe(0); // detached: the growth really happened
    const reference = run(ownStorage);
    expect(inTfjs.storage.owner).toBe('tfjs-wasm');
    expect(Array.from(inTfjs.w.subarray(0, inTfjs.size))).toEqual(Array.from(reference.w.subarray(0, reference.size)));

    // what tfjs itself reads from the variable is what the kernels wrote
    const { tensors } = inTfjs.storage as TfjsParamStorage;
    expect(tensors.w.tensor).toBeInstanceOf(tf.Variable);
    expect(tensors.m.tensor).toBeInstanceOf(tf.Variable);
    const viaTfjs = tensors.w.tensor.dataSync().subarray(tensors.w.first, tensors.w.first + inTfjs.size);
    expect(Array.from(viaTfjs)).toEqual(Array.from(inTfjs.w.subarray(0, inTfjs.size)));
    const userFactors = inTfjs.views.get('user_factors')!;
    const sliced = tf.tidy(() => tf.slice(tensors.w.tensor, tensors.w.first + userFactors.offset, userFactors.size).reshape(userFactors.shape));
    expect(Array.from(sliced.dataSync())).toEqual(Array.from(inTfjs.weight('user_factors')));
    sliced.dispose();

    big!.dispose();
    inTfjs.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trainModel reports where the weights live, and leaves no tensor behind', async () => {
    const ds = await loadDataset(testDataDir());
    const split = makeSplit(ds, 'u1');
    const before = tf.memory().numTensors;
    const where: string[] = [];
    const res = await trainModel(ds, split, { model: 'dotbias', epochs: 2, bs: 1024, backend: 'wasm' }, {
      onEvent: (e) => {
        if (e.type === 'start') where.push(e.weightsIn);
      },
    });
    expect(where).toEqual(['tfjs-wasm']);
    expect(res.epochs).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
  });
});
