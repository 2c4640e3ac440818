/**
 * Picks the tfjs backend once per process: tfjs-node when it is installed (an optional dependency that
 * cannot install everywhere), else wasm (SIMD), else cpu. `--backend` / FACTORLENS_BACKEND override.
 */
import * as tf from './tf.js';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ModelError } from '../errors.js';
import type { BackendChoice } from '../types.js';

let initialised: Promise<string> | null = null;
let initialisedFor: BackendChoice | null = null;

async function tryNode(): Promise<boolean> {
  try {
    const name = '@tensorflow/tfjs-node';
    await import(name);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    const dir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
    wasm.setWasmPaths(dir);
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

async function choose(choice: BackendChoice): Promise<string> {
  const order: BackendChoice[] = choice === 'auto' ? ['node', 'wasm', 'cpu'] : [choice];
  for (const b of order) {
    if (b === 'node' && (await tryNode())) break;
    if (b === 'wasm' && (await tryWasm())) break;
    if (b === 'cpu' && (await tf.setBackend('cpu'))) break;
    if (choice !== 'auto') {
      throw new ModelError(
        b === 'node'
          ? 'backend "node" needs @tensorflow/tfjs-node, which is not installed here; use --backend wasm or cpu'
          : `backend "${b}" could not be started; use --backend auto`,
      );
    }
  }
  await tf.ready();
  return tf.getBackend();
}

/** Initialises (once) and returns the backend's name: "tensorflow", "wasm" or "cpu". */
export function initBackend(choice: BackendChoice = (process.env.FACTORLENS_BACKEND as BackendChoice) || 'auto'): Promise<string> {
  if (initialised && (choice === 'auto' || choice === initialisedFor)) return initialised;
  initialisedFor = choice;
  initialised = choose(choice);
  return initialised;
}
