/**
 * Touch nothing that is not factorlens's: removing or replacing is allowed only for a folder that is
 * provably a factorlens snapshot (src/model/snapshot/ownership.ts). Through the CLI (`snapshots rm`,
 * `train --save --force`, `snapshots list` of a folder that is not a snapshots folder), the library,
 * and the app's Session (the Snapshots pane's d, save-over). Every refusal leaves the folder as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readFileSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listSnapshots, removeSnapshot, saveSnapshot, scanSnapshots } from '../../src/model/snapshot/index.js';
import { Session } from '../../src/model/runtime/session.js';
import { makeResult } from '../model/snapshotFixtures.js';
import { contents, deadPid, expectNoStack, expectRefusal, ml100kFolder, removeTemps, runCli, semaphore, tempDir, type Run } from './helpers.js';

const limited = semaphore(3);
const started = new Map<string, Promise<Run>>();
const cli = (id: string, args: string[], env: Record<string, string> = {}) => started.set(id, limited(() => runCli(args, env)));
const result = (id: string) => started.get(id)!;

let root: string;
let home: string; // a "home folder" someone points --snapshots at
let homeBefore: Record<string, string>;
let etc: string; // a folder of other programs' folders and files
let small: string;

/** A home-like folder: Documents with a file, a web app whose manifest.json is not ours, a note. */
function makeHome(dir: string): void {
  mkdirSync(path.join(dir, 'Documents', 't'), { recursive: true });
  writeFileSync(path.join(dir, 'Documents', 't', 'a'), 'x\n');
  mkdirSync(path.join(dir, 'webapp'));
  writeFileSync(path.join(dir, 'webapp', 'manifest.json'), '{"name": "my app", "version": "1.0"}');
  mkdirSync(path.join(dir, 'empty'));
  writeFileSync(path.join(dir, 'notes.txt'), 'keep me\n');
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = tempDir();
  home = path.join(root, 'home');
  makeHome(home);
  homeBefore = contents(home);
  etc = path.join(root, 'etc');
  for (const d of ['apt', 'ssh', 'X11', 'vim', 'xdg']) {
    mkdirSync(path.join(etc, d), { recursive: true });
    writeFileSync(path.join(etc, d, 'config'), `${d}\n`);
  }
  writeFileSync(path.join(etc, 'hostname'), 'box\n');
  small = ml100kFolder(root, 'small');
  const state = { XDG_STATE_HOME: path.join(root, 'state') };

  cli('rm-documents', ['snapshots', 'rm', 'Documents', '--snapshots', home], state);
  cli('rm-webapp', ['snapshots', 'rm', 'webapp', '--snapshots', home], state);
  cli('force-over-documents', ['train', '--data', small, '--epochs', '1', '--save', 'Documents', '--force', '--snapshots', home], state);
  cli('save-over-webapp', ['train', '--data', small, '--epochs', '1', '--save', 'webapp', '--snapshots', home], state);
  cli('list-home', ['snapshots', 'list', '--snapshots', home], state);
  cli('list-etc', ['snapshots', 'list', '--snapshots', etc], state);
  cli('list-etc-json', ['snapshots', 'list', '--snapshots', etc, '--json'], state);
  if (existsSync('/etc')) cli('list-real-etc', ['snapshots', 'list', '--snapshots', '/etc', '--json'], state);
});

afterAll(async () => {
  await Promise.allSettled(started.values());
  removeTemps();
});

