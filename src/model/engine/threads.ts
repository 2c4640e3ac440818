/**
 * Threads that run the sparse kernels on one shared WebAssembly memory. The calling thread is thread 0
 * and works too. A job gives each thread a run of consecutive command blocks (its rounds of a stratum,
 * or one shuffle / decay / predict command); `start` sets the other threads going, the caller runs its
 * own blocks when it likes (`runOwn`, one at a time, so the training loop keeps its per-step events
 * and cancels), and `wait` returns once every thread has finished its run. The threads never wait for
 * each other inside a run — a preempted thread delays only itself until the job's end.
 *
 * The workers are a few lines of plain JavaScript (no imports but worker_threads), so they start in
 * ~50 ms under any loader; errors reach the caller through the control words, since the caller may be
 * blocked and cannot hear a message.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { BLOCK_BYTES, type SparseKernelExports } from './sparseKernels.js';

/** Control words (Int32): generation, threads done, a thread's failure, stop asked; then per thread (first block, count). */
const GEN = 0;
const DONE = 1;
const FAILED = 2;
const STOP = 3;
const HEADER = 4;
export const CONTROL_BYTES = (threads: number) => 4 * (HEADER + 2 * threads);

/** How much lower than the UI thread's a background thread's priority is (Linux nice 0 → 10). */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the priority of the thread it runs in, alone (Linux schedules threads as tasks: setpriority on
 * the thread's own id leaves the rest of the process as it was); elsewhere it does nothing. The kernel
 * workers are plain JavaScript, so runInBackground below says the same in TypeScript.
 */
const LOWER_THIS_THREAD = `
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) require('node:os').setPriority(tid, ${BACKGROUND_NICE});
} catch {}
`;

let background = false;

/**
 * Marks the threads this one starts from now on, and this thread itself, as background work: the app's
 * workers call it, so that on two cores the training threads yield the CPU to the UI thread whenever it
 * has a key or a frame to handle (the CLI trains at normal priority).
 */
export function runInBackground(): void {
  background = true;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (tid > 0) setPriority(tid, BACKGROUND_NICE);
  } catch {
    // not Linux, or not allowed: the threads keep their priority
  }
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { memory, module, control, thread } = workerData;
if (workerData.background) {${LOWER_THIS_THREAD}}
const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(memory.buffer, control);
let gen = 0;
for (;;) {
  Atomics.wait(ctl, ${GEN}, gen);
  gen = Atomics.load(ctl, ${GEN});
  if (gen < 0) break;
  const first = ctl[${HEADER} + 2 * thread];
  const count = ctl[${HEADER} + 2 * thread + 1];
  try {
    for (let i = 0; i < count && Atomics.load(ctl, ${STOP}) === 0; i++) kernels.run(first + i * ${BLOCK_BYTES});
  } catch (err) {
    Atomics.store(ctl, ${FAILED}, 1);
  }
  Atomics.add(ctl, ${DONE}, 1);
  Atomics.notify(ctl, ${DONE});
}
`;

export class KernelThreads {
  private readonly ctl: Int32Array;
  private readonly workers: Worker[] = [];
  private readonly kernels: SparseKernelExports;
  private closed = false;
  /** Whether a job is out (started, not yet waited for), and thread 0's part of it. */
  private out = false;
  private own: { first: number; count: number } = { first: 0, count: 0 };

  /**
   * `control` (CONTROL_BYTES(threads)) lies inside `memory`. Thread 0 is the caller; threads - 1 workers
   * are started here — unless `inline`, when the caller runs every thread's blocks itself, one thread
   * after another (what the threads must be equivalent to; the tests compare the two).
   */
  constructor(
    memory: WebAssembly.Memory,
    module: WebAssembly.Module,
    control: number,
    readonly count: number,
    private readonly inline = false,
  ) {
    this.ctl = new Int32Array(memory.buffer, control, HEADER + 2 * count);
    this.ctl.fill(0);
    this.kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SparseKernelExports;
    for (let t = 1; t < (inline ? 0 : count); t++) {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { memory, module, control, thread: t, background } });
      // an idle worker must not keep the process alive (close() ends them anyway)
      w.unref();
      this.workers.push(w);
    }
  }

  /**
   * Hands out a job: thread t runs `counts[t]` command blocks from `firsts[t]` (byte offsets, blocks
   * BLOCK_BYTES apart). The other threads start now; thread 0's blocks wait for runOwn / wait.
   */
  start(firsts: number[], counts: number[]): void {
    if (this.closed) throw new Error('the training threads were closed');
    if (this.out) throw new Error('a job is already out');
    const ctl = this.ctl;
    for (let t = 0; t < this.count; t++) {
      ctl[HEADER + 2 * t] = firsts[t];
      ctl[HEADER + 2 * t + 1] = counts[t];
    }
    this.own = { first: firsts[0], count: counts[0] };
    this.out = true;
    Atomics.store(ctl, STOP, 0);
    if (this.workers.length > 0) {
      Atomics.store(ctl, DONE, 0);
      Atomics.add(ctl, GEN, 1);
      Atomics.notify(ctl, GEN);
    }
  }

  /** Runs thread 0's block `i` of the job out. */
  runOwn(i: number): void {
    if (!this.out || i >= this.own.count) throw new Error(`thread 0 has no block ${i} in this job`);
    this.kernels.run(this.own.first + i * BLOCK_BYTES);
  }

  /** Waits until every thread has finished its part of the job (thread 0's blocks must have been run). */
  wait(): void {
    if (!this.out) return;
    this.out = false;
    const ctl = this.ctl;
    if (this.inline) {
      for (let t = 1; t < this.count; t++) {
        for (let i = 0; i < ctl[HEADER + 2 * t + 1]; i++) this.kernels.run(ctl[HEADER + 2 * t] + i * BLOCK_BYTES);
      }
    }
    const others = this.workers.length;
    for (let done = Atomics.load(ctl, DONE); done < others; done = Atomics.load(ctl, DONE)) {
      // a worker that has not answered in a minute is not coming back (killed, out of memory)
      if (Atomics.wait(ctl, DONE, done, 60_000) === 'timed-out') throw new Error('a training thread stopped answering');
    }
    if (Atomics.load(ctl, FAILED)) throw new Error('a training thread failed (a kernel trapped)');
  }

  /** Asks the other threads to stop after their current block, and waits for them (a cancelled run). */
  stop(): void {
    if (!this.out) return;
    Atomics.store(this.ctl, STOP, 1);
    const inline = this.inline;
    if (inline) this.ctl.fill(0, HEADER); // inline threads have not started: nothing to finish
    this.wait();
  }

  /** One block per thread, all run now (shuffle, decay, predict). */
  runAll(blocks: number[]): void {
    this.start(blocks, blocks.map(() => 1));
    this.runOwn(0);
    this.wait();
  }

  /** Ends the workers; resolves when they have exited. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.stop();
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
