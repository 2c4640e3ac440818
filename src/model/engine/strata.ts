/**
 * DotProduct(Bias) on several threads without locks and without lost updates: stratified SGD (Gemulla
 * et al., "Large-scale matrix factorization with distributed stochastic gradient descent", KDD 2011).
 * Users are split into N groups and items into N groups of about equal rating counts, so the ratings
 * fall into N×N blocks. In stratum s, thread t trains on block (t, (t + s) mod N): no two threads ever
 * touch the same user row or item row at the same time, so running the N batches of a round
 * concurrently computes exactly what running them one after another would — the same floats, for a
 * given N, on any machine. The epoch visits every block (N strata, each split into chunks so that the
 * strata alternate often), and a block's rows are reshuffled every epoch.
 *
 * The optimizer is AdamW with PyTorch's per-parameter math, applied sparsely (as PyTorch's SparseAdam
 * and TensorFlow's LazyAdam do): a step updates the moments and weights of the rows its batch touched
 * and nothing else, so a step costs what its batch touches, not the 11 M parameters of an ML-25M model.
 * Decoupled weight decay stays exact: each row remembers Σ log(1 - lr·wd) as of its last update and
 * catches up on the decay it sat out when it is next touched (and at the end of every epoch). What the
 * sparse form leaves out is the dense optimizer's drift of a row by its old momentum while the row is
 * absent from the batches.
 */
import type { Columns } from '../evaluate/metrics.js';
import { kindOf, modelKind, type ModelShape } from '../models/index.js';
import type { ModelWeights } from '../types.js';
import { fillNormal, fillUniform, type Rng } from './random.js';
import { BLOCK_BYTES, CommandBlock, SHUFFLE_SLOTS, sparseModule, type SparseLayout } from './sparseKernels.js';
import { CONTROL_BYTES, KernelThreads } from './threads.js';

export interface StrataOptions {
  threads: number;
  bs: number;
  yRange: [number, number];
  wd: number;
  beta2: number;
  eps: number;
  /** Run the threads' blocks one after another on the calling thread (the equivalence the tests check). */
  inline?: boolean;
}

/** How an epoch is cut: N×N blocks, each in `chunks` chunks, each chunk in `rounds` batches. */
export interface StrataPlan {
  threads: number;
  chunks: number;
  rounds: number;
  /** Rounds per epoch (= the loop's steps): chunks × threads strata of `rounds` rounds. */
  steps: number;
  /** Start of block (a, b) = blockStart[a * N + b] among the rating records; blockStart[N²] = n. */
  blockStart: Int32Array;
}

/** Users and items into N groups of about equal rating counts (largest first, into the lightest group). */
export function balancedGroups(counts: Int32Array, groups: number): Uint8Array {
  const out = new Uint8Array(counts.length);
  if (groups === 1) return out;
  const byCount = Int32Array.from({ length: counts.length }, (_, i) => i).sort((a, b) => counts[b] - counts[a]);
  const load = new Float64Array(groups);
  for (const i of byCount) {
    let g = 0;
    for (let h = 1; h < groups; h++) if (load[h] < load[g]) g = h;
    out[i] = g;
    load[g] += counts[i];
  }
  return out;
}

/** How the rows of `train` fall into blocks, and the epoch's cut (fillBlocks then writes the records). */
export function planStrata(train: Columns, nUsers: number, nItems: number, threads: number, bs: number): StrataPlan & { blockOf: (r: number) => number } {
  const n = train.ratings.length;
  const N = threads;
  const userCount = new Int32Array(nUsers);
  const itemCount = new Int32Array(nItems);
  for (let r = 0; r < n; r++) {
    userCount[train.users[r]]++;
    itemCount[train.items[r]]++;
  }
  const ug = balancedGroups(userCount, N);
  const ig = balancedGroups(itemCount, N);
  const blockOf = (r: number) => ug[train.users[r]] * N + ig[train.items[r]];
  const blockStart = new Int32Array(N * N + 1);
  for (let r = 0; r < n; r++) blockStart[blockOf(r) + 1]++;
  for (let b = 0; b < N * N; b++) blockStart[b + 1] += blockStart[b];
  // a stratum covers 1/N of the data; chunks make the strata alternate several times an epoch while
  // keeping at least a few batches in each
  const perThreadEpoch = n / N;
  const chunks = Math.max(1, Math.min(8, Math.floor(perThreadEpoch / (N * bs * 4))));
  const rounds = Math.max(1, Math.round(perThreadEpoch / (N * chunks * bs)));
  return { threads: N, chunks, rounds, steps: chunks * N * rounds, blockStart, blockOf };
}

