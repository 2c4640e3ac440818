/** The data and search subcommands as a user runs them: exit codes, stdout JSON, one-line errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { testDataDir, testZipPath } from '../helpers/data.js';
import { cleanupFixtures, ml100kFixture, tmpRoot, localServer, type LocalServer } from './fixtures.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns the CLI from source through tsx (async, so the test's HTTP server keeps serving). */
function run(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const fullEnv: NodeJS.ProcessEnv = { ...process.env, FACTORLENS_DATA: undefined, NO_COLOR: '1', ...env };
  for (const k of Object.keys(fullEnv)) if (fullEnv[k] === undefined) delete fullEnv[k];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.resolve('src/cli/main.ts'), ...args],
      { env: fullEnv, timeout: 60_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** One readable line on stderr, no stack trace. */
function expectOneLineError(r: Run, pattern: RegExp): void {
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^factorlens: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

const data = testDataDir();
let server: LocalServer;
let base: string;

beforeAll(async () => {
  const zip = readFileSync(testZipPath());
  server = await localServer((req, res) => {
    if (req.url?.startsWith('/ok/')) {
      res.writeHead(200, { 'content-length': zip.length });
      res.end(zip);
    } else {
      res.writeHead(500);
      res.end('no');
    }
  });
  base = server.base;
});

afterAll(async () => {
  await server.close();
  cleanupFixtures();
});

describe('factorlens data / search', () => {
  it('data info --json prints one JSON document with the counts', async () => {
    const r = await run(['data', 'info', '--data', data, '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info).toMatchObject({ ratings: 100000, users: 943, items: 1682, format: 'ml-100k' });
    expect(info.mean).toBeCloseTo(3.52986, 5);
    expect(info.histogram).toHaveLength(5);
  });

  it('data info prints an aligned table, and reads FACTORLENS_DATA', async () => {
    const r = await run(['data', 'info'], { FACTORLENS_DATA: data });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ratings +100,000$/m);
    expect(r.stdout).toMatch(/^density +6\.30%$/m);
    expect(r.stdout).toMatch(/^ +4 +34,174 +34\.2% +█+$/m);
  });

  it('data crosstab: table with a legend, or JSON', async () => {
    const human = await run(['data', 'crosstab', '--data', data, '--users', '3', '--movies', '4']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^user +1 +2 +3 +4$/m);
    expect(human.stdout).toMatch(/^ +1 +Star Wars \(1977\)$/m);
    const json = JSON.parse((await run(['data', 'crosstab', '--data', data, '--users', '3', '--movies', '4', '--json'])).stdout);
    expect(json.users).toEqual(['405', '655', '13']);
    expect(json.cells).toHaveLength(3);
    expect(json.cells[0]).toHaveLength(4);
  });

  it('search finds titles despite typos', async () => {
    const json = JSON.parse((await run(['search', 'star wrs', '--data', data, '--top', '3', '--json'])).stdout);
    expect(json.query).toBe('star wrs');
    expect(json.hits).toHaveLength(3);
    expect(json.hits[0]).toMatchObject({ title: 'Star Wars (1977)', id: '50', ratings: 583 });
    // match is what the text and the pane show (higher is closer), score its distance
    expect(json.hits[0].match).toBeCloseTo(1 - json.hits[0].score, 3);
    expect(json.hits[0].match).toBeGreaterThan(json.hits[2].match);
    const human = await run(['search', 'silence lambs', '--data', data]);
    expect(human.code).toBe(0);
    expect(human.stdout.split('\n')[2]).toMatch(/^1 +\d+% +98 +390 +4\.29 +Silence of the Lambs, The \(1991\)$/);
  });

  it('errors are one line with a non-zero exit', async () => {
    expectOneLineError(await run(['data', 'info', '--data', '/no/such/dir']), /--data \/no\/such\/dir: no such file or directory/);
    const bad = ml100kFixture({ 'u.data': '1\t1\t5\t0\n1\t2\t9\t0\n' });
    expectOneLineError(await run(['data', 'info', '--data', bad]), /u\.data line 2: rating 9 is outside the scale 1\.\.5/);
    expectOneLineError(await run(['search', ' ', '--data', data]), /empty search query/);
    const nothing = await run(['data', 'info'], { XDG_CACHE_HOME: tmpRoot(), HOME: tmpRoot() });
    expectOneLineError(nothing, /no MovieLens data found .*`factorlens data download`.*--data DIR/);
    const usage = await run(['data', 'crosstab', '--data', data, '--users', '0']);
    expect(usage.code).not.toBe(0);
    expect(usage.stderr).toMatch(/--users must be a whole number from 1 to 1000/);
    expect(usage.stderr).not.toMatch(/\n\s+at /);
  });

  it('data download fetches into --dest with progress on stderr, and fails cleanly', async () => {
    const dest = tmpRoot();
    const ok = await run(['data', 'download', '--dest', dest], { FACTORLENS_DOWNLOAD_URL: `${base}/ok/` });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('');
    expect(ok.stderr).toMatch(/downloading ml-100k \[#+-*\] +\d+% +[\d.]+ MB \/ 4\.7 MB/);
    expect(ok.stderr).toMatch(/100%/);
    expect(ok.stderr).toMatch(/ml-100k is ready at .*ml-100k/);
    expect(readdirSync(dest)).toEqual(['ml-100k']);
    const again = await run(['data', 'download', '--dest', dest], { FACTORLENS_DOWNLOAD_URL: `${base}/ok/` });
    expect(again.stderr).toMatch(/already at .*--force/);

    const dest2 = tmpRoot();
    const failed = await run(['data', 'download', '--dest', dest2], { FACTORLENS_DOWNLOAD_URL: `${base}/broken/` });
    expectOneLineError(failed, /the server answered HTTP 500 .*To proceed: download .*by hand, unzip it, and pass --data/);
    expect(readdirSync(dest2)).toEqual([]);
    const unknown = await run(['data', 'download', '--dataset', 'ml-5k', '--dest', dest2]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/ml-5k/);
  });

  it('a reader that stops early (| head) ends it quietly, exit 0, no stack trace', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/cli/main.ts'), 'data', 'crosstab', '--users', '900', '--movies', '1000', '--json', '--data', testDataDir()], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy()); // the reader goes away after the first chunk
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  });
});
