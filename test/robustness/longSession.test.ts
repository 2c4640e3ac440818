/**
 * Long sessions: twenty models one after another, in one process and through the app's
 * Session (a worker per run). tfjs's tensor count must come back to the same value after each run,
 * worker threads must be gone, and RSS must stay flat. The RSS series is printed for the record.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as tf from '../../src/model/runtime/tf.js';
import { loadDataset, makeSplit } from '../../src/data/index.js';
import type { Dataset, Split } from '../../src/data/types.js';
import { initBackend } from '../../src/model/runtime/backend.js';
import { Session } from '../../src/model/runtime/session.js';
import { trainModel } from '../../src/model/train/train.js';
import type { ModelKind, TrainEvent } from '../../src/model/types.js';
import { testDataDir } from '../helpers/data.js';

const RUNS = 20;
const KINDS: ModelKind[] = ['dot', 'dotbias', 'nn'];
/** RSS after the last run may exceed RSS after run 5 by this much (allocator noise, JIT code). */
const SLACK_MB = 60;

// a full collection before each reading takes the garbage of the previous run out of the numbers
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const rssMb = () => {
  gc();
  return Math.round(process.memoryUsage().rss / 2 ** 20);
};

/** Resource types (Worker ports, timers…) and how many of each are alive now. */
function resources(): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) m.set(r, (m.get(r) ?? 0) + 1);
  return m;
}
const excess = (now: Map<string, number>, base: Map<string, number>) =>
  [...now].filter(([k, n]) => n > (base.get(k) ?? 0)).map(([k, n]) => `${k}×${n - (base.get(k) ?? 0)}`);

/** Resolves when `cond` holds (checked every 10 ms), rejects after `ms`. */
async function until(cond: () => boolean, ms: number, what: () => string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let ds: Dataset;
let u1: Split;
beforeAll(async () => {
  ds = await loadDataset(testDataDir());
  u1 = makeSplit(ds, 'u1');
  await initBackend('auto');
});

describe('twenty models in one process', () => {
  it('trainModel ×20 (dot/dotbias/nn, 1 epoch, bs 2048): tensor count back to the same value, RSS flat', async () => {
    const before = tf.memory().numTensors;
    const tensors: number[] = [];
    const rss: number[] = [];
    for (let k = 0; k < RUNS; k++) {
      const r = await trainModel(ds, u1, { model: KINDS[k % 3], epochs: 1, bs: 2048, lr: 0.01, seed: k });
      expect(r.reason, r.message).toBe('completed');
      tensors.push(tf.memory().numTensors);
      rss.push(rssMb());
    }
    console.log(`in-process: tensors before ${before}, after each run ${tensors.join(' ')}`);
    console.log(`in-process: RSS MB after each run ${rss.join(' ')}`);
    expect(tensors).toEqual(Array(RUNS).fill(before));
    expect(rss[RUNS - 1]).toBeLessThanOrEqual(rss[4] + SLACK_MB);
  }, 180_000);
});

describe('twenty models through the app Session (a worker per run)', () => {
  it('startTraining ×20, each to "done": workers terminated, main-thread RSS flat, recommend works after', async () => {
    const session = new Session({ dataDir: testDataDir() });
    const base = resources();
    const rss: number[] = [];
    const seconds: number[] = [];
    try {
      for (let k = 0; k < RUNS; k++) {
        const t0 = performance.now();
        const done = await new Promise<Extract<TrainEvent, { type: 'done' }>>((resolve, reject) => {
          session.startTraining({ model: KINDS[k % 3], epochs: 1, bs: 4096, lr: 0.01, split: 'u1', seed: k }, (e) => {
            if (e.type === 'done') resolve(e);
            else if (e.type === 'error') reject(new Error(e.message));
          });
        });
        expect(done.reason, done.message).toBe('completed');
        expect(session.modelInfo()?.options.seed).toBe(k); // the new model is in place at 'done'
        // the worker is terminated after its result: its handles must go, none may pile up
        await until(() => excess(resources(), base).length === 0, 10_000, () => `worker handles to close (extra: ${excess(resources(), base).join(', ')})`);
        seconds.push(Math.round((performance.now() - t0) / 100) / 10);
        rss.push(rssMb());
      }
      console.log(`session: seconds per run ${seconds.join(' ')}`);
      console.log(`session: main-thread RSS MB after each run ${rss.join(' ')}`);
      expect(rss[RUNS - 1]).toBeLessThanOrEqual(rss[4] + SLACK_MB);

      const star = session.searchTitles('Star Wars (1977)', 1)[0];
      expect(star.title).toBe('Star Wars (1977)');
      const recs = await session.recommend([{ index: star.index, rating: 5 }], 5);
      expect(recs).toHaveLength(5);
      expect(recs.map((r) => r.index)).not.toContain(star.index);
      for (const r of recs) expect(r.predicted).toBeGreaterThan(0);
    } finally {
      await session.close();
    }
  }, 180_000);
});
