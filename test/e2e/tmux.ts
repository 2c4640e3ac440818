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
  /** The scrollback above the screen and the screen, as plain text. */
  captureAll(): string;
  /** Resizes the window (the app gets SIGWINCH). */
  resize(columns: number, rows: number): void;
  /** tmux key names ('Enter', 'Escape', 'Tab', 'Down', 'C-c') or literal text with { literal: true }. */
  send(keys: string | string[], opts?: { literal?: boolean }): void;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Waits until the screen no longer shows `pattern`. */
  waitForGone(pattern: RegExp, timeoutMs?: number): Promise<string>;
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

/**
 * `shell: true` starts a bash in the pane and types the command into it, as a person would, so the
 * main screen has a prompt and a scrollback to check after the app leaves (the pane then stays open).
 */
export function startApp(opts: { dataDir: string; snapshotsDir?: string | null; columns?: number; rows?: number; env?: Record<string, string>; args?: string[]; shell?: boolean; bin?: string; cwd?: string }): TmuxApp {
  const session = `factorlens-e2e-${process.pid}-${Date.now().toString(36)}`;
  // snapshotsDir null: leave it to the app's default (an installed tool's XDG folder)
  const snapshotsDir = opts.snapshotsDir === null ? '' : opts.snapshotsDir ?? mkdtempSync(path.join(os.tmpdir(), 'factorlens-snapshots-'));
  // what `npm start` and the bin run; `bin` runs another executable (an installed factorlens)
  const main = opts.bin ? opts.bin : `node ${JSON.stringify(path.resolve('dist/app/factorlens.js'))}`;
  // CI=true always: CI machines set it, and Ink alone would then draw nothing until exit (the app must not)
  // Profiles and kept models of its own unless the caller shares some (a relaunch): never the person's,
  // and never another test's (a model kept by another test's session would be reopened here).
  const home = mkdtempSync(path.join(os.tmpdir(), 'factorlens-tmux-home-'));
  const xdg = { XDG_STATE_HOME: path.join(home, 'state'), XDG_DATA_HOME: path.join(home, 'data') };
  const env: Record<string, string> = { CI: 'true', FACTORLENS_DATA: opts.dataDir, ...(snapshotsDir ? { FACTORLENS_SNAPSHOTS: snapshotsDir } : {}), ...xdg, ...opts.env };
  const exports = Object.entries(env)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  const args = (opts.args ?? []).map((a) => JSON.stringify(a)).join(' ');
  // `; sleep` keeps the pane open after the app exits, so a crash message can still be captured.
  const cd = opts.cwd ? `cd ${JSON.stringify(opts.cwd)} && ` : '';
  const unset = snapshotsDir ? '' : '-u FACTORLENS_SNAPSHOTS ';
  const command = `${cd}env ${unset}${exports} ${main} ${args}; echo "[exit $?]"`;
  // -u: UTF-8 even when CI has no UTF-8 locale (tmux would draw the frame's box characters as '_')
  const size = ['-x', String(opts.columns ?? 100), '-y', String(opts.rows ?? 30)];
  if (opts.shell) {
    tmux('-u', 'new-session', '-d', '-s', session, ...size, 'env PS1="$ " bash --norc --noprofile');
    tmux('send-keys', '-t', session, '-l', `clear; ${command}`);
    tmux('send-keys', '-t', session, 'Enter');
  } else {
    tmux('-u', 'new-session', '-d', '-s', session, ...size, `${command}; sleep 30`);
  }
  const app: TmuxApp = {
    session,
    snapshotsDir,
    capture: () => tmux('capture-pane', '-p', '-t', session),
    captureAll: () => tmux('capture-pane', '-p', '-S', '-', '-t', session),
    resize: (columns, rows) => {
      tmux('resize-window', '-t', session, '-x', String(columns), '-y', String(rows));
    },
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
    waitForGone: async (pattern, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const screen = app.capture();
        if (!pattern.test(screen)) return screen;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} to go; screen:\n${screen}`);
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
