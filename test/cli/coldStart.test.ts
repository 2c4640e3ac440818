/** Cold start and the feedback loop from the command line: add-movie, recommend --likes/--dislikes, simulate, and eval's intervals. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDataDir } from '../helpers/data.js';

let snaps: string;
let tmp: string;

/** Runs the CLI without blocking the test worker (a blocked worker misses vitest's own messages on a busy machine). */
function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { encoding: 'utf8', env: { ...process.env, FACTORLENS_DATA: testDataDir(), FACTORLENS_SNAPSHOTS: snaps, NO_COLOR: '1' }, timeout: 180_000, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr }),
    );
  });
}

const json = async (args: string[]) => {
  const r = await cli(...args, '--json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out);
};

function expectOneLineError(r: Awaited<ReturnType<typeof cli>>, pattern: RegExp) {
  expect(r.code).toBe(1);
  expect(r.out).toBe('');
  const last = r.err.trim().split('\n').at(-1);
  expect(last).toMatch(/^factorlens: /);
  expect(last).toMatch(pattern);
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'factorlens-coldstart-'));
  snaps = path.join(tmp, 'snapshots');
  const r = await cli('train', '--split', 'u1', '--save', 'recipe');
  expect(r.code, r.err).toBe(0);
}, 180_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('eval', () => {
  it('every metric comes with its 95 % interval from resampling users', async () => {
    const r = await json(['eval', '--snapshot', 'recipe']);
    expect(r.intervals.rmse.low).toBeLessThan(r.rmse);
    expect(r.intervals.rmse.high).toBeGreaterThan(r.rmse);
    expect(r.intervals.users).toBe(459);
    for (const k of ['precision', 'recall', 'ndcg'] as const) {
      expect(r.ranking.intervals[k].low).toBeLessThanOrEqual(r.ranking[k]);
      expect(r.ranking.intervals[k].high).toBeGreaterThanOrEqual(r.ranking[k]);
    }
    const text = await cli('eval', '--snapshot', 'recipe');
    expect(text.out).toMatch(/rmse 0\.9\d{3} \[0\.\d{4}–0\.\d{4}\]/);
    expect(text.out).toMatch(/ndcg@10 0\.\d{4} \[/);
  });
});

describe('add-movie', () => {
  it('a new horror movie: whom to recommend it to, its point on the map, kept with the snapshot', async () => {
    const r = await json(['add-movie', '--snapshot', 'recipe', '--title', 'Night Terrors', '--year', '1998', '--genres', 'horror|Thriller', '--top', '5']);
    expect(r.kept).toBe(true);
    expect(r.features).toEqual(['Thriller', 'Horror', '1998']);
    expect(r.steps).toHaveLength(1);
    expect(r.whom).toHaveLength(5);
    const predicted = r.whom.map((a: { predicted: number }) => a.predicted);
    expect(predicted).toEqual([...predicted].sort((a, b) => b - a));
    expect(r.whom[0].favourites).toHaveLength(3);
    expect(r.map.coords).toHaveLength(3);
    expect(r.metadataModel.movies).toBeGreaterThan(500);
    const listed = await json(['add-movie', '--snapshot', 'recipe', '--list']);
    expect(listed.movies.map((m: { title: string }) => m.title)).toEqual(['Night Terrors']);
  });

  it('its first ratings arrive: each is folded in, the one who rated it leaves the audience, and they are kept', async () => {
    const first = await json(['add-movie', '--snapshot', 'recipe', '--title', 'Night Terrors', '--top', '5']);
    const top = first.whom[0].userId;
    const r = await json(['add-movie', '--snapshot', 'recipe', '--title', 'Night Terrors', '--rating', `${top}=1`, '--rating', '13=5', '--top', '5']);
    expect(r.steps).toHaveLength(3);
    expect(r.steps[1].arrived).toMatchObject({ userId: top, rating: 1 });
    expect(r.steps[1].arrived.predictedBefore).toBeCloseTo(first.whom[0].predicted, 4);
    // a 1★ from its best audience lowers what everyone is predicted to give it
    expect(r.steps[1].meanPredicted).toBeLessThan(r.steps[0].meanPredicted);
    expect(r.whom.map((a: { userId: string }) => a.userId)).not.toContain(top);
    const again = await json(['add-movie', '--snapshot', 'recipe', '--title', 'night terrors']);
    expect(again.steps).toHaveLength(3);
    const gone = await cli('add-movie', '--snapshot', 'recipe', '--remove', 'Night Terrors');
    expect(gone.code, gone.err).toBe(0);
    expect((await json(['add-movie', '--snapshot', 'recipe', '--list'])).movies).toEqual([]);
  });

  it('refuses what it cannot use, in one line', async () => {
    expectOneLineError(await cli('add-movie', '--snapshot', 'recipe', '--title', 'X', '--genres', 'Anime'), /unknown genre "Anime".*Horror/);
    expectOneLineError(await cli('add-movie', '--snapshot', 'recipe', '--title', 'X', '--rating', 'nobody=4'), /no user with id "nobody"/);
    expectOneLineError(await cli('add-movie', '--snapshot', 'recipe', '--title', 'X', '--rating', '13=9'), /outside this model's scale/);
    expectOneLineError(await cli('add-movie', '--list'), /needs --snapshot/);
  });
});

describe('recommend with the questionnaire', () => {
  const inGenres = (list: { genres: string[] }[], gs: string[]) => list.filter((x) => x.genres.some((g) => gs.includes(g))).length;

  it('before any rating, the answers shape the list; ratings then refine it', async () => {
    const plain = await json(['recommend', '--snapshot', 'recipe']);
    const kids = await json(['recommend', '--snapshot', 'recipe', '--likes', "Children's,Animation"]);
    expect(kids.questionnaire.likes).toEqual(['Animation', "Children's"]);
    expect(inGenres(kids.recommendations, ['Animation', "Children's"])).toBeGreaterThanOrEqual(3);
    expect(inGenres(kids.recommendations, ['Animation', "Children's"])).toBeGreaterThan(inGenres(plain.recommendations, ['Animation', "Children's"]));
    const scifi = await json(['recommend', '--snapshot', 'recipe', '--likes', 'Sci-Fi,Action', '--dislikes', 'Romance']);
    expect(inGenres(scifi.recommendations, ['Sci-Fi', 'Action', 'Adventure', 'Thriller'])).toBeGreaterThanOrEqual(7);
    const rated = await json(['recommend', '--snapshot', 'recipe', '--likes', 'Sci-Fi,Action', '--rate', 'Alien (1979)=5', '--rate', 'Aliens (1986)=5']);
    expect(rated.recommendations.map((x: { title: string }) => x.title)).not.toEqual(scifi.recommendations.map((x: { title: string }) => x.title));
  });

  it('an unknown question is refused, naming the ones there are', async () => {
    expectOneLineError(await cli('recommend', '--snapshot', 'recipe', '--likes', 'Anime'), /no question about "Anime".*Sci-Fi.*1970s/);
  });
});

describe('simulate', () => {
  it('--json: one row per round with the loop\'s numbers', async () => {
    const r = await json(['simulate', '--rounds', '1', '--users', '20', '--enthusiasts', '5', '--genre', 'Horror', '--ranking', 'stars']);
    expect(r.rounds).toHaveLength(1);
    expect(r.options).toMatchObject({ enthusiasts: 5, genre: 'Horror', ranking: 'stars', mitigation: 'none' });
    expect(r.genreMovies).toBeGreaterThan(50);
    expect(Object.keys(r.rounds[0]).sort()).toEqual(['coverage', 'genreShare', 'meanPopularity', 'ndcg', 'rmse', 'round', 'seconds', 'trainRatings', 'watched']);
  }, 180_000);

  it('refuses an unknown genre in one line', async () => {
    expectOneLineError(await cli('simulate', '--rounds', '1', '--genre', 'Anime'), /unknown genre "Anime"/);
  });
});
