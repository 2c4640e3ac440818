/** Renders the app on ink-testing-library's fake terminal, with helpers that wait instead of sleeping. */
import React from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/App.js';
import type { PaneId } from '../../src/ui/state/panes.js';
import { FakeServices } from './fakeServices.js';

export const KEYS = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  shiftTab: '\x1b[Z',
  backspace: '\x7f',
  ctrlC: '\x03',
};

const plain = (s: string | undefined) => (s ?? '').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

export interface RenderedApp {
  services: FakeServices;
  frame(): string;
  /** Waits until the frame matches, then one more macrotask so React's effects (new key handlers) have run. */
  waitFor(match: RegExp | string | ((frame: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Writes keys one at a time, letting each one's effects settle. */
  press(...keys: string[]): Promise<void>;
  type(text: string): Promise<void>;
  resize(columns: number, rows: number): void;
  /** Resolves once the app has exited (Ink released stdin). */
  waitForExit(timeoutMs?: number): Promise<void>;
  unmount(): void;
}

/**
 * Lets React finish what a key started: a commit schedules passive effects (a pane's new key handler,
 * its follow-up state) on later turns of the event loop. A few turns, not a fixed time.
 */
const settle = async () => {
  for (let i = 0; i < 4; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
};

export async function renderApp(opts: { services?: FakeServices; columns?: number; rows?: number; pane?: PaneId } = {}): Promise<RenderedApp> {
  const services = opts.services ?? new FakeServices();
  const columns = opts.columns ?? 100;
  const rows = opts.rows ?? 30;
  const inst = render(<App services={services} colors={false} initialPane={opts.pane} />);
  const setSize = (c: number, r: number) => {
    Object.defineProperty(inst.stdout, 'columns', { configurable: true, get: () => c });
    Object.defineProperty(inst.stdout, 'rows', { configurable: true, get: () => r });
    inst.stdout.emit('resize');
  };
  const frame = () => plain(inst.lastFrame());
  const waitFor = async (match: RegExp | string | ((f: string) => boolean), timeoutMs = 3000) => {
    const test = typeof match === 'function' ? match : typeof match === 'string' ? (f: string) => f.includes(match) : (f: string) => match.test(f);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = frame();
      if (test(f)) {
        await settle();
        return f;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(match)}; last frame:\n${f}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  // Ink only reads stdin once a useInput hook has subscribed; writes before that are lost.
  const deadline = Date.now() + 3000;
  while (inst.stdin.listenerCount('readable') === 0) {
    if (Date.now() > deadline) throw new Error('no input hook subscribed');
    await new Promise((r) => setTimeout(r, 5));
  }
  setSize(columns, rows);
  await waitFor((f) => f.length > 0);
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      inst.stdin.write(k);
      await settle();
    }
  };
  return {
    services,
    frame,
    waitFor,
    press,
    type: (text) => press(...text),
    resize: setSize,
    waitForExit: async (timeoutMs = 3000) => {
      const end = Date.now() + timeoutMs;
      while (inst.stdin.listenerCount('readable') > 0) {
        if (Date.now() > end) throw new Error('the app did not exit');
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    unmount: () => inst.unmount(),
  };
}
