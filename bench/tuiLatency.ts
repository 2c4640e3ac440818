/**
 * TUI timings in a real terminal (tmux): launch → first full frame, and key → screen latency while a
 * model trains. Polls capture-pane every few ms, so numbers carry ~3 ms of polling resolution.
 */
import { execFileSync } from 'node:child_process';

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = (s: string) => tmux('capture-pane', '-p', '-t', s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(session: string, test: (text: string) => boolean, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (test(screen(session))) return performance.now() - t0;
    await sleep(3);
  }
  throw new Error(`timed out after ${timeoutMs} ms; screen:\n${screen(session)}`);
}

export interface TuiBench {
  firstFrameMs: number;
  keyLatency: { samples: number; p50Ms: number; p95Ms: number; maxMs: number };
}

export async function runTuiBench(opts: { dataDir: string; snapshotsDir: string; entry: string }): Promise<TuiBench> {
  const session = `flbench${process.pid}`;
  const env = `FACTORLENS_DATA=${opts.dataDir} FACTORLENS_SNAPSHOTS=${opts.snapshotsDir}`;
  const t0 = performance.now();
  tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', `${env} node ${opts.entry}`);
  try {
    // the first full frame: the header's tabs and the status bar with the dataset loaded
    await waitFor(session, (t) => /Train/.test(t) && /ml-100k/.test(t), 20_000);
    const firstFrameMs = performance.now() - t0;
    // start a long training run (Enter on the Train form), then flip panes while it runs
    tmux('send-keys', '-t', session, 'Enter');
    await waitFor(session, (t) => /epoch|training/i.test(t), 20_000);
    const times: number[] = [];
    // Tab / Shift-Tab switch panes everywhere (digits may be typed into a field instead)
    const keys = ['Tab', 'Tab', 'BTab', 'BTab', 'Tab', 'Tab', 'Tab', 'BTab', 'BTab', 'BTab'];
    for (let round = 0; round < 3; round++) {
      for (const k of keys) {
        const before = screen(session);
        const ts = performance.now();
        tmux('send-keys', '-t', session, k);
        await waitFor(session, (t) => t !== before, 5000);
        times.push(performance.now() - ts);
        await sleep(40);
      }
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
    return { firstFrameMs, keyLatency: { samples: times.length, p50Ms: q(0.5), p95Ms: q(0.95), maxMs: times[times.length - 1] } };
  } finally {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      /* already gone */
    }
  }
}