describe('the CLI removes and replaces only factorlens snapshots', () => {
  it('snapshots rm of a folder that is not a snapshot: refused, named, left as it was', async () => {
    expectRefusal(await result('rm-documents'), [
      /cannot remove snapshot "Documents": "Documents" in .*home is not a factorlens snapshot \(it holds "t", which factorlens did not write\)/,
      /so it was left as it is/,
    ]);
    expectRefusal(await result('rm-webapp'), [/"webapp" .* is not a factorlens snapshot \(its manifest\.json is not one factorlens wrote\)/]);
    await Promise.all(['force-over-documents', 'save-over-webapp', 'list-home'].map(result));
    expect(contents(home)).toEqual(homeBefore);
  });

  it('train --save NAME --force over a folder that is not a snapshot: refused before training', async () => {
    const r = await result('force-over-documents');
    expectRefusal(r, [/cannot save snapshot "Documents": "Documents" in .* is not a factorlens snapshot/, /choose another name/]);
    expect(r.stderr).not.toMatch(/training/);
  });

  it('train --save NAME (no --force) over one: says it is not a snapshot, not "use --force"', async () => {
    const line = expectRefusal(await result('save-over-webapp'), [/"webapp" .* is not a factorlens snapshot/]);
    expect(line).not.toMatch(/--force/);
  });

  it('a folder of other programs\' folders is not a folder of broken snapshots', async () => {
    const r = await result('list-etc');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/BROKEN|snapshots rm/);
    expect(r.stderr).toMatch(/6 entries in .*etc are not factorlens snapshots and were left alone: X11, apt, hostname, ssh, vim and 1 more/);
    const j = JSON.parse((await result('list-etc-json')).stdout);
    expect(j.snapshots).toEqual([]);
    expect(j.others).toEqual(['X11', 'apt', 'hostname', 'ssh', 'vim', 'xdg']);
    const home = await result('list-home');
    expect(home.stdout + home.stderr).not.toMatch(/BROKEN|snapshots rm/);
  });

  it.skipIf(!existsSync('/etc'))('--snapshots /etc lists no broken snapshot and offers nothing to remove', async () => {
    const r = await result('list-real-etc');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).snapshots).toEqual([]);
    expect(r.stderr).not.toMatch(/snapshots rm/);
    expectNoStack(r.stderr);
  });
});

describe('the library: ownership decides, for rm, force and tidying alike', () => {
  /** A snapshots folder with one good snapshot `s`, then `edit` applied. */
  async function folderWith(edit: (dir: string, outside: string) => void): Promise<{ dir: string; outside: string }> {
    const dir = tempDir();
    const outside = tempDir();
    await saveSnapshot('s', makeResult('dot'), { dir });
    edit(dir, outside);
    return { dir, outside };
  }

  const foreign: [string, (dir: string, outside: string) => void, RegExp][] = [
    ['a snapshot someone put a file of their own in', (d) => writeFileSync(path.join(d, 's', 'notes.txt'), 'mine'), /it holds "notes\.txt", which factorlens did not write/],
    [
      'a symlink named like a snapshot, to a folder elsewhere',
      (d, outside) => {
        writeFileSync(path.join(outside, 'precious'), 'p');
        symlinkSync(outside, path.join(d, 'link'));
      },
      /it is a symbolic link/,
    ],
    ['a folder with a subfolder named weights.bin', (d) => mkdirSync(path.join(d, 'sub', 'weights.bin'), { recursive: true }), /its weights\.bin is a folder/],
    ['an empty folder', (d) => mkdirSync(path.join(d, 'empty')), /it has no manifest\.json/],
    [
      'a folder whose manifest.json is another program\'s',
      (d) => {
        mkdirSync(path.join(d, 'web'));
        writeFileSync(path.join(d, 'web', 'manifest.json'), '{"name":"x"}');
      },
      /its manifest\.json is not one factorlens wrote/,
    ],
  ];
  const nameOf = (label: string) => (label.startsWith('a snapshot someone') ? 's' : label.includes('symlink') ? 'link' : label.includes('subfolder') ? 'sub' : label.includes('empty') ? 'empty' : 'web');

  for (const [label, edit, why] of foreign) {
    it(`refuses to remove or replace ${label}, and leaves it as it was`, async () => {
      const { dir, outside } = await folderWith(edit);
      const name = nameOf(label);
      const before = [contents(dir), contents(outside)];
      await expect(removeSnapshot(name, dir)).rejects.toThrow(why);
      await expect(saveSnapshot(name, makeResult('dot'), { dir, force: true })).rejects.toThrow(/is not a factorlens snapshot/);
      await expect(saveSnapshot(name, makeResult('dot'), { dir })).rejects.toThrow(/is not a factorlens snapshot .*choose another name/);
      await listSnapshots(dir); // tidying must not touch it either
      expect([contents(dir), contents(outside)]).toEqual(before);
    });
  }

  it('removes factorlens\'s own snapshots however damaged: truncated weights, no model.json, a manifest cut short', async () => {
    const dir = tempDir();
    for (const n of ['cut', 'nomodel', 'short']) await saveSnapshot(n, makeResult('dot'), { dir });
    truncateSync(path.join(dir, 'cut', 'weights.bin'), 3);
    unlinkSync(path.join(dir, 'nomodel', 'model.json'));
    truncateSync(path.join(dir, 'short', 'manifest.json'), 30); // '{ "format": "factorlens-snaps': still says whose it is
    expect((await listSnapshots(dir)).map((s) => [s.name, Boolean(s.error)])).toEqual([['cut', true], ['nomodel', true], ['short', true]]);
    for (const n of ['cut', 'nomodel', 'short']) await removeSnapshot(n, dir);
    expect(contents(dir)).toEqual({});
  });

  it('leaves a hidden folder named like an abandoned save alone when it holds what factorlens never writes', async () => {
    const dir = tempDir();
    const t = Date.now() - 2 * 3600_000;
    for (const kind of ['tmp', 'old', 'rm']) {
      const work = path.join(dir, `.x.${kind}-${t}-${deadPid()}-abcd1234`);
      mkdirSync(work);
      writeFileSync(path.join(work, 'thesis.tex'), 'years of work');
    }
    const before = contents(dir);
    const scan = await scanSnapshots(dir);
    expect(scan.snapshots).toEqual([]);
    await expect(removeSnapshot('x', dir)).rejects.toThrow(/no snapshot named "x"/);
    expect(contents(dir)).toEqual(before);
  });

  it('still tidies its own abandoned working folders', async () => {
    const dir = tempDir();
    await saveSnapshot('s', makeResult('dot'), { dir });
    const work = path.join(dir, `.s.tmp-${Date.now()}-${deadPid()}-abcd1234`);
    mkdirSync(work);
    writeFileSync(path.join(work, 'weights.bin'), 'half');
    await listSnapshots(dir);
    expect(Object.keys(contents(dir)).filter((e) => e.startsWith('.'))).toEqual([]);
  });
});

