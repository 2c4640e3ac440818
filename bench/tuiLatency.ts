/**
 * TUI timings in a real terminal (tmux): launch → first full frame, and key → screen latency while a
 * model trains. Polls capture-pane every few ms, so numbers carry ~3 ms of polling resolution.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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

async function waitFor(session: string, test: (text: string) => boolean, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (test(screen(session))) return performance.now() - t0;
    await sleep(3);
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

/** `datasetName` is what the status bar shows once the data is read (the folder's name); loading may take `loadTimeoutMs`. */
export async function runTuiBench(opts: { dataDir: string; snapshotsDir: string; entry: string; datasetName?: string; loadTimeoutMs?: number }): Promise<TuiBench> {
  const session = `flbench${process.pid}`;
  // a state folder of its own: a first launch (no reopened model, no profile), whatever this machine ran before
  const env = `FACTORLENS_DATA=${opts.dataDir} FACTORLENS_SNAPSHOTS=${opts.snapshotsDir} XDG_STATE_HOME=${mkdtempSync(path.join(os.tmpdir(), 'fl-bench-state-'))}`;
  const t0 = performance.now();
  tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', `${env} node ${opts.entry}`);
  try {
    // the first full frame: header tabs, the Train pane and the status bar (the dataset may still be loading)
    await waitFor(session, (t) => /1 Train/.test(t) && /epochs/.test(t) && /│ model/.test(t), 20_000);
    const firstFrameMs = performance.now() - t0;
    // and the dataset read, named in the status bar
    const name = opts.datasetName ?? 'ml-100k';
    await waitFor(session, (t) => t.includes(name), opts.loadTimeoutMs ?? 20_000);
    const dataReadyMs = performance.now() - t0;
    // a long training run (200 epochs; Esc cancels it at the end), then flip panes while it runs
    // (each Down waits for the focus to move: on large data the UI thread may be busy for a moment)
    const focused = () => /^\s*› (\S+)/m.exec(screen(session))?.[1] ?? null;
    for (let i = 0; i < 20 && focused() !== 'epochs'; i++) {
      const before = focused();
      tmux('send-keys', '-t', session, before === null || FIELDS_AFTER_EPOCHS.includes(before) ? 'Up' : 'Down');
      await waitFor(session, () => focused() !== before, 10_000).catch(() => undefined);
    }
    tmux('send-keys', '-t', session, '2', '0', '0');
    await waitFor(session, (t) => /› epochs\s+200\b/.test(t), 5000);
    tmux('send-keys', '-t', session, 'Enter');
    const statusLine = (t: string) => t.trimEnd().split('\n').at(-1) ?? '';
    // a long run is asked about first ("200 epochs … Train anyway? [y/n]"): yes
    await waitFor(session, (t) => /\[y\/n\]/.test(t) || !/│ idle │/.test(statusLine(t)), 10_000).catch(() => undefined);
    if (/\[y\/n\]/.test(screen(session))) tmux('send-keys', '-t', session, 'y');
    // and its batches run (not only the worker starting: on large data that takes seconds)
    await waitFor(session, (t) => /training \d+% ep/.test(statusLine(t)), opts.loadTimeoutMs ?? 20_000);
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
    try {
      tmux('kill-session', '-t', session);
    } catch {
      /* already gone */
    }
  }
}