/** Writes the training rows as (user, item, rating bits) records into `data`, block after block (row order within one). */
export function fillBlocks(plan: StrataPlan & { blockOf: (r: number) => number }, train: Columns, data: Int32Array): void {
  const fill = plan.blockStart.slice(0, plan.threads * plan.threads);
  const ratingBits = new Int32Array(train.ratings.buffer, train.ratings.byteOffset, train.ratings.length);
  for (let r = 0; r < train.ratings.length; r++) {
    const at = 3 * fill[plan.blockOf(r)]++;
    data[at] = train.users[r];
    data[at + 1] = train.items[r];
    data[at + 2] = ratingBits[r];
  }
}

/** Records [lo, hi) of a block for round `rho` of chunk `c`: the chunk's share, then the round's share of it. */
export function roundRange(plan: StrataPlan, block: number, c: number, rho: number): [number, number] {
  const start = plan.blockStart[block];
  const len = plan.blockStart[block + 1] - start;
  const c0 = Math.floor((c * len) / plan.chunks);
  const c1 = Math.floor(((c + 1) * len) / plan.chunks);
  const r0 = c0 + Math.floor((rho * (c1 - c0)) / plan.rounds);
  const r1 = c0 + Math.floor(((rho + 1) * (c1 - c0)) / plan.rounds);
  return [start + r0, start + r1];
}

/** The shared memory's regions, in bytes (16-byte aligned). */
function regions(nUsers: number, nItems: number, record: number, nTrain: number, nValid: number, threads: number, rounds: number) {
  const r: Record<string, number> = {};
  let at = 0;
  const take = (name: string, bytes: number) => {
    r[name] = at;
    at += Math.ceil(bytes / 16) * 16;
  };
  take('userTable', nUsers * record);
  take('itemTable', nItems * record);
  take('data', nTrain * 12);
  take('validUsers', nValid * 4);
  take('validItems', nValid * 4);
  take('validOut', nValid * 4);
  take('control', CONTROL_BYTES(threads));
  for (let t = 0; t < threads; t++) {
    take(`block${t}`, BLOCK_BYTES);
    take(`rounds${t}`, rounds * BLOCK_BYTES);
    take(`counts${t}`, 8);
  }
  return { at: r, bytes: at };
}

export interface StepHyperSparse {
  lr: number;
  beta1: number;
}

/** The hyperparameters of round s of this epoch (the loop's schedule, read ahead). */
export type Lookahead = (s: number) => StepHyperSparse;

/**
 * The stratified trainer of one dot / dotbias model: its rows, the training data and the validation
 * columns in one shared memory (see sparse.wat for a row's record), and `threads - 1` worker threads.
 */
export class StrataTrainer {
  readonly plan: StrataPlan;
  /** Trainable parameters (without the padding). */
  readonly nParams: number;
  private readonly memory: WebAssembly.Memory;
  private readonly threads: KernelThreads;
  private readonly dataAt: number;
  private readonly tables: { users: number; items: number };
  private readonly layout: { k: number; k4: number; p: number; record: number; bias: boolean };
  private readonly validOut: Float32Array;
  private readonly nValid: number;
  /** Per thread: its one-command block and its blocks for the rounds of a stratum. */
  private readonly simple: CommandBlock[] = [];
  private readonly rounds: CommandBlock[][] = [];
  /** This epoch's sum of squared errors and rows, over the strata finished so far. */
  private epochSse = 0;
  private epochRows = 0;
  /** Optimizer steps taken (one per thread per round), and Σ log(1 - lr·wd) over them. */
  private steps = 0;
  private logDecay = 0;
  /** True while some row still owes decay (between a step and the next settle). */
  private owing = false;

