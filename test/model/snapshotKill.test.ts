/**
 * kill -9 while saving: children force-save one snapshot in a loop and are SIGKILLed at
 * random moments. After each kill the snapshot must load completely (bit for bit one of the versions
 * written, never older than the last one reported saved) or, before the first save, be cleanly absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SnapshotError, listSnapshots, loadSnapshot } from '../../src/model/snapshot/index.js';
import { makeResult, sameWeights } from './snapshotFixtures.js';
import { KILL_FIXTURE } from './snapshotKillChild.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'snapshotKillChild.ts');
const LANES = Number(process.env.KILL_LANES ?? 2);
const TRIALS_PER_LANE = Number(process.env.KILL_TRIALS ?? 25);
/** A save of the fixture takes 30-120 ms: kill anywhere in the first few saves, including at once. */
const MAX_DELAY_MS = 250;

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(path.join(os.tmpdir(), 'factorlens-kill-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Child {
  proc: ChildProcessWithoutNullStreams;
  lines: string[];
  exited: Promise<void>;
  waitFor: (pred: (line: string) => boolean) => Promise<string>;
}

function startChild(name: string, first: number, mode: 'loop' | 'once' | 'once-force'): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, name, String(first), mode], { stdio: 'pipe' });
  const lines: string[] = [];
  const waiters: { pred: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  let buf = '';
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      lines.push(line);
      for (const w of waiters.splice(0)) (w.pred(line) ? w.resolve(line) : waiters.push(w));
    }
  });
  proc.stderr.resume();
  // 'close', not 'exit': only then has everything the child wrote to stdout been read
  const exited = new Promise<void>((resolve) => proc.once('close', () => resolve()));
  const waitFor = (pred: (l: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const hit = lines.find(pred);
      if (hit !== undefined) return resolve(hit);
      waiters.push({ pred, resolve });
      void exited.then(() => setTimeout(() => reject(new Error(`child exited; output: ${lines.join(' | ')}`)), 50));
    });
  return { proc, lines, exited, waitFor };
}

const savedVersions = (lines: string[]) => lines.filter((l) => l.startsWith('saved ')).map((l) => Number(l.slice(6)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Outcome = 'absent' | 'intact' | 'recovered';
const timing = { startup: 0, kill: 0, check: 0 };

async function runLane(lane: number): Promise<Outcome[]> {
  const name = `lane${lane}`;
  const outcomes: Outcome[] = [];
  let everPresent = false;
  /** The newest version known to be saved: reported by a child, or loaded after a kill. */
  let floor = -1;
  for (let trial = 0; trial < TRIALS_PER_LANE; trial++) {
    const first = (trial + 1) * 100_000;
    let t = Date.now();
    const child = startChild(name, first, 'loop');
    await child.waitFor((l) => l === 'ready');
    timing.startup += Date.now() - t;
    t = Date.now();
    await sleep(Math.random() * MAX_DELAY_MS);
    child.proc.kill('SIGKILL');
    await child.exited;
    const reported = savedVersions(child.lines);
    if (reported.length) floor = Math.max(floor, reported[reported.length - 1]);
    everPresent ||= reported.length > 0;

    timing.kill += Date.now() - t;
    t = Date.now();
    const entries = readdirSync(dir);
    const targetThere = entries.includes(name);
    const loaded = await loadSnapshot(name, { dir }).catch((err: unknown) => err as Error);
    if (loaded instanceof Error) {
      // before the first save the name may be cleanly absent; after it, never
      expect(loaded).toBeInstanceOf(SnapshotError);
      expect(loaded.message).toMatch(/no snapshot named/);
      expect(everPresent, `trial ${trial}: snapshot vanished after a save (${loaded.message})`).toBe(false);
      outcomes.push('absent');
    } else {
      const version = Number(/^version (\d+)$/.exec(loaded.manifest.training.message)?.[1]);
      const context = `trial ${trial}: loaded version ${version}, floor ${floor}, this child from ${first}`;
      // one version as written, never older than the last one known saved (a child may finish a save
      // and die before reporting it: that newer version is fine)
      expect(version >= floor && version < first + 100_000, context).toBe(true);
      floor = version;
      expect(sameWeights(loaded.weights, makeResult('dotbias', { ...KILL_FIXTURE, seed: version }).weights), context).toBe(true);
      outcomes.push(targetThere ? 'intact' : 'recovered');
      everPresent = true;
    }
    // list tidies what the killed child left behind and shows the snapshot unbroken
    const listed = (await listSnapshots(dir)).find((s) => s.name === name);
    if (everPresent) expect(listed?.error).toBeUndefined();
    expect(readdirSync(dir).filter((e) => e.startsWith(`.${name}.`))).toEqual([]);
    timing.check += Date.now() - t;
  }
  return outcomes;
}

describe('kill -9 while saving', () => {
  it(`leaves a complete snapshot or none, over ${LANES * TRIALS_PER_LANE} kills`, async () => {
    const started = Date.now();
    const outcomes = (await Promise.all(Array.from({ length: LANES }, (_, i) => runLane(i)))).flat();
    const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
    console.log(
      `kill test: ${outcomes.length} kills in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
        `${count('intact')} intact, ${count('recovered')} recovered from .old, ${count('absent')} absent before the first save; ms spent ${JSON.stringify(timing)}`,
    );
    expect(outcomes).toHaveLength(LANES * TRIALS_PER_LANE);
  }, 120_000);

  it('two processes saving one name at once: one wins, the other is told; with --force both succeed', async () => {
    for (const [mode, name] of [
      ['once', 'duel'],
      ['once-force', 'duel'],
    ] as const) {
      const kids = [startChild(name, mode === 'once' ? 1 : 3, mode), startChild(name, mode === 'once' ? 2 : 4, mode)];
      await Promise.all(kids.map((k) => k.waitFor((l) => l === 'ready')));
      for (const k of kids) k.proc.stdin.write('go\n');
      await Promise.all(kids.map((k) => k.exited));
      const results = kids.map((k) => k.lines.find((l) => l.startsWith('saved') || l.startsWith('error')) ?? 'nothing');
      if (mode === 'once') {
        expect(results.filter((r) => r.startsWith('saved'))).toHaveLength(1);
        expect(results.find((r) => r.startsWith('error'))).toMatch(/^error SnapshotError: a snapshot named "duel" already exists .*use --force/);
      } else {
        expect(results.every((r) => r.startsWith('saved')), results.join(' | ')).toBe(true);
      }
      const version = Number((await loadSnapshot(name, { dir })).manifest.training.message.split(' ')[1]);
      expect(mode === 'once' ? [1, 2] : [3, 4]).toContain(version);
    }
  }, 60_000);
});
