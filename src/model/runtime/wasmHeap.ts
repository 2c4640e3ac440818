/**
 * The one place that reads private fields of @tensorflow/tfjs-backend-wasm: the backend's WebAssembly
 * memory (`wasm.asm.memory`) and where a tensor's data sits in it (`dataIdMap.get(dataId).memoryOffset`).
 * They are not public API, so a tfjs upgrade may move them: `wasmHeap()` checks itself on a probe
 * tensor and returns null when the layout is not what it expects (training then runs on a memory of its
 * own, just as on the cpu backend), and test/model/wasmHeap.test.ts fails loudly on another version.
 */
import { createRequire } from 'node:module';
import * as tf from './tf.js';

/** The tfjs-backend-wasm version these internals were read from and checked against. */
export const CHECKED_WASM_BACKEND = '4.22.0';

interface WasmBackendInternals {
  wasm?: { asm?: { memory?: unknown } };
  dataIdMap?: { get(dataId: object): { memoryOffset?: unknown } | undefined };
}

export interface WasmHeap {
  memory: WebAssembly.Memory;
  /** Byte offset of a tensor's data in the memory. */
  offsetOf(t: tf.Tensor): number;
}

/** The installed tfjs-backend-wasm's version. */
export function wasmBackendVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('@tensorflow/tfjs-backend-wasm/package.json') as { version: string }).version;
}

let checked: WasmHeap | null | undefined;

/** The active wasm backend's heap, or null when the backend is not wasm or its internals are not as expected. */
export function wasmHeap(): WasmHeap | null {
  if (tf.getBackend() !== 'wasm') return null;
  if (checked !== undefined) return checked;
  const backend = tf.backend() as unknown as WasmBackendInternals;
  const memory = backend.wasm?.asm?.memory;
  const map = backend.dataIdMap;
  if (!(memory instanceof WebAssembly.Memory) || !map || typeof map.get !== 'function') return (checked = null);
  const heap: WasmHeap = {
    memory,
    offsetOf(t) {
      const at = map.get(t.dataId)?.memoryOffset;
      if (typeof at !== 'number') throw new Error('tfjs wasm backend: a tensor without memory');
      return at;
    },
  };
  return (checked = probe(heap) ? heap : null);
}

/** Writes through the heap where a probe tensor is said to live and reads it back through tfjs. */
function probe(heap: WasmHeap): boolean {
  const zeros = tf.zeros([8]);
  const t = tf.variable(zeros);
  zeros.dispose();
  try {
    const at = heap.offsetOf(t);
    new Float32Array(heap.memory.buffer, at, 8).set([1, 2, 3, 4, 5, 6, 7, 8]);
    const back = t.dataSync();
    return back.every((x, i) => x === i + 1);
  } catch {
    return false;
  } finally {
    t.dispose();
  }
}
