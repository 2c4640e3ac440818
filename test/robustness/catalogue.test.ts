/**
 * Issue #9's catalogue of bad inputs: each case is one test that feeds the real CLI (spawned through
 * tsx) or the library function something wrong and asserts one clear line (what, where, how to fix),
 * a non-zero exit, no stack trace, and nothing written half-way. CATALOGUE.md lists every case, with
 * the older tests in test/data and test/model this one relies on.
 *
 * CLI runs are started together in beforeAll, at most LIMIT at once, and each test awaits its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, readFileSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadDataset, makeSplit } from '../../src/data/index.js';
import { testDataDir } from '../helpers/data.js';
import {
  expectNoStack,
  expectRefusal,
  expectUserError,
  latin1,
  ml100kFolder,
  removeTemps,
  runCli,
  semaphore,
  tempDir,
  tree,
  uData,
  uItem,
  writeFolder,
  type Run,
} from './helpers.js';

const LIMIT = 3;
const limited = semaphore(LIMIT);
const ML = testDataDir();

let root: string;
let small: string; // a valid ~360-rating ML-100K-style folder: trains in milliseconds
let snaps: string; // the tiny ML-100K snapshot lives here
let server: http.Server;
let base: string;
let closedPort: number;
const started = new Map<string, Promise<Run>>();

/** Starts a CLI run now (within the limit); `after` delays it until another promise settles. */
function cli(id: string, args: string[], env: Record<string, string | undefined> = {}, after?: Promise<unknown>): void {
  started.set(id, (after ?? Promise.resolve()).then(() => limited(() => runCli(args, env))));
}
function result(id: string): Promise<Run> {
  const r = started.get(id);
  if (!r) throw new Error(`no CLI run "${id}"`);
  return r;
}

/** A snapshot copy under a new name, damaged by `edit` (after the tiny snapshot exists). */
function damagedCopy(name: string, edit: (dir: string) => void): Promise<void> {
  return result('tiny').then(() => {
    const dir = path.join(snaps, name);
    cpSync(path.join(snaps, 'tiny'), dir, { recursive: true });
    edit(dir);
  });
}

const hpSnaps = () => path.join(root, 'hp-snaps');
// the cases sharing this folder run at once: another's write test (a few ms, then removed) may be there
const WRITE_TEST = /(^|\/)\.factorlens-write-test-/;
const noSnapshotWritten = () => expect(tree(hpSnaps()).filter((f) => !WRITE_TEST.test(f))).toEqual([]);

