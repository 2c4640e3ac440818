/** `factorlens map` end to end on the real ML-100K: the seeds' model, its JSON, its 80-column text, a baseline's refusal. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDataDir } from '../helpers/data.js';
import { ProfileStore } from '../../src/data/profiles.js';

let tmp: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, FACTORLENS_DATA: testDataDir(), FACTORLENS_SNAPSHOTS: path.join(tmp, 'snapshots'), XDG_STATE_HOME: path.join(tmp, 'state'), NO_COLOR: '1' },
    timeout: 180_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'factorlens-map-'));
  const seeds = cli('train', '--model', 'dotbias', '--split', 'u1', '--save', 'seeds');
  expect(seeds.code, seeds.err).toBe(0);
  const mean = cli('train', '--model', 'mean', '--split', 'u1', '--save', 'mean');
  expect(mean.code, mean.err).toBe(0);
}, 240_000);

afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('factorlens map', () => {
  it('--x "Romance..Sci-Fi" --json: Star Wars (1977) far to the Sci-Fi side of Sleepless in Seattle (1993)', () => {
    const r = cli('map', '--snapshot', 'seeds', '--x', 'Romance..Sci-Fi', '--neighbours', 'star wars 1977', '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.method).toBe('axes');
    expect(j.axes.x.label).toBe('Romance → Sci-Fi');
    expect(j.axes.x.high).toHaveLength(3);
    const at = (t: string) => j.points.find((p: { title: string }) => p.title === t);
    for (const key of ['title', 'x', 'y', 'genres', 'year', 'nRatings', 'bias', 'group', 'trust']) expect(at('Star Wars (1977)')).toHaveProperty(key);
    const xs = j.points.map((p: { x: number }) => p.x).sort((a: number, b: number) => a - b);
    const spread = xs[Math.floor(xs.length * 0.95)] - xs[Math.floor(xs.length * 0.05)];
    expect(at('Star Wars (1977)').x - at('Sleepless in Seattle (1993)').x).toBeGreaterThan(0.5 * spread);
    expect(j.trustworthiness).toBeGreaterThan(0);
    expect(j.neighbours.movie).toBe('Star Wars (1977)');
    expect(j.neighbours.list.map((n: { title: string }) => n.title)).toContain('Empire Strikes Back, The (1980)');
  });

  it('the text form fits 80 columns and names its axes, legend and trustworthiness; --genre isolates', () => {
    const r = cli('map', '--snapshot', 'seeds', '--genre', 'sci-fi', '--color', 'year', '--top', '5');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(80);
    expect(r.out).toMatch(/→ PC1 \(\d+\.\d%\)/);
    expect(r.out).toMatch(/trustworthiness@10 0\.\d{3}/);
    expect(r.out).toMatch(/isolated: genre Sci-Fi, 101 movies/);
    expect(r.out).toMatch(/year: {2}\S .*\d/);
  });

  it('a model without movie factors is refused in one line', () => {
    const r = cli('map', '--snapshot', 'mean');
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n').at(-1)).toMatch(/^factorlens: the mean model has no movie factor vectors/);
  });
});

describe('factorlens recommend --together', () => {
  it('two profiles: the average-taste and least-misery lists with each person\'s predicted stars', async () => {
    const store = new ProfileStore(path.join(tmp, 'state', 'factorlens'));
    // by ML-100K item id: 50 Star Wars, 181 Return of the Jedi, 1 Toy Story; 88 Sleepless in Seattle, 69 Forrest Gump
    await store.write({ name: 'sam', ratings: [{ item: '50', title: 'Star Wars (1977)', rating: 5 }, { item: '181', title: 'Return of the Jedi (1983)', rating: 5 }, { item: '88', title: 'Sleepless in Seattle (1993)', rating: 1 }], model: { snapshot: 'seeds' }, dataset: null, updatedAt: null });
    await store.write({ name: 'kim', ratings: [{ item: '88', title: 'Sleepless in Seattle (1993)', rating: 5 }, { item: '69', title: 'Forrest Gump (1994)', rating: 5 }, { item: '50', title: 'Star Wars (1977)', rating: 2 }], model: { snapshot: 'seeds' }, dataset: null, updatedAt: null });
    const r = cli('recommend', '--together', 'sam,kim', '--top', '5', '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.people).toEqual(['sam', 'kim']);
    expect(j.average).toHaveLength(5);
    expect(j.leastMisery).toHaveLength(5);
    for (const m of j.leastMisery) expect(m.min).toBeCloseTo(Math.min(...m.predicted), 6);
    const rated = ['Star Wars (1977)', 'Return of the Jedi (1983)', 'Sleepless in Seattle (1993)', 'Forrest Gump (1994)'];
    expect([...j.average, ...j.leastMisery].some((m: { title: string }) => rated.includes(m.title))).toBe(false);
    const text = cli('recommend', '--together', 'sam,kim', '--top', '3');
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/Average taste[\s\S]*mean\s+sam\s+kim\s+title[\s\S]*Least misery[\s\S]*min\s+sam\s+kim/);
    expect(cli('recommend', '--together', 'sam').err).toMatch(/two or more profile names/);
  });
});
