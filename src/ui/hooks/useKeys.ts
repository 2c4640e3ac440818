/**
 * Key handling for every pane and dialog: `useKeys(handler, { isActive })`, Ink's useInput contract,
 * routed through one Ink subscription per app (useKeyRouter) that delivers keys one at a time.
 *
 * Why not call useInput in each pane directly: with React 19 Ink's renders happen in a microtask after
 * a handler, and Ink emits every key of a burst (fast typing, tmux send-keys, keys queued while the
 * event loop was busy) synchronously. Each key of a burst would then reach the closures of the render
 * before the burst — "↓ ↓ 2" moved the focus once and switched panes. The router hands a key to the
 * handlers, lets React render (and run layout effects), then hands over the next one. A lone key is
 * delivered at once, so this costs no latency.
 */
import { useInput, type Key } from 'ink';
import { createContext, useContext, useLayoutEffect, useRef, useState } from 'react';

type Handler = (input: string, key: Key) => void;

/** Ctrl+A … Ctrl+Z, Tab, Enter (not Esc: escape sequences are Ink's to parse). */
const CONTROL = /[\x01-\x1a]/;

interface Entry {
  handler: { current: Handler };
  active: { current: boolean };
  /** App-wide keys run after the pane's own, so a pane switch never feeds the key to the next pane. */
  global: boolean;
}

export class KeyRouter {
  private entries: Entry[] = [];
  private queue: [string, Key][] = [];
  private draining = false;
  private tick: ((n: number) => void) | null = null;
  private ticks = 0;
  private committed: (() => void) | null = null;

  /** KeyTick registers here: a state change of its own that commits together with the handlers' updates. */
  setTick(tick: ((n: number) => void) | null): void {
    this.tick = tick;
  }

  /** Called from KeyTick's layout effect: everything the last key changed is on screen. */
  commit(): void {
    this.committed?.();
  }

  add(entry: Entry): () => void {
    this.entries.push(entry);
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
  }

  push(input: string, key: Key): void {
    // Ink hands over a run of text as one input ("1024\r" when Enter follows quickly, or a paste):
    // an Enter, a Tab or a Ctrl+letter inside it is still that key (two Ctrl+C pressed quickly arrive
    // as "\x03\x03": "quit?" then "yes"; Ctrl+U then a name as "\x15name": clear, then type).
    if (input.length > 1 && CONTROL.test(input)) {
      for (const part of input.split(/([\x01-\x1a])/)) {
        if (part === '') continue;
        if (part === '\r' || part === '\n') this.queue.push(['\r', { ...key, return: true }]);
        else if (part === '\t') this.queue.push(['\t', { ...key, tab: true }]);
        else if (part.length === 1 && part < ' ') this.queue.push([String.fromCharCode(part.charCodeAt(0) + 96), { ...key, ctrl: true }]);
        else this.queue.push([part, key]);
      }
    } else this.queue.push([input, key]);
    if (!this.draining) void this.drain();
  }

  private deliver(input: string, key: Key): void {
    const ordered = [...this.entries.filter((e) => !e.global), ...this.entries.filter((e) => e.global)];
    for (const e of ordered) if (e.active.current) e.handler.current(input, key);
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const [input, key] = this.queue.shift()!;
        this.deliver(input, key);
        // Keys that arrive meanwhile wait in the queue until this one's updates are committed.
        await this.rendered();
      }
    } finally {
      this.draining = false;
    }
  }

  /** Resolves once React has committed the updates the last key scheduled (or after 100 ms). */
  private rendered(): Promise<void> {
    const tick = this.tick;
    if (!tick) return new Promise((resolve) => setTimeout(resolve, 0));
    return new Promise((resolve) => {
      const fallback = setTimeout(done, 100);
      function done() {
        clearTimeout(fallback);
        resolve();
      }
      this.committed = () => {
        this.committed = null;
        done();
      };
      tick(++this.ticks);
    });
  }
}

/** Renders nothing; its commits tell the router that a key's updates have reached the screen. */
export function KeyTick({ router }: { router: KeyRouter }): null {
  const [tick, setTick] = useState(0);
  useLayoutEffect(() => {
    router.setTick(setTick);
    return () => router.setTick(null);
  }, [router]);
  useLayoutEffect(() => {
    if (tick > 0) router.commit();
  }, [router, tick]);
  return null;
}

export const KeyRouterContext = createContext<KeyRouter | null>(null);

/** The app's single Ink input subscription. */
export function useKeyRouter(): KeyRouter {
  const router = useRef<KeyRouter | null>(null);
  if (!router.current) router.current = new KeyRouter();
  const r = router.current;
  useInput((input, key) => r.push(input, key));
  return r;
}

export function useKeys(handler: Handler, options: { isActive: boolean; global?: boolean }): void {
  const router = useContext(KeyRouterContext);
  if (!router) throw new Error('useKeys needs a KeyRouterContext (App provides it)');
  const latest = useRef(handler);
  const active = useRef(options.isActive);
  // Updated on every render, so the next key sees this render's state.
  latest.current = handler;
  active.current = options.isActive;
  const global = options.global ?? false;
  useLayoutEffect(() => router.add({ handler: latest, active, global }), [router, global]);
}