beforeAll(async () => {
  root = tempDir();
  small = ml100kFolder(root, 'small');
  snaps = path.join(root, 'snaps');

  const zipLike = Buffer.from('PK\u0003\u0004 not really a zip');
  server = http.createServer((req, res) => {
    if (req.url?.startsWith('/fail/')) {
      res.writeHead(500, 'Internal Server Error');
      res.end('boom');
    } else {
      res.writeHead(200, { 'content-length': zipLike.length });
      res.end(zipLike);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // a port that was just free: nothing listens there any more
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));

  const S = { FACTORLENS_SNAPSHOTS: snaps };
  const H = { FACTORLENS_SNAPSHOTS: hpSnaps() };
  // first: the snapshot the title and snapshot cases need, and the slow ML-100K runs
  cli('tiny', ['train', '--data', ML, '--split', 'u1', '--epochs', '1', '--bs', '4096', '--save', 'tiny'], S);
  cli('diverge', ['train', '--data', ML, '--split', 'u1', '--lr', '10', '--bs', '2048', '--epochs', '2', '--save', 'div', '--json'], { FACTORLENS_SNAPSHOTS: path.join(root, 'div-snaps') });
  started.set(
    'race',
    limited(() => Promise.all([0, 1].map(() => runCli(['train', '--data', small, '--epochs', '1', '--save', 'same'], { FACTORLENS_SNAPSHOTS: path.join(root, 'race') })))).then(
      (rs) => ({ code: 0, stdout: JSON.stringify(rs), stderr: '', ms: 0 }),
    ),
  );
  started.set(
    'race-force',
    limited(() =>
      Promise.all([0, 1].map(() => runCli(['train', '--data', small, '--epochs', '1', '--save', 'same', '--force'], { FACTORLENS_SNAPSHOTS: path.join(root, 'race-force') }))),
    ).then((rs) => ({ code: 0, stdout: JSON.stringify(rs), stderr: '', ms: 0 })),
  );

  // data files through the CLI (the rest of the data cases run in-process below)
  cli('empty', ['data', 'info', '--data', ml100kFolder(root, 'empty', { 'u.data': '' })]);
  cli('binary', ['data', 'info', '--data', ml100kFolder(root, 'binary', { 'u.data': Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x12, 0x34, 0x0a, 0x00, 0xff, 0x09]) })]);
  cli('utf16-items', ['data', 'info', '--data', ml100kFolder(root, 'utf16-items', { 'u.item': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('1|Toy Story (1995)|x\n', 'utf16le')]) })]);
  cli('nonnumeric-rating', ['data', 'info', '--data', ml100kFolder(root, 'nonnumeric-rating', { 'u.data': '1\t1\t5\t0\n2\t1\tfive\t0\n' })]);
  cli('duplicates', ['data', 'info', '--json', '--data', ml100kFolder(root, 'duplicates', { 'u.data': '1\t1\t1\t10\n1\t2\t3\t11\n2\t1\t4\t12\n2\t2\t2\t13\n1\t1\t5\t14\n' })]);
  cli('too-small', ['train', '--data', ml100kFolder(root, 'too-small', { 'u.data': '1\t1\t5\t0\n' }), '--save', 'x'], H);
  cli('canonical-split-elsewhere', ['train', '--data', writeFolder(root, 'generic', { 'ratings.csv': 'user,item,rating\na,x,4\nb,x,3\na,y,5\n' }), '--split', 'u1'], H);

  // every invalid hyperparameter the issue names, through the real flag parsing and validation
  const hp: [string, string[]][] = [
    ['factors-0', ['--factors', '0']],
    ['lr-negative', ['--lr', '-1']],
    ['epochs-0', ['--epochs', '0']],
    ['bs-0', ['--bs', '0']],
    ['y-range-reversed', ['--y-range', '5,1']],
    ['y-range-empty', ['--y-range', '3,3']],
    ['model-unknown', ['--model', 'svd']],
    ['layers-bad', ['--model', 'nn', '--layers', '100,,50']],
    ['split-unknown', ['--split', 'u9']],
    ['valid-pct-out', ['--valid-pct', '1.5']],
  ];
  for (const [id, flags] of hp) cli(id, ['train', '--data', small, ...flags, '--save', 'hp'], H);

  // titles, against the tiny snapshot
  const tiny = result('tiny');
  const rec = (id: string, ...rates: string[]) =>
    cli(id, ['recommend', '--snapshot', 'tiny', ...rates.flatMap((r) => ['--rate', r])], S, tiny);
  rec('rec-unknown', 'Qwxyzzy Plonk (1901)=5');
  rec('rec-ambiguous', 'Sabrina=4');
  rec('rec-empty', '=5');
  rec('rec-scale', 'Star Wars (1977)=7');
  rec('rec-twice', 'Star Wars (1977)=5', 'star wars=4');
  cli('sim-unknown', ['similar', '--snapshot', 'tiny', 'Qwxyzzy Plonk'], S, tiny);
  cli('sim-ambiguous', ['similar', '--snapshot', 'tiny', 'Cape Fear'], S, tiny);
  cli('sim-empty', ['similar', '--snapshot', 'tiny', '   '], S, tiny);

  // snapshots: missing, damaged copies of the tiny one, bad names, unwritable folders
  const sim = (id: string, name: string, after?: Promise<unknown>) => cli(id, ['similar', '--snapshot', name, 'Star Wars (1977)'], S, after ?? tiny);
  sim('snap-missing', 'nosuch');
  sim('snap-truncated', 'truncated', damagedCopy('truncated', (d) => truncateSync(path.join(d, 'weights.bin'), 1000)));
  sim(
    'snap-edited',
    'edited',
    damagedCopy('edited', (d) => {
      const f = path.join(d, 'manifest.json');
      writeFileSync(f, readFileSync(f, 'utf8').replace('"Star Wars (1977)"', '"Star Wars (1978)"'));
    }),
  );
  sim(
    'snap-newer',
    'newer',
    damagedCopy('newer', (d) => {
      const f = path.join(d, 'manifest.json');
      writeFileSync(f, readFileSync(f, 'utf8').replace(/"formatVersion": \d+/, '"formatVersion": 99'));
    }),
  );
  sim(
    'snap-foreign',
    'foreign',
    damagedCopy('foreign', (d) => writeFileSync(path.join(d, 'manifest.json'), JSON.stringify({ modelTopology: { class_name: 'Sequential' }, weightsManifest: [] }))),
  );
  sim('snap-incomplete', 'incomplete', damagedCopy('incomplete', (d) => unlinkSync(path.join(d, 'model.json'))));
  cli('snap-bad-name', ['similar', '--snapshot', '../tiny', 'Star Wars (1977)'], S, tiny);
  const aFile = path.join(root, 'not-a-folder');
  writeFileSync(aFile, 'precious\n');
  cli('snaps-is-file', ['train', '--data', small, '--epochs', '1', '--save', 'x', '--snapshots', aFile]);
  cli('snaps-under-file', ['train', '--data', small, '--epochs', '1', '--save', 'x', '--snapshots', path.join(aFile, 'sub')]);
  cli('save-bad-name', ['train', '--data', small, '--epochs', '1', '--save', '../x'], H);
  cli('save-taken', ['train', '--data', ML, '--epochs', '1', '--save', 'tiny'], S, tiny);

  // downloads
  cli('download-offline', ['data', 'download', '--dest', path.join(root, 'dl-offline')], { FACTORLENS_DOWNLOAD_URL: `http://127.0.0.1:${closedPort}/` });
  cli('download-500', ['data', 'download', '--dest', path.join(root, 'dl-500')], { FACTORLENS_DOWNLOAD_URL: `${base}/fail/` });
  cli('download-not-zip', ['data', 'download', '--dest', path.join(root, 'dl-notzip')], { FACTORLENS_DOWNLOAD_URL: `${base}/ok/` });

  // the door
  cli('bare-non-tty', []);
  cli('unknown-command', ['frobnicate']);
});

