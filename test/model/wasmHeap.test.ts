/**
 * tfjsStorage trains on tf.Variables in the wasm backend's heap by reading two private fields of
 * @tensorflow/tfjs-backend-wasm (src/model/runtime/wasmHeap.ts). This fails loudly when the installed
 * version is not the one those fields were checked on, so an upgrade is a decision, not an accident.
 */
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/runtime/backend.js';
import * as tf from '../../src/model/runtime/tf.js';
import { CHECKED_WASM_BACKEND, wasmBackendVersion, wasmHeap } from '../../src/model/runtime/wasmHeap.js';

describe('the wasm backend internals', () => {
  it(`are read from the version they were checked on (${CHECKED_WASM_BACKEND})`, () => {
    const installed = wasmBackendVersion();
    if (installed !== CHECKED_WASM_BACKEND) {
      throw new Error(
        `@tensorflow/tfjs-backend-wasm is ${installed}, but src/model/runtime/wasmHeap.ts reads private fields checked on ${CHECKED_WASM_BACKEND}: ` +
          're-check wasm.asm.memory and dataIdMap.get(dataId).memoryOffset, run test/model/tfjsStorage.test.ts, then update CHECKED_WASM_BACKEND',
      );
    }
  });

  it('locate a tensor exactly: what the heap holds at its offset is what tfjs reads', async () => {
    expect(await initBackend('wasm')).toBe('wasm');
    const heap = wasmHeap();
    expect(heap).not.toBeNull();
    const t = tf.tensor1d([0.5, -1, 2.25]);
    expect(Array.from(new Float32Array(heap!.memory.buffer, heap!.offsetOf(t), 3))).toEqual([0.5, -1, 2.25]);
    t.dispose();
  });
});
