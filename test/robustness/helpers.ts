/**
 * Shared by the robustness suite: temp folders it owns, the real CLI spawned through tsx, a small
 * concurrency pool, and the assertions every bad-input case makes (one line, non-zero, no stack).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync, mkdirSync, existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';

const owned: string[] = [];

/** A fresh folder under the OS temp dir; removeTemps() deletes only the ones made here. */
export function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'fl-robust-'));
  owned.push(d);
  return d;
}

export function removeTemps(): void {
  for (const d of owned.splice(0)) rmSync(d, { recursive: true, force: true });
  stateHome = undefined;
}

/** Writes `files` (string = UTF-8, Uint8Array = raw bytes) into a new folder `name` under `root`. */
export function writeFolder(root: string, name: string, files: Record<string, string | Uint8Array>): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, content] of Object.entries(files)) writeFileSync(path.join(dir, f), content);
  return dir;
}

/** Every entry below `dir` (relative paths, sorted), to show that nothing was written half-way. */
export function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) return ['<file>'];
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      out.push(r);
      if (e.isDirectory()) walk(path.join(d, e.name), r);
    }
  };
  walk(dir, '');
  return out.sort();
}

// ---- MovieLens-shaped fixtures (synthetic: MovieLens files never enter the repo) -------------------

export const latin1 = (s: string) => Buffer.from(s, 'latin1');

/** u.item line: id|title|date||url|19 genre flags. */
export function uItemLine(id: number, title: string): string {
  return [String(id), title, '01-Jan-1995', '', 'http://example.invalid/', ...Array.from({ length: 19 }, (_, g) => (g === 8 ? '1' : '0'))].join('|');
}

/** A u.item (latin-1) for items 1..n. */
export function uItem(n: number): Uint8Array {
  return latin1(Array.from({ length: n }, (_, k) => uItemLine(k + 1, k === 1 ? 'Misérables, Les (1995)' : `Movie ${k + 1} (199${k % 10})`)).join('\n') + '\n');
}

/** Deterministic u.data with `users` × `items`, about 60 % of pairs rated (enough to split and train). */
export function uData(users = 30, items = 20): string {
  const lines: string[] = [];
  let t = 881250949;
  for (let u = 1; u <= users; u++) {
    for (let i = 1; i <= items; i++) {
      if ((u * 7 + i * 13) % 5 < 3) lines.push(`${u}\t${i}\t${1 + ((u + 2 * i) % 5)}\t${t++}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** A valid small ML-100K-style folder; override any file. */
export function ml100kFolder(root: string, name: string, over: Record<string, string | Uint8Array> = {}): string {
  return writeFolder(root, name, { 'u.data': uData(), 'u.item': uItem(20), ...over });
}

// ---- the CLI ------------------------------------------------------------------------------------

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

const MAIN = path.resolve('src/cli/main.ts');
let stateHome: string | undefined;

/**
 * Runs `factorlens ARGS` from source (tsx), stdin and stdout not a TTY. The environment is cleared of
 * the user's data/snapshot settings; `env` adds to it (undefined removes).
 */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 90_000): Promise<Run> {
  // a save that fails keeps its model under $XDG_STATE_HOME: never the real one from a test
  stateHome ??= tempDir();
  const full: NodeJS.ProcessEnv = { ...process.env, FACTORLENS_DATA: undefined, FACTORLENS_SNAPSHOTS: undefined, FACTORLENS_DEBUG: undefined, NO_COLOR: '1', XDG_STATE_HOME: stateHome, ...env };
  for (const k of Object.keys(full)) if (full[k] === undefined) delete full[k];
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', MAIN, ...args],
      { env: full, timeout: timeoutMs, maxBuffer: 32 << 20, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr, ms: Date.now() - t0 });
      },
    );
    child.stdin?.end();
  });
}

/** At most `limit` of the wrapped jobs run at once; the others wait in the order they were wrapped. */
export function semaphore(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (job) => {
    // a finishing job hands its slot straight to the next waiter, so the limit is never exceeded
    if (active >= limit) await new Promise<void>((r) => waiting.push(r));
    else active++;
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** No stack frames, no "SomethingError:" prefixes, no "internal error". */
export function expectNoStack(text: string): void {
  expect(text).not.toMatch(/^\s+at .+[(:]/m);
  expect(text).not.toMatch(/\b\w*Error:/);
  expect(text).not.toMatch(/internal error/);
}

/**
 * The shape of every refusal: a non-zero exit, exactly one `factorlens: …` line on stderr, each
 * pattern in it, nothing on stdout. With onlyLine false (a refusal after training or downloading
 * started) progress may come first and the epoch table may be on stdout: the error is the last line.
 */
export function expectRefusal(r: Run, patterns: RegExp[], opts: { onlyLine?: boolean } = {}): string {
  const context = `exit ${r.code}\nstderr: ${r.stderr}\nstdout: ${r.stdout.slice(0, 500)}`;
  expect(r.code, context).not.toBe(0);
  expect(r.code, context).toBeGreaterThan(0); // not killed by the timeout
  const lines = r.stderr.replace(/\r/g, '\n').split('\n').filter((l) => l.trim() !== '');
  const errors = lines.filter((l) => l.startsWith('factorlens: '));
  expect(errors, context).toHaveLength(1);
  expect(lines.at(-1), context).toBe(errors[0]);
  if (opts.onlyLine !== false) expect(lines, context).toHaveLength(1);
  for (const p of patterns) expect(errors[0], context).toMatch(p);
  if (opts.onlyLine !== false) expect(r.stdout, context).toBe('');
  expectNoStack(r.stderr);
  return errors[0];
}

/** The in-process twin: a user error (its message is what the CLI prints after "factorlens: "), one line. */
export async function expectUserError(fn: () => unknown, patterns: RegExp[], names = ['DataError', 'ModelError', 'UsageError', 'SnapshotError', 'DownloadError']): Promise<string> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected a refusal').toBeInstanceOf(Error);
  const e = caught as Error;
  expect(names, `${e.name}: ${e.message}`).toContain(e.name);
  expect(e.message).not.toMatch(/\n/);
  for (const p of patterns) expect(e.message).toMatch(p);
  return e.message;
}

/** Every entry below `dir` with what it holds (file text, "<dir>", "<link to …>"): "left as it was" means equal. */
export function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) out[r] = `<link to ${readlinkSync(p)}>`;
      else if (e.isDirectory()) {
        out[r] = '<dir>';
        walk(p, r);
      } else if (e.isFile()) out[r] = readFileSync(p, 'latin1');
      else out[r] = '<special>';
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return out;
}

/** A pid that is surely not running (a child that already exited). */
export function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}
