/**
 * TUI timings in a real terminal (tmux): launch → first full frame, and key → screen latency while a
 * model trains. Polls capture-pane every few ms, so numbers carry ~3 ms of polling resolution. And the
 * app's memory through a journey (runAppMemoryJourney): load, train, look round every pane.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = (s: string) => tmux('capture-pane', '-p', '-t', s);
/** The header's highlighted (inverse video) tab: its hotkey digit, read from the screen's colours. */
export function activeTab(colouredHeader: string): number | null {
  const m = /\x1b\[(?:\d+;)*7(?:;\d+)*m(?:\x1b\[[\d;]*m)* (\d) /.exec(colouredHeader);
  return m ? Number(m[1]) : null;
}
const tabOnScreen = (s: string) => activeTab(tmux('capture-pane', '-e', '-p', '-t', s, '-S', '0', '-E', '0'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the screen every `everyMs` (a few ms for latencies; slower for long waits, so that tmux's work does not take the cores from the app). */
async function waitFor(session: string, test: (text: string) => boolean, timeoutMs: number, everyMs = 3): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (test(screen(session))) return performance.now() - t0;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms; screen:\n${screen(session)}`);
}

/** The panes Tab cycles through (the header's 1–9). */
const PANES = 9;

/** The Train form's fields below epochs (from there the bench goes up to it). */
const FIELDS_AFTER_EPOCHS = ['lr', 'wd', 'batch', 'y_range', 'schedule', 'split', 'valid', 'seed', 'backend', 'solver'];

export interface TuiBench {
  firstFrameMs: number;
  dataReadyMs: number;
  keyLatency: { samples: number; p50Ms: number; p95Ms: number; maxMs: number };
}

interface LaunchOptions {
  dataDir: string;
  snapshotsDir: string;
  entry: string;
  /** What the status bar shows once the data is read (the folder's name). */
  datasetName?: string;
  /** How long loading (and a training run's first batches) may take. */
  loadTimeoutMs?: number;
}

const statusLine = (t: string) => t.trimEnd().split('\n').at(-1) ?? '';

/** Starts the app in a tmux session of its own (a fresh state folder: no reopened model, no profile) and waits for its first frame and its data. */
async function launch(session: string, opts: LaunchOptions): Promise<{ firstFrameMs: number; dataReadyMs: number }> {
  const env = `FACTORLENS_DATA=${opts.dataDir} FACTORLENS_SNAPSHOTS=${opts.snapshotsDir} XDG_STATE_HOME=${mkdtempSync(path.join(os.tmpdir(), 'fl-bench-state-'))}`;
  const t0 = performance.now();
  tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', `${env} node ${opts.entry}`);
  // the first full frame: header tabs, the Train pane and the status bar (the dataset may still be loading)
  await waitFor(session, (t) => /1 Train/.test(t) && /epochs/.test(t) && /│ model/.test(t), 20_000);
  const firstFrameMs = performance.now() - t0;
  // and the dataset read, named in the status bar
  const name = opts.datasetName ?? 'ml-100k';
  await waitFor(session, (t) => t.includes(name), opts.loadTimeoutMs ?? 20_000, 20);
  return { firstFrameMs, dataReadyMs: performance.now() - t0 };
}

/** Types `epochs` into the Train form, starts the run (yes to a long run's question) and waits for its batches. */
async function startTraining(session: string, epochs: number, timeoutMs: number): Promise<void> {
  // each Down waits for the focus to move: on large data the UI thread may be busy for a moment
  const focused = () => /^\s*› (\S+)/m.exec(screen(session))?.[1] ?? null;
  for (let i = 0; i < 20 && focused() !== 'epochs'; i++) {
    const before = focused();
    tmux('send-keys', '-t', session, before === null || FIELDS_AFTER_EPOCHS.includes(before) ? 'Up' : 'Down');
    await waitFor(session, () => focused() !== before, 10_000).catch(() => undefined);
  }
  tmux('send-keys', '-t', session, ...String(epochs).split(''));
  await waitFor(session, (t) => new RegExp(`› epochs\\s+${epochs}\\b`).test(t), 5000);
  tmux('send-keys', '-t', session, 'Enter');
  // a long run is asked about first ("200 epochs … Train anyway? [y/n]"): yes
  await waitFor(session, (t) => /\[y\/n\]/.test(t) || !/│ idle │/.test(statusLine(t)), 10_000).catch(() => undefined);
  if (/\[y\/n\]/.test(screen(session))) tmux('send-keys', '-t', session, 'y');
  // and its batches run (not only the worker starting: on large data that takes seconds)
  await waitFor(session, (t) => /training \d+% ep/.test(statusLine(t)), timeoutMs, 20);
}

function killSession(session: string): void {
  try {
    tmux('kill-session', '-t', session);
  } catch {
    /* already gone */
  }
}

/** A long training run (200 epochs; Esc cancels it at the end), and Tab / Shift-Tab flipping panes while it runs. */
export async function runTuiBench(opts: LaunchOptions): Promise<TuiBench> {
  const session = `flbench${process.pid}`;
  try {
    const { firstFrameMs, dataReadyMs } = await launch(session, opts);
    await startTraining(session, 200, opts.loadTimeoutMs ?? 20_000);
    const times: number[] = [];
    // Tab / Shift-Tab switch panes everywhere (digits may be typed into a field instead). A sample ends
    // when the header highlights the pane the key leads to — not at the first change of the screen,
    // which the training's own redraws (4 a second) would provide without the key being handled.
    const keys = ['Tab', 'Tab', 'BTab', 'BTab', 'Tab', 'Tab', 'Tab', 'BTab', 'BTab', 'BTab'];
    const first = tabOnScreen(session);
    if (first === null) throw new Error('cannot find the highlighted tab in the header');
    let tab: number = first;
    for (let round = 0; round < 3; round++) {
      for (const k of keys) {
        const expected: number = ((tab - 1 + (k === 'Tab' ? 1 : PANES - 1)) % PANES) + 1;
        const ts = performance.now();
        tmux('send-keys', '-t', session, k);
        const t0 = performance.now();
        while (tabOnScreen(session) !== expected) {
          if (performance.now() - t0 > 5000) throw new Error(`${k}: tab ${expected} never highlighted; screen:\n${screen(session)}`);
          await sleep(3);
        }
        times.push(performance.now() - ts);
        tab = expected;
        await sleep(40);
      }
    }
    tmux('send-keys', '-t', session, 'Escape');
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
    return { firstFrameMs, dataReadyMs, keyLatency: { samples: times.length, p50Ms: q(0.5), p95Ms: q(0.95), maxMs: times[times.length - 1] } };
  } finally {
    killSession(session);
  }
}

/** The app process's resident memory and CPU ticks, from /proc (the pane's process or its node child). */
function appProcess(session: string): { pid: number; rssMB: () => number; cpuTicks: () => number } {
  const panePid = Number(tmux('display-message', '-p', '-t', session, '#{pane_pid}').trim());
  const isNode = (pid: number) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'node';
  let pid = panePid;
  if (!isNode(pid)) {
    const child = execFileSync('pgrep', ['-P', String(panePid)], { encoding: 'utf8' }).trim().split('\n').map(Number).find(isNode);
    if (!child) throw new Error('cannot find the app process');
    pid = child;
  }
  return {
    pid,
    rssMB: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    cpuTicks: () => {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return Number(f[11]) + Number(f[12]); // utime + stime
    },
  };
}

export interface AppMemoryJourney {
  epochs: number;
  /** Peak resident memory of the whole app process (UI thread and its workers) in each phase, MB. */
  peakRssMB: { loading: number; training: number; afterTraining: number };
  idleRssMB: number;
  trainingSeconds: number;
  /** From the end of training until the process had been idle for a few seconds (its follow-up fits done). */
  settleSeconds: number;
  /** [seconds since launch, phase, RSS MB], one a second. */
  timeline: [number, string, number][];
}

/**
 * The app's memory through a user's journey: load, train `epochs`, then visit every pane (the ranking,
 * the pick model, the questionnaire's model, the map are fitted or computed on the way) until the process
 * has gone quiet — the app's RSS, sampled every 100 ms, workers included.
 */
export async function runAppMemoryJourney(opts: LaunchOptions & { epochs: number; settleTimeoutMs?: number }): Promise<AppMemoryJourney> {
  const session = `flmem${process.pid}`;
  const peak = { loading: 0, training: 0, afterTraining: 0 };
  let phase: keyof typeof peak = 'loading';
  let proc: ReturnType<typeof appProcess> | null = null;
  const timeline: [number, string, number][] = [];
  const start = performance.now();
  const sampler = setInterval(() => {
    try {
      proc ??= appProcess(session);
      const mb = proc.rssMB();
      peak[phase] = Math.max(peak[phase], mb);
      const sec = Math.floor((performance.now() - start) / 1000);
      if (timeline.at(-1)?.[0] !== sec) timeline.push([sec, phase, Math.round(mb)]);
    } catch {
      /* not started yet */
    }
  }, 100);
  try {
    await launch(session, opts);
    phase = 'training';
    const t0 = performance.now();
    await startTraining(session, opts.epochs, opts.loadTimeoutMs ?? 20_000);
    await waitFor(session, (t) => /│ (done|cancelled|error) │/.test(statusLine(t)), 30 * 60_000, 1000);
    const trainingSeconds = (performance.now() - t0) / 1000;
    phase = 'afterTraining';
    const t1 = performance.now();
    // every pane once (Tab), a few seconds each: what a person looking round after training asks for
    for (let i = 0; i < PANES; i++) {
      tmux('send-keys', '-t', session, 'Tab');
      await sleep(4000);
    }
    // then until the process has used under 20 % of a core for 5 s (its redraws alone take a few %)
    const p = proc ?? appProcess(session);
    const hz = 100;
    let quiet = 0;
    let ticks = p.cpuTicks();
    while (quiet < 5 && performance.now() - t1 < (opts.settleTimeoutMs ?? 10 * 60_000)) {
      await sleep(1000);
      const now = p.cpuTicks();
      quiet = now - ticks < 0.2 * hz ? quiet + 1 : 0;
      ticks = now;
    }
    const settleSeconds = (performance.now() - t1) / 1000;
    return { epochs: opts.epochs, peakRssMB: { loading: Math.round(peak.loading), training: Math.round(peak.training), afterTraining: Math.round(peak.afterTraining) }, idleRssMB: Math.round(p.rssMB()), trainingSeconds, settleSeconds, timeline };
  } finally {
    clearInterval(sampler);
    killSession(session);
  }
}
