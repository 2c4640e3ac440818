/**
 * Successive halving in brackets, run on a few parallel slots (worker threads) within a deadline.
 *
 * A bracket samples n configurations; rung 0 runs each as a short run (a fraction of its epochs); the
 * best 1/eta of a rung (by metric, then trial id) go on to the next, longer rung, the rest are stopped.
 * Brackets follow one another for as long as the budget lasts, and a later bracket may sample around the
 * best configurations of the brackets before it.
 *
 * Deterministic: a job's result depends only on its configuration and rung, promotion waits until every
 * job of the rung has finished and ranks by (metric, trial id), and bracket b samples from the finished
 * brackets up to b − 2 only. So which worker finishes first never changes a decision; only how far the
 * search gets before the deadline depends on the machine's speed. Slots take the ready job with the
 * smallest (bracket, rung, trial), so a bracket is finished before the next one takes the cores, and the
 * next bracket fills the cores while a rung waits for its last job.
 */

export type JobState = 'done' | 'diverged' | 'cancelled' | 'failed';
export type TrialState = 'queued' | 'running' | 'waiting' | 'promoted' | 'stopped' | 'done' | 'diverged' | 'cancelled' | 'failed' | 'skipped';

export interface HalvingPlan {
  /** Keep the best 1/eta of each rung. */
  eta: number;
  /** Fractions of a trial's own schedule, ascending, the last 1 (the whole run). */
  rungs: number[];
  /** Configurations per bracket. */
  bracketSize: number;
}

/**
 * Two rungs, a third of the schedule then the whole: a shorter first rung judges one-cycle runs of 5–15
 * epochs after one or two epochs, which ranks them badly (a bracket of 9 costs 6 whole runs, 3 of them whole).
 */
export const DEFAULT_PLAN: HalvingPlan = { eta: 3, rungs: [1 / 3, 1], bracketSize: 9 };

export interface Job<C> {
  trial: number;
  bracket: number;
  rung: number;
  /** rungs[rung]: the fraction of the trial's schedule this job runs. */
  fraction: number;
  config: C;
}

export interface JobOutcome<C = unknown> {
  state: JobState;
  /** The selection metric on the validation set (NaN when none). */
  metric: number;
  seconds: number;
  /** A better-known configuration the run found for itself (e.g. the blend weight chosen on validation). */
  config?: C;
  detail?: string;
}

export interface RungResult {
  rung: number;
  fraction: number;
  metric: number;
  seconds: number;
  state: JobState;
}

export interface TrialRecord<C> {
  id: number;
  bracket: number;
  config: C;
  state: TrialState;
  /** One entry per rung the trial ran (or began). */
  rungs: RungResult[];
  detail?: string;
}

/** Elapsed seconds and the best finished metric at that moment: the best-so-far chart. */
export interface BestPoint {
  seconds: number;
  metric: number;
  trial: number;
}

export interface HalvingOptions<C> {
  plan: HalvingPlan;
  /** Parallel slots (one job each). */
  slots: number;
  /** 'lower' for RMSE, 'higher' for NDCG. */
  better: 'lower' | 'higher';
  /**
   * Configurations known to work, run whole first as bracket 0 (one rung, the last): the search then has a
   * whole run to beat from its first minute, and the brackets after it can start from them.
   */
  anchors?: C[];
  /** Configurations of bracket b, from the finished trials of brackets ≤ b − 2 (ascending id); deterministic. */
  sample: (bracket: number, n: number, history: readonly TrialRecord<C>[]) => C[];
  run: (job: Job<C>, signal: AbortSignal) => Promise<JobOutcome<C>>;
  /**
   * Milliseconds on `clock` after which nothing new starts and running jobs are cancelled; a function is
   * asked again as the search goes (the caller's reserve for what follows may grow with what it learns).
   */
  deadline?: number | (() => number);
  /** Stop sampling after this many configurations (a budget that does not depend on speed). */
  maxTrials?: number;
  /** A job's expected seconds (from what has run), so one that cannot finish before the deadline is not started. */
  estimate?: (job: Job<C>, trials: readonly TrialRecord<C>[]) => number | undefined;
  clock?: () => number;
  signal?: AbortSignal;
  onUpdate?: (trials: readonly TrialRecord<C>[], best: readonly BestPoint[]) => void;
}

export interface HalvingResult<C> {
  trials: TrialRecord<C>[];
  best: BestPoint[];
  /** Why the search ended: every trial ran, the deadline came, or it was stopped. */
  ended: 'trials' | 'budget' | 'stopped';
  seconds: number;
}

interface Bracket {
  index: number;
  /** The rung its trials start at (the anchors' bracket starts at the last). */
  firstRung: number;
  trials: number[];
  /** The trials still in the race at each rung (rung 0: all of them). */
  entrants: number[][];
  /** Jobs of each rung not yet finished. */
  pending: number[];
  complete: boolean;
}

