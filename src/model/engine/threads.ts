/**
 * Threads that run the sparse kernels on one shared WebAssembly memory. The calling thread is thread 0
 * and works too: `run()` wakes the others (each reads its command block), does thread 0's command
 * itself, then waits until every thread is done. Synchronous by design — a training step is a few
 * milliseconds and the training loop around it yields between steps. The workers are a few lines of
 * plain JavaScript (no imports but worker_threads), so they start in ~50 ms under any loader.
 */
import { Worker } from 'node:worker_threads';
import { CommandBlock, type SparseKernelExports } from './sparseKernels.js';

/** Control words (Int32, in the shared memory): [0] generation, [1] threads done, [2] a thread's failure. */
const GEN = 0;
const DONE = 1;
const FAILED = 2;

// Each worker waits for the generation to move, runs its block, counts itself done. Errors (a trap)
// are reported through the control words: the caller is blocked and cannot hear a message.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { memory, module, control, block } = workerData;
const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(memory.buffer, control, 4);
let gen = 0;
for (;;) {
  Atomics.wait(ctl, ${GEN}, gen);
  gen = Atomics.load(ctl, ${GEN});
  if (gen < 0) break;
  try {
    kernels.run(block);
  } catch (err) {
    Atomics.store(ctl, ${FAILED}, 1);
  }
  Atomics.add(ctl, ${DONE}, 1);
  Atomics.notify(ctl, ${DONE});
}
`;

export class KernelThreads {
  readonly blocks: CommandBlock[];
  private readonly ctl: Int32Array;
  private readonly workers: Worker[] = [];
  private readonly kernels: SparseKernelExports;
  private closed = false;

  /**
   * `control` is 16 bytes and `blocks[t]` thread t's command block, all inside `memory`. Thread 0 is the
   * caller; threads - 1 workers are started here — unless `inline`, when the caller runs every block
   * itself, one after another (what the threads must be equivalent to; the tests compare the two).
   */
  constructor(
    memory: WebAssembly.Memory,
    module: WebAssembly.Module,
    control: number,
    blocks: CommandBlock[],
    private readonly inline = false,
  ) {
    this.blocks = blocks;
    this.ctl = new Int32Array(memory.buffer, control, 4);
    this.ctl.fill(0);
    this.kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SparseKernelExports;
    for (let t = 1; t < (inline ? 0 : blocks.length); t++) {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { memory, module, control, block: blocks[t].at } });
      // an idle worker must not keep the process alive (close() ends them anyway)
      w.unref();
      this.workers.push(w);
    }
  }

  get count(): number {
    return this.blocks.length;
  }

  /** Runs every thread's command block once and returns when all are done. */
  run(): void {
    if (this.closed) throw new Error('the training threads were closed');
    const ctl = this.ctl;
    const others = this.workers.length;
    if (others > 0) {
      Atomics.store(ctl, DONE, 0);
      Atomics.add(ctl, GEN, 1);
      Atomics.notify(ctl, GEN);
    }
    this.kernels.run(this.blocks[0].at);
    if (this.inline) for (let t = 1; t < this.blocks.length; t++) this.kernels.run(this.blocks[t].at);
    for (let done = Atomics.load(ctl, DONE); done < others; done = Atomics.load(ctl, DONE)) {
      // a worker that has not answered in a minute is not coming back (killed, out of memory)
      if (Atomics.wait(ctl, DONE, done, 60_000) === 'timed-out') throw new Error('a training thread stopped answering');
    }
    if (Atomics.load(ctl, FAILED)) throw new Error('a training thread failed (a kernel trapped)');
  }

  /** Ends the workers; resolves when they have exited. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    Atomics.store(this.ctl, GEN, -1);
    Atomics.notify(this.ctl, GEN);
    return Promise.all(this.workers.map((w) => w.terminate())).then(() => undefined);
  }

  /** Workers started and not yet ended. */
  get workerCount(): number {
    return this.closed ? 0 : this.workers.length;
  }
}
