/** Drives the real app in a real terminal: tmux at a fixed size, keys in, screen text out. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TmuxApp {
  session: string;
  snapshotsDir: string;
  /** The visible screen as plain text. */
  capture(): string;
  /** tmux key names ('Enter', 'Escape', 'Tab', 'Down', 'C-c') or literal text with { literal: true }. */
  send(keys: string | string[], opts?: { literal?: boolean }): void;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Like waitFor, then until the screen has not changed for `quietMs` (a list done updating). */
  waitForStable(pattern: RegExp, timeoutMs?: number, quietMs?: number): Promise<string>;
  /** True while the app's process still runs in the pane. */
  alive(): boolean;
  kill(): void;
}

export function tmuxAvailable(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

export function startApp(opts: { dataDir: string; snapshotsDir?: string; columns?: number; rows?: number; env?: Record<string, string> }): TmuxApp {
  const session = `factorlens-e2e-${process.pid}-${Date.now().toString(36)}`;
  const snapshotsDir = opts.snapshotsDir ?? mkdtempSync(path.join(os.tmpdir(), 'factorlens-snapshots-'));
  const main = path.resolve('dist/app/factorlens.js'); // what `npm start` and the bin run
  // CI=true always: CI machines set it, and Ink alone would then draw nothing until exit (the app must not)
  const env = { CI: 'true', FACTORLENS_DATA: opts.dataDir, FACTORLENS_SNAPSHOTS: snapshotsDir, ...opts.env };
  const exports = Object.entries(env)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  // `; sleep` keeps the pane open after the app exits, so a crash message can still be captured.
  const command = `env ${exports} node ${JSON.stringify(main)}; echo "[exit $?]"; sleep 30`;
  // -u: UTF-8 even when CI has no UTF-8 locale (tmux would draw the frame's box characters as '_')
  tmux('-u', 'new-session', '-d', '-s', session, '-x', String(opts.columns ?? 100), '-y', String(opts.rows ?? 30), command);
  const app: TmuxApp = {
    session,
    snapshotsDir,
    capture: () => tmux('capture-pane', '-p', '-t', session),
    send: (keys, o = {}) => {
      const list = Array.isArray(keys) ? keys : [keys];
      tmux('send-keys', '-t', session, ...(o.literal ? ['-l'] : []), ...list);
    },
    waitFor: async (pattern, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const screen = app.capture();
        if (pattern.test(screen)) return screen;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; screen:\n${screen}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    waitForStable: async (pattern, timeoutMs = 20_000, quietMs = 600) => {
      const deadline = Date.now() + timeoutMs;
      let last = await app.waitFor(pattern, timeoutMs);
      let since = Date.now();
      for (;;) {
        await new Promise((r) => setTimeout(r, 100));
        const screen = app.capture();
        if (screen !== last || !pattern.test(screen)) {
          last = screen;
          since = Date.now();
        } else if (Date.now() - since >= quietMs) return screen;
        if (Date.now() > deadline) throw new Error(`screen never settled on ${pattern}; screen:\n${screen}`);
      }
    },
    alive: () => !/\[exit \d+\]/.test(app.capture()),
    kill: () => {
      spawnSync('tmux', ['kill-session', '-t', session]);
    },
  };
  return app;
}

export function tempSnapshotsDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'factorlens-snapshots-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