afterAll(async () => {
  // every started run is awaited, even if a test failed early, before its folders go
  await Promise.allSettled(started.values());
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  removeTemps();
});

// ---- data files -------------------------------------------------------------------------------

describe('data files', () => {
  it('empty u.data (CLI): names the file, exit 1', async () => {
    expectRefusal(await result('empty'), [/u\.data is empty/, /empty[/\\]u\.data/]);
  });

  it('truncated u.data (cut mid-line): line number, field count, "truncated line?"', async () => {
    const text = uData();
    const dir = ml100kFolder(tempDir(), 'cut', { 'u.data': text.slice(0, text.indexOf('\n', 200) + 4) });
    await expectUserError(() => loadDataset(dir), [/u\.data line \d+: expected 4 TAB-separated fields \(user, item, rating, timestamp\), got [123]/]);
  });

  it('truncated u.item (cut mid-line): line number and the 24 fields expected', async () => {
    const items = Buffer.from(uItem(20));
    const dir = ml100kFolder(tempDir(), 'cut-items', { 'u.item': items.subarray(0, items.indexOf(0x0a, 300) + 10) });
    await expectUserError(() => loadDataset(dir), [/u\.item line \d+: expected 24 \|-separated fields/]);
  });

  it('binary u.data (CLI: gzip bytes): says binary, not a field count', async () => {
    const line = expectRefusal(await result('binary'), [/u\.data line 1/, /binary/, /--data/]);
    expect(line).not.toMatch(/fields/);
  });

  it('u.data in UTF-16: says UTF-16 and how to convert it', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(uData(), 'utf16le')]);
    const dir = ml100kFolder(tempDir(), 'utf16', { 'u.data': utf16 });
    await expectUserError(() => loadDataset(dir), [/u\.data line 1: .*NUL bytes/, /UTF-16/, /iconv/]);
  });

  it('u.item in UTF-16 (CLI): refused with the encoding named', async () => {
    expectRefusal(await result('utf16-items'), [/u\.item is UTF-16/, /expected ISO-8859-1/, /iconv/]);
  });

  it('movies.csv in latin-1 where UTF-8 is expected: read as latin-1, with a warning', async () => {
    const dir = writeFolder(tempDir(), 'latest', {
      'ratings.csv': 'userId,movieId,rating,timestamp\n1,1,4.5,0\n2,1,3,0\n',
      'movies.csv': latin1('movieId,title,genres\n1,"Misérables, Les (1995)",Drama\n'),
    });
    const ds = await loadDataset(dir);
    expect(ds.titles[0]).toBe('Misérables, Les (1995)');
    expect(ds.warnings.join('\n')).toMatch(/movies\.csv is not valid UTF-8; read it as latin-1/);
  });

  it('a line with a missing field', async () => {
    const dir = ml100kFolder(tempDir(), 'missing', { 'u.data': '1\t1\t5\t0\n1\t2\t4\n' });
    await expectUserError(() => loadDataset(dir), [/u\.data line 2: expected 4 TAB-separated fields .* got 3 \(truncated line\?\): "1\\t2\\t4"/]);
  });

  it('a line with an extra field', async () => {
    const dir = ml100kFolder(tempDir(), 'extra', { 'u.data': '1\t1\t5\t0\t7\n' });
    await expectUserError(() => loadDataset(dir), [/u\.data line 1: expected 4 TAB-separated fields .* got 5/]);
  });

  it('a generic CSV line with too few fields', async () => {
    const dir = writeFolder(tempDir(), 'gen', { 'ratings.csv': 'user,item,rating\nu1,m1,4\nu2,m2\n' });
    await expectUserError(() => loadDataset(dir), [/ratings\.csv line 3: expected 3 or 4 comma-separated fields/]);
  });

  it('a non-numeric user id', async () => {
    const dir = ml100kFolder(tempDir(), 'user', { 'u.data': 'u7\t1\t5\t0\n' });
    await expectUserError(() => loadDataset(dir), [/u\.data line 1: user id "u7" is not a whole number/]);
  });

  it('a non-numeric item id', async () => {
    const dir = ml100kFolder(tempDir(), 'item', { 'u.data': '1\t1\t5\t0\n1\tx2\t5\t0\n' });
    await expectUserError(() => loadDataset(dir), [/u\.data line 2: item id "x2" is not a whole number/]);
  });

  it('a non-numeric rating (CLI)', async () => {
    expectRefusal(await result('nonnumeric-rating'), [/u\.data line 2: rating "five" is not a number/]);
  });

  it('a generic rating that is not a finite number ("1e999", "NaN")', async () => {
    for (const bad of ['1e999', 'NaN']) {
      const dir = writeFolder(tempDir(), 'gen', { 'ratings.tsv': `u1\tm1\t4\nu2\tm1\t${bad}\n` });
      await expectUserError(() => loadDataset(dir), [new RegExp(`ratings\\.tsv line 2: rating "${bad}" is not a number`)]);
    }
  });

  it('ratings outside the scale (6, 0, -1 on 1..5 stars)', async () => {
    for (const bad of ['6', '0', '-1']) {
      const dir = ml100kFolder(tempDir(), 'scale', { 'u.data': `1\t1\t5\t0\n1\t2\t${bad}\t0\n` });
      await expectUserError(() => loadDataset(dir), [new RegExp(`u\\.data line 2: rating ${bad} is outside the scale 1\\.\\.5 in whole stars`)]);
    }
  });

  it('duplicate (user, movie) pairs (CLI): the last rating wins, data info warns', async () => {
    const r = await result('duplicates');
    expect(r.code, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.ratings).toBe(4);
    // (1,1) was rated 1 then 5: the 1 is gone, the 5 is kept
    expect(info.histogram).toEqual([
      { rating: 2, count: 1 },
      { rating: 3, count: 1 },
      { rating: 4, count: 1 },
      { rating: 5, count: 1 },
    ]);
    expect(info.warnings).toHaveLength(1);
    expect(info.warnings[0]).toMatch(/1 duplicate \(user, item\) rating \(first: user 1, item 1\); kept the last rating of each pair/);
  });

  it('a ratings file of blank lines only', async () => {
    const dir = ml100kFolder(tempDir(), 'blank', { 'u.data': '\n\n\n' });
    await expectUserError(() => loadDataset(dir), [/u\.data has no ratings/]);
  });

  it('a dataset too small to split (CLI train): refused before training, nothing saved', async () => {
    expectRefusal(await result('too-small'), [/too-small is too small to split: 1 rating\(s\), 1 user\(s\), 1 item\(s\)/]);
    noSnapshotWritten();
  });

  it('a canonical split asked of a dataset without the split files (CLI)', async () => {
    expectRefusal(await result('canonical-split-elsewhere'), [/split u1 needs u1\.base and u1\.test/, /use the random split instead/]);
  });

  it('a binary (UTF-16) split file: named as such', async () => {
    const text = uData();
    const lines = text.trim().split('\n');
    const dir = ml100kFolder(tempDir(), 'split', {
      'u.data': text,
      'u1.base': lines.slice(0, 300).join('\n') + '\n',
      'u1.test': Buffer.from(lines.slice(300).join('\n') + '\n', 'utf16le'),
    });
    const ds = await loadDataset(dir);
    await expectUserError(() => makeSplit(ds, 'u1'), [/u1\.test line 1: .*NUL bytes/, /UTF-16/]);
  });
});

