/** Successive halving on a fake objective: who is promoted, determinism under any finishing order, the deadline. */
import { describe, expect, it } from 'vitest';
import { pickWinner, successiveHalving, type Job, type JobOutcome, type TrialRecord } from '../../../src/model/tune/scheduler.js';
import { mulberry32 } from '../../../src/model/engine/random.js';

/** Three rungs, 9 → 3 → 1. */
const PLAN = { eta: 3, rungs: [1 / 9, 1 / 3, 1], bracketSize: 9 };

interface Cfg {
  x: number;
}

/** A metric that falls with the rung (longer runs are better) and is lowest at x = 0.3. */
const metricOf = (c: Cfg, rung: number) => (c.x - 0.3) ** 2 + 0.1 / (rung + 1);

/** Configs drawn from a seeded stream, one per trial id: the same ids get the same configs. */
const sampler = (seed: number) => (bracket: number, n: number) => {
  const rng = mulberry32(seed + bracket * 1000);
  return Array.from({ length: n }, () => ({ x: rng() }));
};

/** A job that takes `ms` (as the delays stream says), stops when aborted, then reports the metric. */
function fakeRun(delays: () => number, log: Job<Cfg>[] = []) {
  return (job: Job<Cfg>, signal: AbortSignal): Promise<JobOutcome<Cfg>> => {
    log.push(job);
    const ms = delays();
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve({ state: 'done', metric: metricOf(job.config, job.rung), seconds: ms / 1000 }), ms);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve({ state: 'cancelled', metric: NaN, seconds: 0 });
      });
    });
  };
}

const summary = (trials: readonly TrialRecord<Cfg>[]) => trials.map((t) => ({ id: t.id, x: t.config.x, state: t.state, rungs: t.rungs.map((r) => [r.rung, r.metric, r.state]) }));