  constructor(
    private readonly shape: ModelShape,
    rng: Rng,
    train: Columns,
    valid: Columns | null,
    private readonly o: StrataOptions,
  ) {
    const kind = modelKind(shape.kind);
    if (!kind.threaded) throw new Error(`the threaded trainer fits the embedding models (dot, dotbias), not ${shape.kind}`);
    const mod = sparseModule();
    if (!mod) throw new Error('this Node has no WebAssembly threads or SIMD: train with --threads 1');
    const N = o.threads;
    const nTrain = train.ratings.length;
    this.nValid = valid?.ratings.length ?? 0;
    const k = shape.userDim;
    const k4 = Math.ceil(k / 4) * 4;
    // the embedding kinds differ only in their bias vectors
    const bias = kind.params(shape).some((d) => d.name === 'user_bias');
    const p = k4 + (bias ? 4 : 0);
    const record = 16 + 16 * p;
    this.layout = { k, k4, p, record, bias };
    this.nParams = (shape.nUsers + shape.nItems) * (k + (bias ? 1 : 0));
    const plan = planStrata(train, shape.nUsers, shape.nItems, N, o.bs);
    const reg = regions(shape.nUsers, shape.nItems, record, nTrain, this.nValid, N, plan.rounds);
    const pages = Math.ceil(reg.bytes / 65536);
    if (pages > 65536) throw new Error(`the threaded trainer needs ${(reg.bytes / 2 ** 30).toFixed(1)} GB of memory, above WebAssembly's 4 GB`);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    const buf = this.memory.buffer;
    const at = (name: string) => reg.at[name];
    this.tables = { users: at('userTable'), items: at('itemTable') };
    // the training rows as (user, item, rating) records, shuffled in place each epoch: a batch is read
    // front to back, not gathered through an index
    this.dataAt = at('data');
    fillBlocks(plan, train, new Int32Array(buf, this.dataAt, 3 * nTrain));
    if (valid) {
      new Int32Array(buf, at('validUsers'), this.nValid).set(valid.users);
      new Int32Array(buf, at('validItems'), this.nValid).set(valid.items);
    }
    this.plan = plan;
    this.validOut = new Float32Array(buf, at('validOut'), this.nValid);
    // the same initial weights as the one-thread trainer draws (same declarations, same order)
    for (const d of modelKind(shape.kind).params(shape)) {
      const arr = new Float32Array(d.shape.reduce((x, y) => x * y, 1));
      if ('normal' in d.init) fillNormal(arr, rng, d.init.normal);
      else if ('uniformFanIn' in d.init) fillUniform(arr, rng, 1 / Math.sqrt(d.init.uniformFanIn));
      this.scatter(d.name, arr);
    }

    for (let t = 0; t < N; t++) {
      const layout: SparseLayout = {
        data: at('data'),
        k4,
        p,
        record,
        userTable: this.tables.users,
        itemTable: this.tables.items,
        bias,
        counts: at(`counts${t}`),
        validUsers: at('validUsers'),
        validItems: at('validItems'),
        validOut: at('validOut'),
      };
      const block = (address: number) => {
        const b = new CommandBlock(buf, address);
        b.setLayout(layout);
        b.setRange(o.yRange[0], o.yRange[1] - o.yRange[0]);
        return b;
      };
      this.simple.push(block(at(`block${t}`)));
      this.rounds.push(Array.from({ length: plan.rounds }, (_, r) => block(at(`rounds${t}`) + r * BLOCK_BYTES)));
    }
    this.threads = new KernelThreads(this.memory, mod, at('control'), N, o.inline === true);
  }

  get threadCount(): number {
    return this.threads.count;
  }

  /** Where a parameter's values live in the records: its table, its float within a record's w, its width. */
  private place(name: string): { table: number; rows: number; first: number; width: number } {
    const { k, k4 } = this.layout;
    const s = this.shape;
    switch (name) {
      case 'user_factors':
        return { table: this.tables.users, rows: s.nUsers, first: 0, width: k };
      case 'item_factors':
        return { table: this.tables.items, rows: s.nItems, first: 0, width: k };
      case 'user_bias':
        return { table: this.tables.users, rows: s.nUsers, first: k4, width: 1 };
      case 'item_bias':
        return { table: this.tables.items, rows: s.nItems, first: k4, width: 1 };
    }
    throw new Error(`no parameter ${name}`);
  }

  /** Writes a parameter's values (row-major [rows, width]) into the records' weights. */
  private scatter(name: string, values: Float32Array): void {
    const { table, rows, first, width } = this.place(name);
    const f = new Float32Array(this.memory.buffer);
    const stride = this.layout.record / 4;
    for (let r = 0, src = 0; r < rows; r++) {
      const dst = table / 4 + r * stride + 4 + first;
      for (let j = 0; j < width; j++) f[dst + j] = values[src++];
    }
  }

  /** A parameter's values read out of the records (a copy). */
  private gather(name: string): Float32Array {
    const { table, rows, first, width } = this.place(name);
    const f = new Float32Array(this.memory.buffer);
    const stride = this.layout.record / 4;
    const out = new Float32Array(rows * width);
    for (let r = 0, o = 0; r < rows; r++) {
      const src = table / 4 + r * stride + 4 + first;
      for (let j = 0; j < width; j++) out[o++] = f[src + j];
    }
    return out;
  }

  /** The model's weights as plain arrays (settled: the decay every row owes applied first). */
  weights(): ModelWeights {
    this.settle();
    return modelKind(this.shape.kind).fromArrays(this.shape, this.o.yRange, (name) => this.gather(name)) as ModelWeights;
  }

  /** Puts weights back (restoring the last good ones); nothing is owed after. */
  setWeights(w: ModelWeights): void {
    for (const [name, values] of kindOf(w).arrays(w)) this.scatter(name, values);
    const d = new DataView(this.memory.buffer);
    for (const [table, rows] of [[this.tables.users, this.shape.nUsers], [this.tables.items, this.shape.nItems]]) {
      for (let r = 0; r < rows; r++) d.setFloat64(table + r * this.layout.record, this.logDecay, true);
    }
    this.owing = false;
  }