// ---- hyperparameters ----------------------------------------------------------------------------

describe('invalid hyperparameters (CLI train; nothing trained, nothing saved)', () => {
  const cases: [string, RegExp[]][] = [
    ['factors-0', [/--factors must be a whole number from 1 to 1024, got "0"/]],
    ['lr-negative', [/lr must be a number above 0 and at most 10, got -1/]],
    ['epochs-0', [/--epochs must be a whole number from 1 to 1000, got "0"/]],
    ['bs-0', [/--bs must be a whole number from 1 to 65536, got "0"/]],
    ['y-range-reversed', [/y_range must be two numbers low,high with low < high, got \[5,1\]/]],
    ['y-range-empty', [/y_range .* low < high, got \[3,3\]/]],
    ['model-unknown', [/unknown model "svd": choose one of dot, dotbias, nn/]],
    ['layers-bad', [/--layers must be comma-separated positive whole numbers like 100,50, got "100,,50"/]],
    ['split-unknown', [/unknown split "u9": use random, u1\.\.u5, ua, ub, time, cv5/]],
    ['valid-pct-out', [/valid_pct must be between 0 and 1 \(exclusive\), got 1\.5/]],
  ];
  for (const [id, patterns] of cases) {
    it(id, async () => {
      expectRefusal(await result(id), patterns);
      noSnapshotWritten();
    });
  }
  it('once every refused run has ended, not even a write test is left in the folder', async () => {
    await Promise.all([...cases.map(([id]) => id), 'too-small', 'canonical-split-elsewhere', 'save-bad-name'].map((id) => result(id)));
    expect(tree(hpSnaps())).toEqual([]);
  });
});