describe('successive halving', () => {
  it('promotes the best third of each rung, ranked by metric then id, and stops the rest', async () => {
    const log: Job<Cfg>[] = [];
    const r = await successiveHalving<Cfg>({ plan: PLAN, slots: 2, better: 'lower', sample: sampler(1), run: fakeRun(() => 1, log), maxTrials: 9 });
    expect(r.ended).toBe('trials');
    expect(r.trials).toHaveLength(9);
    const byRung0 = [...r.trials].sort((a, b) => metricOf(a.config, 0) - metricOf(b.config, 0));
    const top3 = byRung0.slice(0, 3).map((t) => t.id).sort();
    const rung1 = log.filter((j) => j.rung === 1).map((j) => j.trial).sort();
    expect(rung1).toEqual(top3);
    const rung2 = log.filter((j) => j.rung === 2).map((j) => j.trial);
    expect(rung2).toEqual([byRung0[0].id]);
    expect(r.trials.filter((t) => t.state === 'stopped')).toHaveLength(8);
    expect(r.trials.find((t) => t.state === 'done')?.id).toBe(byRung0[0].id);
    expect(pickWinner(r.trials, 'lower')?.trial.id).toBe(byRung0[0].id);
    // 'higher' promotes the other end
    const h = await successiveHalving<Cfg>({ plan: PLAN, slots: 2, better: 'higher', sample: sampler(1), run: fakeRun(() => 1), maxTrials: 9 });
    expect(pickWinner(h.trials, 'higher')?.trial.id).toBe(byRung0.at(-1)!.id);
  });

  it('makes the same decisions whichever job finishes first (three slots, random delays)', async () => {
    const run = (delaySeed: number) => {
      const d = mulberry32(delaySeed);
      return successiveHalving<Cfg>({
        plan: PLAN,
        slots: 3,
        better: 'lower',
        // later brackets sample around the best of the history: decisions feed into configurations
        sample: (b, n, history) => {
          const base = sampler(7)(b, n);
          const w = pickWinner(history, 'lower');
          return w ? base.map((c, i) => (i % 2 ? { x: (c.x + w.trial.config.x) / 2 } : c)) : base;
        },
        run: fakeRun(() => 1 + Math.floor(d() * 15)),
        maxTrials: 40,
      });
    };
    const a = await run(1);
    const b = await run(2);
    const c = await run(3);
    expect(a.trials).toHaveLength(40);
    expect(summary(b.trials)).toEqual(summary(a.trials));
    expect(summary(c.trials)).toEqual(summary(a.trials));
    expect(pickWinner(b.trials, 'lower')?.trial.id).toBe(pickWinner(a.trials, 'lower')?.trial.id);
  });

  it('honours the deadline: nothing starts after it, running jobs are cancelled, the best so far is kept', async () => {
    const starts: number[] = [];
    const t0 = performance.now();
    const deadline = t0 + 400;
    const quick = fakeRun(() => 30);
    const r = await successiveHalving<Cfg>({
      plan: PLAN,
      slots: 2,
      better: 'lower',
      sample: sampler(3),
      // whole runs take 10 s: the first one is still running at the deadline
      run: (job, signal) => {
        starts.push(performance.now());
        return job.rung === 2 ? fakeRun(() => 10_000)(job, signal) : quick(job, signal);
      },
      deadline,
    });
    const wall = performance.now() - t0;
    expect(r.ended).toBe('budget');
    expect(wall).toBeLessThan(400 * 1.05);
    expect(Math.max(...starts)).toBeLessThan(deadline);
    expect(r.trials.some((t) => t.state === 'cancelled' && t.rungs.at(-1)!.rung === 2)).toBe(true);
    expect(pickWinner(r.trials, 'lower')?.result.rung).toBe(1);
  });

  it('ends with no trial left waiting: a finished whole run is done even when its rung never closed', async () => {
    // one slot: anchor 0 finishes, anchor 1 runs past the deadline, anchor 2 never starts
    const r = await successiveHalving<Cfg>({
      plan: PLAN,
      slots: 1,
      better: 'lower',
      anchors: [{ x: 0.31 }, { x: 0.9 }, { x: 0.5 }],
      sample: sampler(8),
      run: (job, signal) => fakeRun(() => (job.trial === 1 ? 10_000 : 5))(job, signal),
      deadline: performance.now() + 300,
    });
    expect(r.ended).toBe('budget');
    expect(r.trials.map((t) => t.state).slice(0, 3)).toEqual(['done', 'cancelled', 'skipped']);
    expect(r.trials.some((t) => t.state === 'waiting')).toBe(false);
    expect(pickWinner(r.trials, 'lower')?.trial.id).toBe(0);
  });

  it('does not start a job that is expected to overrun the deadline', async () => {
    const log: Job<Cfg>[] = [];
    const t0 = performance.now();
    const r = await successiveHalving<Cfg>({
      plan: PLAN,
      slots: 1,
      better: 'lower',
      sample: sampler(4),
      run: fakeRun(() => 5, log),
      deadline: t0 + 5000,
      maxTrials: 9,
      // rung-2 jobs claim to need 10 s: none may start
      estimate: (job) => (job.rung === 2 ? 10 : 0.005),
    });
    expect(r.ended).toBe('budget');
    expect(performance.now() - t0).toBeLessThan(4000);
    expect(log.some((j) => j.rung === 2)).toBe(false);
    expect(r.trials.some((t) => t.state === 'skipped')).toBe(true);
    expect(pickWinner(r.trials, 'lower')?.result.rung).toBe(1);
  });

  it('runs the anchors whole before any bracket, and samples around them from bracket 2 on', async () => {
    const log: Job<Cfg>[] = [];
    const seen: number[][] = [];
    const r = await successiveHalving<Cfg>({
      plan: PLAN,
      slots: 2,
      better: 'lower',
      anchors: [{ x: 0.31 }, { x: 0.9 }],
      sample: (b, n, history) => {
        seen.push(history.map((t) => t.id));
        return sampler(6)(b, n);
      },
      run: fakeRun(() => 1, log),
      maxTrials: 2 + 9 * 3,
    });
    expect(log.slice(0, 2).map((j) => [j.trial, j.rung, j.fraction])).toEqual([[0, 2, 1], [1, 2, 1]]);
    expect(r.trials[0].state).toBe('done');
    // bracket 1 sees nothing, bracket 2 the anchors, bracket 3 the anchors and bracket 1
    expect(seen[0]).toEqual([]);
    expect(seen[1]).toEqual([0, 1]);
    expect(seen[2]).toEqual([0, 1, ...Array.from({ length: 9 }, (_, i) => 2 + i)]);
    expect(pickWinner(r.trials, 'lower')?.trial.id).toBe(0);
  });

  it('stops when the signal aborts and keeps what finished', async () => {
    const controller = new AbortController();
    let finished = 0;
    const r = await successiveHalving<Cfg>({
      plan: PLAN,
      slots: 2,
      better: 'lower',
      sample: sampler(5),
      run: fakeRun(() => 5),
      signal: controller.signal,
      onUpdate: (trials) => {
        finished = trials.filter((t) => t.rungs.some((x) => x.state === 'done')).length;
        if (finished >= 4) controller.abort();
      },
    });
    expect(r.ended).toBe('stopped');
    expect(pickWinner(r.trials, 'lower')).not.toBeNull();
    expect(r.trials.every((t) => t.state !== 'running')).toBe(true);
  });
});
