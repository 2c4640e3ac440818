/** Issue #8's subcommands end to end: `node --import tsx src/cli/main.ts …` against the real ML-100K. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDataDir } from '../helpers/data.js';
import { ProfileStore } from '../../src/data/profiles.js';

let snaps: string;
let tmp: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, FACTORLENS_DATA: testDataDir(), FACTORLENS_SNAPSHOTS: snaps, XDG_STATE_HOME: path.join(tmp, 'state'), NO_COLOR: '1' },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const json = (args: string[]) => {
  const r = cli(...args, '--json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out);
};

/** A user error: exit 1, one line on stderr starting "factorlens:", nothing on stdout. */
function expectOneLineError(r: ReturnType<typeof cli>, pattern: RegExp) {
  expect(r.code).toBe(1);
  expect(r.out).toBe('');
  const lines = r.err.trim().split('\n');
  expect(lines.at(-1)).toMatch(/^factorlens: /);
  expect(lines.at(-1)).toMatch(pattern);
  expect(r.err).not.toMatch(/internal error|\n\s+at /);
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'factorlens-subcommands-'));
  snaps = path.join(tmp, 'snapshots');
  const r = cli('train', '--split', 'u1', '--save', 'recipe');
  expect(r.code, r.err).toBe(0);
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('lr-find', () => {
  it('--json: plain arrays and a valley suggestion in 1e-4..1e-1', () => {
    const r = json(['lr-find', '--split', 'u1']);
    expect(r.lrs.length).toBe(r.losses.length);
    expect(r.lrs.length).toBeGreaterThan(50);
    expect(r.suggestions.valley).toBeGreaterThanOrEqual(1e-4);
    expect(r.suggestions.valley).toBeLessThanOrEqual(1e-1);
  });

  it('prints a chart with a log10 axis and the suggestion', () => {
    const r = cli('lr-find', '--split', 'u1', '--iterations', '100');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/1e-7 .*1e-3 .*1e-1/);
    expect(r.out).toMatch(/suggested lr: \d\.\de-\d \(valley/);
    expect(r.out).toMatch(/[╭╮╯╰]/);
    // fastai's pick, and what it is worth here, in one breath (no bare "try --lr 0.02" above a note that contradicts it)
    expect(r.out).toMatch(/fastai would train with --lr \S+; measured on ML-100K, the valley trains dotbias worse than the recipe's 5e-3/);
    expect(r.out).not.toMatch(/^try:/m);
    expect(r.out).toMatch(/note: the finder reads 200 batches of training loss/);
  });

  it('refuses a bad range in one line', () => {
    expectOneLineError(cli('lr-find', '--start-lr', '1', '--end-lr', '0.1'), /end lr must be above the start lr/);
  });
});

describe('compare', () => {
  it('--train-wd0 trains NAME-wd0, saves it, and calls it overfitting; the recipe is ok', () => {
    const r = json(['compare', '--train-wd0', 'recipe']);
    expect(r.runs.map((x: { name: string }) => x.name)).toEqual(['recipe', 'recipe-wd0']);
    expect(r.overfitting).toEqual(['recipe-wd0']);
    expect(r.params.find((p: { key: string }) => p.key === 'wd')).toMatchObject({ differs: true, values: ['0.1', '0'] });
    const again = cli('compare', 'recipe', 'recipe-wd0');
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('1 ── recipe');
    expect(again.out).toMatch(/recipe-wd0 .*overfitting/);
    expect(again.out).toMatch(/wd \*/);
    expect(again.out).not.toMatch(/\x1b\[/); // NO_COLOR
  });

  it('needs two runs; an unknown snapshot is one line', () => {
    expectOneLineError(cli('compare', 'recipe'), /two or more snapshot names/);
    expectOneLineError(cli('compare', 'recipe', 'nosuch'), /nosuch/);
  });
});

describe('eval ranking block', () => {
  it('--json has precision/recall/NDCG@10, coverage and popularity', () => {
    const r = json(['eval', '--snapshot', 'recipe']);
    expect(r.ranking.k).toBe(10);
    for (const key of ['precision', 'recall', 'ndcg', 'coverage']) {
      expect(r.ranking[key]).toBeGreaterThan(0);
      expect(r.ranking[key]).toBeLessThan(1);
    }
    expect(r.ranking.popularityLift).toBeGreaterThan(1);
    expect(typeof r.ranking.mostRecommended[0].title).toBe('string');
    const h = cli('eval', '--snapshot', 'recipe');
    // each with its 95 % interval from resampling users
    expect(h.out).toMatch(/precision@10 0\.\d{4} \[0\.\d{4}–0\.\d{4}\]\s+recall@10 0\.\d{4} \[0\.\d{4}–0\.\d{4}\]\s+ndcg@10 0\.\d{4} \[0\.\d{4}–0\.\d{4}\]/);
    expect(h.out).toMatch(/cover \d+ of 1682 movies/);
  });
});

describe('eval on something other than what the snapshot was trained on', () => {
  it('another split: the numbers come with a warning that they include training ratings', () => {
    const h = cli('eval', '--snapshot', 'recipe', '--split', 'u2');
    expect(h.code, h.err).toBe(0);
    expect(h.out).toMatch(/warning: recipe was trained on split u1; many of these u2 ratings were in its training set/);
    expect(json(['eval', '--snapshot', 'recipe', '--split', 'u2']).sameSplitAsTraining).toBe(false);
    expect(json(['eval', '--snapshot', 'recipe']).sameSplitAsTraining).toBe(true);
  });

  it('a dataset of the same size with other ids is refused, not scored on the wrong users', async () => {
    const { copyFile, mkdir, writeFile } = await import('node:fs/promises');
    const dir = path.join(tmp, 'shifted');
    await mkdir(dir, { recursive: true });
    for (const f of ['u.item', 'u.genre']) await copyFile(path.join(testDataDir(), f), path.join(dir, f));
    const lines = (await readFile(path.join(testDataDir(), 'u.data'), 'utf8')).trim().split('\n');
    await writeFile(path.join(dir, 'u.data'), lines.map((l) => l.replace(/^(\d+)/, (u) => String(Number(u) + 1000))).join('\n') + '\n');
    expectOneLineError(cli('eval', '--snapshot', 'recipe', '--data', dir), /trained on other user ids than this dataset's \(row 0: user id 1 in the snapshot, 1001 here\)/);
  });
});

describe('similar on the neural model', () => {
  it('says what cosine means there; the dot-product model needs no such note', () => {
    const t = cli('train', '--split', 'u1', '--model', 'nn', '--epochs', '1', '--bs', '2048', '--save', 'nn-quick');
    expect(t.code, t.err).toBe(0);
    const nn = cli('similar', '--snapshot', 'nn-quick', 'Star Wars (1977)');
    expect(nn.out).toMatch(/note: nn embeddings also encode how well liked a movie is/);
    expect(json(['similar', '--snapshot', 'nn-quick', 'Star Wars (1977)']).note).toMatch(/how well liked/);
    const dot = cli('similar', '--snapshot', 'recipe', 'Star Wars (1977)');
    expect(dot.code, dot.err).toBe(0);
    expect(dot.out).not.toMatch(/note:/);
  });
});

describe('export', () => {
  it('writes projector files that parse back', async () => {
    const out = path.join(tmp, 'proj');
    const r = json(['export', '--snapshot', 'recipe', '--out', out]);
    expect(r.rows).toBe(1682);
    const meta = (await readFile(path.join(out, 'metadata.tsv'), 'utf8')).trimEnd().split('\n');
    const vec = (await readFile(path.join(out, 'vectors.tsv'), 'utf8')).trimEnd().split('\n');
    expect(meta[0]).toBe('title\tyear\tgenres\tratings\tbias');
    expect(meta).toHaveLength(1683);
    expect(vec).toHaveLength(1682);
    expect(new Set(vec.map((l) => l.split('\t').length))).toEqual(new Set([50]));
  });
});

describe('onehot', () => {
  it('--json: difference 0 and Netflix-scale memory', () => {
    const r = json(['onehot', '--snapshot', 'recipe', '--user', '42', '--repeats', '3']);
    expect(r.userId).toBe('42');
    expect(r.maxAbsDiff).toBe(0);
    expect(r.memory.find((m: { name: string }) => m.name === 'Netflix Prize').oneHotBytes).toBe(64 * (480189 + 17770) * 4);
  });

  it('an unknown user id is one line', () => {
    expectOneLineError(cli('onehot', '--snapshot', 'recipe', '--user', 'nobody'), /no user with id "nobody"/);
  });
});

describe('train --preset', () => {
  it('best is applied and explicit flags still win', () => {
    const r = json(['train', '--preset', 'best', '--epochs', '1', '--split', 'u1']);
    expect(r.options).toMatchObject({ lr: 4e-3, wd: 0.12, epochs: 1 });
  });

  it('an unknown preset is one line', () => {
    expectOneLineError(cli('train', '--preset', 'nope'), /unknown preset "nope"/);
  });
});

describe('recommend --explain', () => {
  it('lists, under each recommendation, the rated movies behind it: their share of the pick, and popularity\'s', () => {
    const r = cli('recommend', '--snapshot', 'recipe', '--rate', 'Star Wars (1977)=5', '--rate', 'Terminator, The (1984)=5', '--explain', '--top', '5');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/↑ (Star Wars \(1977\)|Terminator, The \(1984\)): you 5, \d+% of the pick; expected \d\.\d, cosine -?\d\.\d\d/);
    expect(r.out).toMatch(/popularity: \d+% of the pick/);
    const j = json(['recommend', '--snapshot', 'recipe', '--rate', 'Star Wars (1977)=5', '--explain']);
    expect(j.ranking).toBe('pick-like');
    for (const rec of j.recommendations) for (const why of rec.reasons) expect(why.share).toBeGreaterThan(0);
    expect(j.recommendations.some((rec: { reasons: unknown[] }) => rec.reasons.length > 0)).toBe(true);
  });

  it('with --rank stars, the rated movies that pushed each one up by cosine × how much you beat the average taste', () => {
    const r = cli('recommend', '--snapshot', 'recipe', '--rate', 'Star Wars (1977)=5', '--rate', 'Terminator, The (1984)=5', '--explain', '--top', '5', '--rank', 'stars');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/↑ (Star Wars \(1977\)|Terminator, The \(1984\)): you 5, expected \d\.\d, cosine -?\d\.\d\d/);
    const j = json(['recommend', '--snapshot', 'recipe', '--rate', 'Star Wars (1977)=5', '--explain', '--rank', 'stars']);
    for (const rec of j.recommendations) for (const why of rec.reasons) expect(why.push).toBeGreaterThan(0);
  });
});

describe('recommend --profile', () => {
  it("uses the profile's ratings and its model; --rate adds or overrides; a profile that is not there is one line", async () => {
    const store = new ProfileStore(path.join(tmp, 'state', 'factorlens'));
    // as the app writes it: by ML-100K item id (50 = Star Wars, 1 = Toy Story)
    await store.write({ name: 'alice', ratings: [{ item: '50', title: 'Star Wars (1977)', rating: 5 }, { item: '1', title: 'Toy Story (1995)', rating: 2 }], model: { snapshot: 'recipe' }, dataset: null, updatedAt: null });
    const j = json(['recommend', '--profile', 'alice']);
    expect(j.model).toBe('snapshot recipe');
    expect(j.ratings.map((r: { title: string; rating: number }) => `${r.title}=${r.rating}`).sort()).toEqual(['Star Wars (1977)=5', 'Toy Story (1995)=2']);
    const over = json(['recommend', '--profile', 'alice', '--rate', 'Toy Story (1995)=5', '--rate', 'Fargo (1996)=4']);
    expect(over.ratings.map((r: { title: string; rating: number }) => `${r.title}=${r.rating}`).sort()).toEqual(['Fargo (1996)=4', 'Star Wars (1977)=5', 'Toy Story (1995)=5']);
    expectOneLineError(cli('recommend', '--profile', 'nobody'), /no profile named "nobody"/);
  });
});