describe('an lr that diverges', () => {
  it('train --lr 10 (CLI): detected within the first epoch, "too high", exit 1, nothing saved', async () => {
    const r = await result('diverge');
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.reason).toBe('diverged');
    expect(out.epochs).toEqual([]); // stopped at the end of epoch 1, keeping the untrained weights
    expect(out.message).toMatch(/after epoch 1 .*lr 10 is too high; kept the weights of epoch 0/);
    expect(out.snapshot).toBeNull();
    expect(r.stderr).toMatch(/lr 10 is too high/);
    expect(r.stderr).toMatch(/not saved: training diverged/);
    expectNoStack(r.stderr);
    expect(tree(path.join(root, 'div-snaps'))).toEqual([]);
  });
});

// ---- titles -------------------------------------------------------------------------------------

describe('titles in recommend / similar (tiny ML-100K snapshot)', () => {
  it('the tiny snapshot trained and saved', async () => {
    const r = await result('tiny');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/saved snapshot tiny/);
  });
  it('recommend: unknown title, with the closest ones', async () => {
    expectRefusal(await result('rec-unknown'), [/unknown title "Qwxyzzy Plonk \(1901\)"; (closest: .+|no title comes close)/]);
  });
  it('recommend: ambiguous title lists the candidates', async () => {
    expectRefusal(await result('rec-ambiguous'), [/ambiguous title "Sabrina": did you mean: Sabrina \(1995\); Sabrina \(1954\)/]);
  });
  it('recommend: empty title', async () => {
    expectRefusal(await result('rec-empty'), [/--rate expects "TITLE=STARS", e\.g\. --rate "Star Wars \(1977\)=5", got "=5"/]);
  });
  it('recommend: a rating outside the model scale', async () => {
    expectRefusal(await result('rec-scale'), [/rating 7 for "Star Wars \(1977\)" is outside this model's scale \(1 to 5\)/]);
  });
  it('recommend: the same movie rated twice under two spellings', async () => {
    expectRefusal(await result('rec-twice'), [/"star wars" and "Star Wars \(1977\)" are the same movie .*rate it once/]);
  });
  it('similar: unknown title', async () => {
    expectRefusal(await result('sim-unknown'), [/unknown title "Qwxyzzy Plonk"/]);
  });
  it('similar: ambiguous title', async () => {
    expectRefusal(await result('sim-ambiguous'), [/ambiguous title "Cape Fear": did you mean: Cape Fear \(1991\); Cape Fear \(1962\)/]);
  });
  it('similar: empty (blank) title', async () => {
    expectRefusal(await result('sim-empty'), [/empty title: type part of a movie title/]);
  });
});

// ---- snapshots ----------------------------------------------------------------------------------

describe('snapshots through the CLI', () => {
  it('missing: says where it looked and how to list', async () => {
    expectRefusal(await result('snap-missing'), [/no snapshot named "nosuch" in .*snaps/, /factorlens snapshots list/]);
  });
  it('truncated weights', async () => {
    expectRefusal(await result('snap-truncated'), [/snapshot "truncated" at .*is damaged: weights\.bin has 1000 bytes where manifest\.json says \d+/, /factorlens snapshots rm truncated/]);
  });
  it('edited manifest (a title changed by hand)', async () => {
    expectRefusal(await result('snap-edited'), [/snapshot "edited" at .*manifest\.json was changed after saving/, /snapshots rm edited/]);
  });
  it('newer format version: says to upgrade', async () => {
    expectRefusal(await result('snap-newer'), [/snapshot "newer" .*newer factorlens \(format 99\); upgrade factorlens/]);
  });
  it('foreign folder (a tfjs model.json where the manifest should be)', async () => {
    expectRefusal(await result('snap-foreign'), [/snapshot "foreign" .*is not a factorlens snapshot/]);
  });
  it('incomplete (model.json deleted)', async () => {
    expectRefusal(await result('snap-incomplete'), [/snapshot "incomplete" .*is incomplete: model\.json is missing/]);
  });
  it('a name that is a path', async () => {
    expectRefusal(await result('snap-bad-name'), [/snapshot name "\.\.\/tiny" contains a path separator/]);
  });
  it('the damaged copies never hurt the original: tiny still loads', async () => {
    await Promise.all(['snap-truncated', 'snap-edited', 'snap-newer', 'snap-foreign', 'snap-incomplete'].map(result));
    const r = await limited(() => runCli(['snapshots', 'list', '--json'], { FACTORLENS_SNAPSHOTS: snaps }));
    expect(r.code, r.stderr).toBe(0);
    const { snapshots: list, others } = JSON.parse(r.stdout) as { snapshots: { name: string; error?: string }[]; others: string[] };
    expect(list.find((s) => s.name === 'tiny')?.error).toBeUndefined();
    expect(list.filter((s) => s.error).map((s) => s.name).sort()).toEqual(['edited', 'incomplete', 'newer', 'truncated']);
    // a tfjs model.json as manifest does not show the folder is factorlens's: not a broken snapshot, left alone
    expect(others).toEqual(['foreign']);
    expect(tree(snaps).filter((e) => e.startsWith('.'))).toEqual([]);
  });
  it('snapshots "folder" that is a regular file: refused before training, the file untouched', async () => {
    expectRefusal(await result('snaps-is-file'), [/cannot save snapshot "x": the snapshots folder .*not-a-folder is a file; choose another folder with --snapshots/]);
    expect(readFileSync(path.join(root, 'not-a-folder'), 'utf8')).toBe('precious\n');
  });
  it('snapshots folder under a file: refused before training', async () => {
    expectRefusal(await result('snaps-under-file'), [/cannot save snapshot "x": .*not-a-folder is a file, so the snapshots folder .*not-a-folder[/\\]sub cannot be made/]);
  });
  it('train --save with a bad name: refused before training', async () => {
    expectRefusal(await result('save-bad-name'), [/snapshot name "\.\.\/x" contains a path separator/]);
    noSnapshotWritten();
  });
  it('train --save with a taken name and no --force: refused before training, the old one kept', async () => {
    const r = await result('save-taken');
    expectRefusal(r, [/a snapshot named "tiny" already exists in .*snaps: use --force to replace it/]);
    expect(r.stderr).not.toMatch(/training/);
  });
  it('two processes saving the same name at once: one wins and the other is told, never torn', async () => {
    const rs = JSON.parse((await result('race')).stdout) as Run[];
    const codes = rs.map((r) => r.code).sort();
    const dir = path.join(root, 'race');
    if (codes[1] !== 0) {
      expect(codes).toEqual([0, 1]);
      const loser = rs.find((r) => r.code !== 0)!;
      // either it started after the winner had saved, and was refused before training (nothing to keep)…
      const refusedFirst = !/the trained model is kept/.test(loser.stderr);
      if (refusedFirst) expectRefusal(loser, [/a snapshot named "same" already exists in .*use --force to replace it/]);
      // …or it trained too, and lost at the save: its model is not dropped but kept in the recovery folder, and it says where
      else expectRefusal(loser, [/a snapshot named "same" already exists in .*use --force to replace it/, /the trained model is kept as snapshot "same-[0-9-]+" in .*factorlens[/\\]recovered/], { onlyLine: false });
    }
    const show = await limited(() => runCli(['snapshots', 'show', 'same', '--json'], { FACTORLENS_SNAPSHOTS: dir }));
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout).summary.error).toBeUndefined();
    expect(tree(dir).filter((e) => e.startsWith('.'))).toEqual([]);
  });
  it('two processes force-saving the same name at once: both succeed, the survivor loads', async () => {
    const rs = JSON.parse((await result('race-force')).stdout) as Run[];
    expect(rs.map((r) => r.code), rs.map((r) => r.stderr).join('\n')).toEqual([0, 0]);
    const dir = path.join(root, 'race-force');
    const show = await limited(() => runCli(['snapshots', 'show', 'same'], { FACTORLENS_SNAPSHOTS: dir }));
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/checksums verified/);
    expect(tree(dir)).toEqual(['same', 'same/manifest.json', 'same/model.json', 'same/weights.bin']);
  });
});