describe('the app (Session): delete and save-over follow the same rule', () => {
  it('d on a name that is not a snapshot is refused; save-over with force is refused', async () => {
    const dir = tempDir();
    makeHome(dir);
    await saveSnapshot('mine', makeResult('dotbias'), { dir });
    const before = contents(dir);
    const session = new Session({ snapshotsDir: dir });
    expect((await session.listSnapshots()).map((s) => s.name)).toEqual(['mine']);
    await expect(session.removeSnapshot('Documents')).rejects.toThrow(/"Documents" in .* is not a factorlens snapshot .*left as it is/);
    await session.loadSnapshot('mine');
    await expect(session.saveSnapshot('Documents', { force: true })).rejects.toThrow(/is not a factorlens snapshot/);
    expect(contents(dir)).toEqual(before);
    expect(readFileSync(path.join(dir, 'Documents', 't', 'a'), 'utf8')).toBe('x\n');
  });
});

describe('siblings: other places factorlens writes over something', () => {
  it('export (CLI --out, the app\'s e) never overwrites a vectors.tsv / metadata.tsv it did not write', async () => {
    const { writeProjectorFiles } = await import('../../src/model/interpret/projector.js');
    const r = makeResult('dotbias');
    const dir = tempDir();
    writeFileSync(path.join(dir, 'vectors.tsv'), 'my own research data\n');
    await expect(writeProjectorFiles(dir, r.weights, r.vocab)).rejects.toThrow(/vectors\.tsv already exists and is not an export of factorlens's; it was left as it is/);
    expect(readFileSync(path.join(dir, 'vectors.tsv'), 'utf8')).toBe('my own research data\n');
    expect(existsSync(path.join(dir, 'metadata.tsv'))).toBe(false);
    const again = tempDir();
    await writeProjectorFiles(again, r.weights, r.vocab);
    await writeProjectorFiles(again, r.weights, r.vocab); // an earlier export of ours is replaced
  });
});