export async function successiveHalving<C>(o: HalvingOptions<C>): Promise<HalvingResult<C>> {
  const clock = o.clock ?? (() => performance.now());
  const t0 = clock();
  const { plan } = o;
  if (!(plan.eta > 1) || plan.rungs.length < 1 || plan.rungs.at(-1) !== 1 || plan.bracketSize < 1) throw new Error('successiveHalving: bad plan');
  const sign = o.better === 'lower' ? 1 : -1;
  const trials: TrialRecord<C>[] = [];
  const brackets: Bracket[] = [];
  const ready: Job<C>[] = [];
  const best: BestPoint[] = [];
  const running = new Map<number, AbortController>();
  let exhausted = false;
  let ended: HalvingResult<C>['ended'] = 'trials';

  const stopped = () => o.signal?.aborted === true;
  // set by the deadline's timer too, which may fire a hair before the clock reads the deadline
  let timeUp = false;
  const deadline = (): number | undefined => (typeof o.deadline === 'function' ? o.deadline() : o.deadline);
  const pastDeadline = () => {
    const d = deadline();
    return timeUp || (d !== undefined && clock() >= d);
  };
  const rank = (a: { metric: number; id: number }, b: { metric: number; id: number }) => {
    const fa = Number.isFinite(a.metric);
    const fb = Number.isFinite(b.metric);
    if (fa !== fb) return fa ? -1 : 1;
    return (fa && fb ? sign * (a.metric - b.metric) : 0) || a.id - b.id;
  };
  const update = () => o.onUpdate?.(trials, best);

  /** Opens bracket b when its history (brackets ≤ b − 2) is complete; false when it cannot open yet. */
  const openBracket = (): boolean => {
    const b = brackets.length;
    if (exhausted) return false;
    if (b >= 2 && !brackets.slice(0, b - 1).every((x) => x.complete)) return false;
    const left = o.maxTrials === undefined ? plan.bracketSize : Math.min(plan.bracketSize, o.maxTrials - trials.length);
    if (left <= 0) {
      exhausted = true;
      return false;
    }
    const history = trials.filter((t) => t.bracket <= b - 2);
    const configs = o.sample(b, left, history).slice(0, left);
    if (configs.length === 0) {
      exhausted = true;
      return false;
    }
    const ids = configs.map((config) => {
      const id = trials.length;
      trials.push({ id, bracket: b, config, state: 'queued', rungs: [] });
      return id;
    });
    addBracket(b, 0, ids);
    return true;
  };

  const addBracket = (b: number, firstRung: number, ids: number[]) => {
    brackets.push({ index: b, firstRung, trials: ids, entrants: [ids], pending: [ids.length], complete: false });
    for (const id of ids) ready.push({ trial: id, bracket: b, rung: firstRung, fraction: plan.rungs[firstRung], config: trials[id].config });
    sortReady();
    update();
  };


  const sortReady = () => ready.sort((a, b) => a.bracket - b.bracket || a.rung - b.rung || a.trial - b.trial);

  /** Every job of a rung has finished: promote its best 1/eta to the next rung, or close the bracket. */
  const closeRung = (br: Bracket, rung: number) => {
    const entrants = br.entrants[rung - br.firstRung];
    const scored = entrants
      .map((id) => ({ id, metric: trials[id].rungs.find((r) => r.rung === rung)?.metric ?? NaN, state: trials[id].rungs.find((r) => r.rung === rung)?.state }))
      .filter((x) => x.state === 'done')
      .sort(rank);
    const last = rung === plan.rungs.length - 1;
    const keep = last ? [] : scored.slice(0, Math.ceil(entrants.length / plan.eta)).map((x) => x.id);
    for (const id of entrants) {
      const t = trials[id];
      if (t.state !== 'waiting') continue;
      t.state = last ? 'done' : keep.includes(id) ? 'promoted' : 'stopped';
    }
    if (last || keep.length === 0) {
      br.complete = true;
      return;
    }
    br.entrants.push(keep);
    br.pending.push(keep.length);
    for (const id of keep) ready.push({ trial: id, bracket: br.index, rung: rung + 1, fraction: plan.rungs[rung + 1], config: trials[id].config });
    sortReady();
  };

  const finish = (job: Job<C>, out: JobOutcome<C>) => {
    const t = trials[job.trial];
    if (out.config !== undefined) t.config = out.config;
    if (out.detail) t.detail = out.detail;
    const result: RungResult = { rung: job.rung, fraction: job.fraction, metric: out.state === 'done' ? out.metric : NaN, seconds: out.seconds, state: out.state };
    t.rungs = t.rungs.filter((r) => r.rung !== job.rung).concat(result);
    t.state = out.state === 'done' ? 'waiting' : out.state;
    if (out.state === 'done' && job.rung === plan.rungs.length - 1) recordBest(job.trial, result.metric);
    settle(job);
  };

  /** One job of its rung fewer to wait for. */
  const settle = (job: Job<C>) => {
    const br = brackets[job.bracket];
    if (--br.pending[job.rung - br.firstRung] === 0) closeRung(br, job.rung);
  };

  const recordBest = (id: number, metric: number) => {
    const prev = best.at(-1);
    if (!Number.isFinite(metric)) return;
    if (prev && rank({ metric, id }, { metric: prev.metric, id: prev.trial }) >= 0) return;
    best.push({ seconds: (clock() - t0) / 1000, metric, trial: id });
  };

  /** The first ready job that can finish before the deadline; the others that cannot are skipped. */
  const nextJob = (): Job<C> | undefined => {
    for (;;) {
      if (ready.length === 0 && !openBracket()) return undefined;
      if (ready.length === 0) continue;
      const job = ready.shift()!;
      const d = deadline();
      const expected = d !== undefined ? o.estimate?.(job, trials) : undefined;
      if (d !== undefined && expected !== undefined && clock() + expected * 1000 > d) {
        trials[job.trial].state = 'skipped';
        // a new bracket's first jobs would not fit either
        if (job.rung === 0) exhausted = true;
        ended = 'budget';
        settle(job);
        trials[job.trial].detail = `not started: about ${expected.toFixed(0)} s, more than the budget left`;
        continue;
      }
      return job;
    }
  };

  if (o.anchors?.length) {
    const ids = o.anchors.slice(0, o.maxTrials ?? Infinity).map((config) => {
      const id = trials.length;
      trials.push({ id, bracket: 0, config, state: 'queued', rungs: [] });
      return id;
    });
    if (ids.length) addBracket(0, plan.rungs.length - 1, ids);
  }

  await new Promise<void>((resolveAll) => {
    let active = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let poll: ReturnType<typeof setInterval> | null = null;
    let settled = false;
    const cancelRunning = () => running.forEach((c) => c.abort());
    const done = () => {
      if (settled || active > 0) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
      o.signal?.removeEventListener('abort', onAbort);
      resolveAll();
    };
    const onAbort = () => {
      ended = 'stopped';
      cancelRunning();
      done();
    };
    o.signal?.addEventListener('abort', onAbort);
    const timeOut = () => {
      if (stopped() || settled) return;
      timeUp = true;
      ended = 'budget';
      cancelRunning();
      done();
    };
    if (typeof o.deadline === 'number') timer = setTimeout(timeOut, Math.max(0, o.deadline - clock()));
    else if (o.deadline) {
      poll = setInterval(() => {
        if (clock() >= deadline()!) timeOut();
      }, 20);
    }
    const fill = () => {
      while (!settled && active < o.slots && !stopped() && !pastDeadline()) {
        const job = nextJob();
        if (!job) break;
        const controller = new AbortController();
        running.set(job.trial, controller);
        trials[job.trial].state = 'running';
        trials[job.trial].rungs = trials[job.trial].rungs.concat({ rung: job.rung, fraction: job.fraction, metric: NaN, seconds: 0, state: 'cancelled' });
        active++;
        update();
        o.run(job, controller.signal)
          .catch((err: unknown): JobOutcome<C> => ({ state: 'failed', metric: NaN, seconds: 0, detail: err instanceof Error ? err.message : String(err) }))
          .then((out) => {
            running.delete(job.trial);
            active--;
            // a job cut short by the deadline or a stop is recorded as cancelled, whatever it returned
            finish(job, controller.signal.aborted ? { ...out, state: 'cancelled' } : out);
            update();
            if (!settled && (stopped() || pastDeadline())) {
              if (!stopped()) ended = 'budget';
              cancelRunning();
            }
            fill();
            done();
          });
      }
      if (active === 0 && !stopped() && !pastDeadline()) done();
    };
    fill();
    if (stopped()) onAbort();
  });

  // trials that never got their turn
  for (const t of trials) if (t.state === 'queued' || t.state === 'promoted') t.state = ended === 'trials' ? 'stopped' : 'skipped';
  // trials whose rung never closed (the search ended while others of it were still to run): a whole run is
  // done; a shorter one was never ranked, so it goes no further
  for (const t of trials) {
    if (t.state !== 'waiting') continue;
    const whole = t.rungs.some((r) => r.rung === plan.rungs.length - 1 && r.state === 'done');
    t.state = whole ? 'done' : 'stopped';
    if (!whole) t.detail = 'the search ended before its rung was ranked';
  }
  update();
  return { trials, best, ended, seconds: (clock() - t0) / 1000 };
}

/**
 * The winner: the best finished result at the highest rung any trial finished (a whole run beats a
 * shorter one whatever their numbers), ties to the lower trial id. Null when nothing finished.
 */
export function pickWinner<C>(trials: readonly TrialRecord<C>[], better: 'lower' | 'higher'): { trial: TrialRecord<C>; result: RungResult } | null {
  const sign = better === 'lower' ? 1 : -1;
  let bestPick: { trial: TrialRecord<C>; result: RungResult } | null = null;
  for (const t of trials) {
    for (const r of t.rungs) {
      if (r.state !== 'done' || !Number.isFinite(r.metric)) continue;
      if (!bestPick) {
        bestPick = { trial: t, result: r };
        continue;
      }
      const b = bestPick.result;
      const better = r.rung > b.rung || (r.rung === b.rung && (sign * (r.metric - b.metric) < 0 || (r.metric === b.metric && t.id < bestPick.trial.id)));
      if (better) bestPick = { trial: t, result: r };
    }
  }
  return bestPick;
}
