/**
 * The trainer's parameters as TensorFlow.js variables. On the wasm backend a tensor's data sits in the
 * backend's WebAssembly heap at a fixed offset, so the fused kernels (dotKernel, nnKernel, kernels.wat)
 * are instantiated on that same memory and read and update the variables in place: no copy in, no copy
 * out, no tensor made per batch. The weights, Adam's moments, the gradient and the scratch are each one
 * tensor; the weights and moments are tf.Variables.
 *
 * Backends whose tensors live elsewhere (cpu: JS arrays; tfjs-node: C++) get null here, and the trainer
 * then runs the same kernels on a memory of its own and hands tfjs the weights at the end.
 */
import * as tf from '../runtime/tf.js';
import { wasmHeap } from '../runtime/wasmHeap.js';
import { ownStorage, type ParamStorage, type StorageFactory } from './params.js';

/** The storage plus its tensors, each with the float index where the parameters' array starts in it. */
export interface TfjsParamStorage extends ParamStorage {
  readonly tensors: Record<'w' | 'm' | 'v' | 'g' | 'scratch', { tensor: tf.Tensor; first: number }>;
}

let serial = 0;

/** A storage factory over the active tfjs backend's heap, or null when that backend is not wasm. */
export function tfjsStorage(): StorageFactory | null {
  const heap = wasmHeap();
  if (!heap) return null;
  const { memory } = heap;
  return (padded, scratchFloats): TfjsParamStorage => {
    const id = ++serial;
    const made: tf.Tensor[] = [];
    const tensors = {} as TfjsParamStorage['tensors'];
    // 4 spare floats so each array can start on a 16-byte boundary (the SIMD kernels' preference)
    const take = (key: keyof TfjsParamStorage['tensors'], what: string, n: number, variable: boolean): number => {
      const zeros = tf.zeros([n + 4]);
      const t = variable ? tf.variable(zeros, false, `factorlens/${id}/${what}`) : zeros;
      if (variable) zeros.dispose();
      made.push(t);
      const at = heap.offsetOf(t);
      const aligned = (at + 15) & ~15;
      tensors[key] = { tensor: t, first: (aligned - at) / 4 };
      return aligned;
    };
    const offsets = {
      w: take('w', 'weights', padded, true),
      m: take('m', 'adam_m', padded, true),
      v: take('v', 'adam_v', padded, true),
      g: take('g', 'grad', padded, false),
      scratch: take('scratch', 'scratch', scratchFloats, false),
    };
    return {
      memory,
      offsets,
      tensors,
      owner: 'tfjs-wasm',
      dispose: () => {
        for (const t of made.splice(0)) t.dispose();
      },
    };
  };
}

/** Where a trainer keeps its parameters: tfjs variables on the wasm backend, else a memory of their own. */
export function trainingStorage(): StorageFactory {
  return tfjsStorage() ?? ownStorage;
}
