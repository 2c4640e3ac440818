/**
 * Every string the app shows from a file — titles, genres, snapshot names and problems, dataset names,
 * error messages quoting a line — arrives through AppServices. Wrapping the services once makes each of
 * them terminal-safe (src/data/terminalText.ts) before any component sees it, so no pane can forget:
 * Ink writes what it is given, escape sequences included, and a title must not retitle the terminal.
 *
 * Return values (also inside promises), the arguments of callbacks (training events, progress) and the
 * messages of thrown errors are cleaned. An object is copied only when a string in it changes, so clean
 * data keeps its identity (React compares by reference).
 */
import { terminalSafe } from '../data/terminalText.js';
import type { AppServices } from './services.js';

function isPlainObject(x: object): boolean {
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** The value with every string made terminal-safe; the same value when nothing had to change. */
export function cleanValue<T>(value: T): T {
  return clean(value, 0) as T;
}

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return terminalSafe(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) {
    value.message = terminalSafe(value.message);
    return value;
  }
  if (typeof (value as { then?: unknown }).then === 'function') {
    return (value as Promise<unknown>).then(
      (v) => clean(v, depth + 1),
      (err: unknown) => {
        throw clean(err, depth + 1);
      },
    );
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      // numbers (loss curves, coordinates) are the bulk of what crosses: skip them fast
      if (typeof v === 'number') continue;
      const c = clean(v, depth + 1);
      if (c !== v) (copy ??= value.slice())[i] = c;
    }
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value; // typed arrays, class instances: left as they are
  let copy: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(value)) {
    const c = clean(v, depth + 1);
    if (c !== v) (copy ??= { ...(value as Record<string, unknown>) })[k] = c;
  }
  return copy ?? value;
}

/** Wraps callbacks handed to the services so what they are called with is cleaned too. */
function cleanArg(arg: unknown): unknown {
  if (typeof arg !== 'function') return arg;
  return (...args: unknown[]) => (arg as (...a: unknown[]) => unknown)(...args.map((a) => clean(a, 0)));
}

export function terminalSafeServices(services: AppServices): AppServices {
  // one wrapper per method (a stable identity for hooks' dependency lists), redone if the method is replaced
  const wrapped = new WeakMap<(...a: unknown[]) => unknown, (...a: unknown[]) => unknown>();
  return new Proxy(services, {
    get(target, key) {
      const member = Reflect.get(target, key) as unknown;
      if (typeof member !== 'function') return member;
      const method = member as (...a: unknown[]) => unknown;
      let fn = wrapped.get(method);
      if (!fn) {
        fn = (...args: unknown[]) => {
          try {
            return clean(Reflect.apply(method, target, args.map(cleanArg)), 0);
          } catch (err) {
            throw clean(err, 0);
          }
        };
        wrapped.set(method, fn);
      }
      return fn;
    },
  });
}