// ---- downloads ----------------------------------------------------------------------------------

describe('downloads', () => {
  it('offline (nothing listens on the port): says so and how to proceed, leaves nothing', async () => {
    expectRefusal(await result('download-offline'), [new RegExp(`could not reach 127\\.0\\.0\\.1:${closedPort} .*are you offline\\?`), /download .*ml-100k\.zip by hand, unzip it, and pass --data/], { onlyLine: false });
    expect(tree(path.join(root, 'dl-offline'))).toEqual([]);
  });
  it('the server answers 500: says so, leaves nothing', async () => {
    expectRefusal(await result('download-500'), [/the server answered HTTP 500 Internal Server Error/, /To proceed/], { onlyLine: false });
    expect(tree(path.join(root, 'dl-500'))).toEqual([]);
  });
  it('the server sends something that is not a zip: corrupt, leaves nothing', async () => {
    expectRefusal(await result('download-not-zip'), [/the downloaded zip is corrupt/, /To proceed/], { onlyLine: false });
    expect(tree(path.join(root, 'dl-notzip'))).toEqual([]);
  });
});

// ---- the door -----------------------------------------------------------------------------------

describe('the bare command and unknown input', () => {
  it('factorlens on a non-TTY: exit non-zero, points at the subcommands, no app', async () => {
    const r = await result('bare-non-tty');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^factorlens: the full-screen app needs a terminal \(stdin and stdout must be a TTY\)/);
    expect(r.stderr).toMatch(/Use a subcommand instead, e\.g\. `factorlens data info --json`; `factorlens --help` lists them/);
    expect(r.stderr).not.toMatch(/\x1b\[\?1049h/); // never entered the alternate screen
    expectNoStack(r.stderr);
  });
  it('an unknown subcommand', async () => {
    expectRefusal(await result('unknown-command'), [/unknown command "frobnicate": the commands are data, search, train, /, /factorlens --help/]);
  });
});