  /** Reshuffles every block (thread t shuffles the blocks of its user group), seeds drawn from rng. */
  beginEpoch(rng: Rng): void {
    const N = this.plan.threads;
    const { blockStart } = this.plan;
    for (let t = 0; t < N; t++) {
      const ranges: [number, number, number][] = [];
      for (let b = t * N; b < (t + 1) * N; b++) ranges.push([this.dataAt + 12 * blockStart[b], blockStart[b + 1] - blockStart[b], Math.floor(rng() * 4294967296)]);
      if (ranges.length > SHUFFLE_SLOTS) throw new Error(`at most ${SHUFFLE_SLOTS} blocks per thread`);
      this.simple[t].shuffle(ranges);
    }
    this.runAll();
    this.epochSse = 0;
    this.epochRows = 0;
  }

  private runAll(): void {
    this.threads.runAll(this.simple.map((b) => b.at));
  }

  /**
   * Round `s` of the epoch: every thread trains on one batch of its block. At a stratum's first round
   * every thread is handed all the stratum's rounds (their hyperparameters read ahead from the
   * schedule); the others run through them at their own pace while this thread runs one round per call,
   * and the stratum's last round waits for them. Each thread's batch is one AdamW step, numbered in
   * thread order within its round, as if the batches ran one after another — which, the threads' rows
   * being disjoint, is exactly what they compute. Returns this thread's batch MSE (the loop's running
   * loss; epochLoss() has every thread's).
   */
  step(s: number, ahead: Lookahead): number {
    const { plan } = this;
    const rho = s % plan.rounds;
    if (rho === 0) this.handOut(s, ahead);
    this.threads.runOwn(rho);
    const own = this.rounds[0][rho];
    if (rho === plan.rounds - 1) this.finishStratum();
    return own.rows ? own.result / own.rows : 0;
  }

  /** Writes every thread's round blocks for the stratum starting at round s and sets the threads going. */
  private handOut(s: number, ahead: Lookahead): void {
    const { plan, o } = this;
    const N = plan.threads;
    const stratum = Math.floor(s / plan.rounds);
    const c = Math.floor(stratum / N);
    const shift = stratum % N;
    for (let rho = 0; rho < plan.rounds; rho++) {
      const hr = ahead(s + rho);
      const logD = Math.log(1 - hr.lr * o.wd);
      for (let t = 0; t < N; t++) {
        const [lo, hi] = roundRange(plan, t * N + ((t + shift) % N), c, rho);
        const step = this.steps + t + 1;
        this.rounds[t][rho].step(this.dataAt + 12 * lo, hi - lo, step, {
          b1: hr.beta1,
          b2: o.beta2,
          a: hr.lr / (1 - Math.pow(hr.beta1, step)),
          c: 1 / Math.sqrt(1 - Math.pow(o.beta2, step)),
          eps: o.eps,
          logDecay: this.logDecay + (t + 1) * logD,
        });
      }
      this.steps += N;
      this.logDecay += N * logD;
    }
    this.owing = true;
    this.threads.start(
      this.rounds.map((r) => r[0].at),
      this.rounds.map((r) => r.length),
    );
  }

  private finishStratum(): void {
    this.threads.wait();
    for (const thread of this.rounds) {
      for (const b of thread) {
        this.epochSse += b.result;
        this.epochRows += b.rows;
      }
    }
  }

  /** The epoch's mean squared error over every thread's batches (after its last round). */
  epochLoss(): number {
    return this.epochRows ? this.epochSse / this.epochRows : NaN;
  }

  /** Stops a stratum in progress (a cancelled or diverged run); its remaining rounds are dropped. */
  stopRounds(): void {
    this.threads.stop();
  }

  /** Applies the decay every row still owes, so the weights are the model's (before predicting or keeping). */
  settle(): void {
    if (!this.owing) return;
    const N = this.threads.count;
    const part = (x: number, n: number) => Math.floor((x * n) / N);
    for (let t = 0; t < N; t++) {
      const { nUsers, nItems } = this.shape;
      this.simple[t].decay(part(t, nUsers), part(t + 1, nUsers), part(t, nItems), part(t + 1, nItems), this.logDecay);
    }
    this.runAll();
    this.owing = false;
  }

  /** Predictions for the validation columns given at construction (settled weights), a copy. */
  predictValid(): Float32Array {
    this.settle();
    const N = this.threads.count;
    for (let t = 0; t < N; t++) this.simple[t].predict(Math.floor((t * this.nValid) / N), Math.floor(((t + 1) * this.nValid) / N));
    this.runAll();
    return this.validOut.slice();
  }

  /** Ends the worker threads (resolves once they have exited); the trainer cannot step afterwards. */
  close(): Promise<void> {
    return this.threads.close();
  }
}
