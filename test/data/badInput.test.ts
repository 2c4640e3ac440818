/** Every refusal is one DataError naming the file, the line and the text. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DataError, loadDataset } from '../../src/data/index.js';
import { cleanupFixtures, fixtureDir, latin1, ml100kFixture, uItemLine } from './fixtures.js';

afterAll(cleanupFixtures);

async function refusal(dir: string): Promise<DataError> {
  try {
    await loadDataset(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).not.toContain('\n');
    return err as DataError;
  }
  throw new Error(`expected ${dir} to be refused`);
}

const GOOD = '1\t1\t5\t881250949\n';

describe('rating lines', () => {
  it.each([
    ['an empty file', '', /u\.data is empty/],
    ['only blank lines', '\n\n', /u\.data has no ratings/],
    ['a truncated last line', GOOD + '196\t24', /u\.data line 2: expected 4 TAB-separated fields \(user, item, rating, timestamp\), got 2 \(truncated line\?\): "196\\t24"/],
    ['an extra field', GOOD + GOOD + '1\t2\t3\t4\t5\n', /u\.data line 3: expected 4 TAB-separated fields .*got 5: "1\\t2\\t3\\t4\\t5"/],
    ['a non-numeric user id', 'abc\t1\t5\t0\n', /u\.data line 1: user id "abc" is not a whole number: "abc\\t1\\t5\\t0"/],
    ['a non-numeric item id', '1\tx1\t5\t0\n', /u\.data line 1: item id "x1" is not a whole number/],
    ['a negative id', '-1\t1\t5\t0\n', /user id "-1" is not a whole number/],
    ['a non-numeric rating', '1\t1\tfive\t0\n', /u\.data line 1: rating "five" is not a number/],
    ['a rating above the scale', GOOD + '1\t2\t6\t0\n', /u\.data line 2: rating 6 is outside the scale 1\.\.5 in whole stars: "1\\t2\\t6\\t0"/],
    ['a half star in ML-100K', '1\t2\t3.5\t0\n', /rating 3\.5 is outside the scale 1\.\.5 in whole stars/],
    ['a zero rating', '1\t2\t0\t0\n', /rating 0 is outside the scale/],
    ['a bad timestamp', '1\t2\t3\tyesterday\n', /u\.data line 1: timestamp "yesterday" is not a whole number/],
    ['comma separators in u.data', '1,2,3,4\n', /u\.data line 1: expected 4 TAB-separated fields .*got 1 \(wrong separator\?\): "1,2,3,4"/],
  ])('refuses %s', async (_what, uData, message) => {
    const err = await refusal(ml100kFixture({ 'u.data': uData }));
    expect(err.message).toMatch(message);
    expect(err.message).toContain(path.sep + 'u.data');
  });

  it('shortens a very long offending line', async () => {
    const err = await refusal(ml100kFixture({ 'u.data': '1\t2\t' + 'x'.repeat(5000) + '\t0\n' }));
    expect(err.message.length).toBeLessThan(400);
    expect(err.message).toMatch(/…"$/);
  });

  it('refuses ratings off the half-star grid in ML CSV', async () => {
    const movies = 'movieId,title,genres\n1,A (1990),Drama\n';
    for (const [rating, msg] of [
      ['5.5', /ratings\.csv line 3: rating 5\.5 is outside the scale 0\.5\.\.5 in half stars: "1,1,5\.5,1"/],
      ['0', /rating 0 is outside the scale 0\.5\.\.5/],
      ['3.3', /rating 3\.3 is outside the scale/],
    ] as const) {
      const err = await refusal(fixtureDir({ 'ratings.csv': `userId,movieId,rating,timestamp\n1,1,4.0,1\n1,1,${rating},1\n`, 'movies.csv': movies }));
      expect(err.message).toMatch(msg);
    }
  });

  it('refuses ML CSV with only a header, and ::-files with the wrong separator', async () => {
    const movies = 'movieId,title,genres\n1,A (1990),Drama\n';
    expect((await refusal(fixtureDir({ 'ratings.csv': 'userId,movieId,rating,timestamp\n', 'movies.csv': movies }))).message).toMatch(
      /ratings\.csv has no ratings \(only a header line\)/,
    );
    const err = await refusal(fixtureDir({ 'ratings.dat': '1\t2\t3\t4\n', 'movies.dat': '2::B (1990)::Drama\n' }));
    expect(err.message).toMatch(/ratings\.dat line 1: expected 4 "::"-separated fields .*got 1/);
  });

  it('refuses generic files without separators or with bad values', async () => {
    expect((await refusal(fixtureDir({ 'ratings.csv': 'just words\n' }))).message).toMatch(
      /ratings\.csv line 1: expected user,item,rating\[,timestamp\] separated by commas or TABs: "just words"/,
    );
    expect((await refusal(fixtureDir({ 'ratings.csv': '1,2,3\n1,3,good\n' }))).message).toMatch(/ratings\.csv line 2: rating "good" is not a number/);
    expect((await refusal(fixtureDir({ 'ratings.csv': '1,2,3\n,3,4\n' }))).message).toMatch(/ratings\.csv line 2: empty user id/);
    expect((await refusal(fixtureDir({ 'ratings.csv': '1,2\n' }))).message).toMatch(/expected 3 or 4 comma-separated fields .*got 2/);
  });
});

describe('title files', () => {
  it('refuses a u.item line with the wrong number of fields', async () => {
    const err = await refusal(ml100kFixture({ 'u.item': latin1('1|Toy Story (1995)|01-Jan-1995\n') }));
    expect(err.message).toMatch(/u\.item line 1: expected 24 \|-separated fields .*got 3: "1\|Toy Story \(1995\)\|01-Jan-1995"/);
  });

  it('refuses a non-numeric item id in u.item', async () => {
    const err = await refusal(ml100kFixture({ 'u.item': latin1(uItemLine(1, 'A (1990)') + '\n' + uItemLine(2, 'B').replace(/^2/, 'two') + '\n') }));
    expect(err.message).toMatch(/u\.item line 2: item id "two" is not a whole number/);
  });

  it('refuses an empty u.item', async () => {
    expect((await refusal(ml100kFixture({ 'u.item': '' }))).message).toMatch(/u\.item is empty/);
  });

  it('refuses a UTF-16 title file', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(uItemLine(1, 'Toy Story (1995)') + '\n', 'utf16le')]);
    const err = await refusal(ml100kFixture({ 'u.item': utf16 }));
    expect(err.message).toMatch(/u\.item is UTF-16 text .*expected ISO-8859-1 \(latin-1\)/);
  });

  it('refuses a binary title file (NUL bytes)', async () => {
    const err = await refusal(ml100kFixture({ 'u.item': Buffer.from([0x31, 0x7c, 0x00, 0x00, 0x41]) }));
    expect(err.message).toMatch(/u\.item contains a NUL byte at offset 2: it is binary or UTF-16\/UTF-32/);
    const csv = await refusal(
      fixtureDir({ 'ratings.csv': 'userId,movieId,rating,timestamp\n1,1,4,1\n', 'movies.csv': Buffer.from('m\0o\0v\0') }),
    );
    expect(csv.message).toMatch(/movies\.csv contains a NUL byte/);
  });

  it('reads a u.item that was re-encoded as UTF-8, and says so', async () => {
    const ds = await loadDataset(ml100kFixture({ 'u.item': Buffer.from([uItemLine(1, 'Toy Story (1995)'), uItemLine(2, 'Misérables, Les (1995)'), uItemLine(3, 'Babe (1995)')].join('\n'), 'utf8') }));
    expect(ds.titles[1]).toBe('Misérables, Les (1995)');
    expect(ds.warnings.join()).toMatch(/u\.item is UTF-8, not the latin-1 MovieLens ships/);
  });

  it('refuses an unterminated quote in movies.csv', async () => {
    const err = await refusal(
      fixtureDir({ 'ratings.csv': 'userId,movieId,rating,timestamp\n1,1,4,1\n', 'movies.csv': 'movieId,title,genres\n1,"Heat, The (1995),Drama\n' }),
    );
    expect(err.message).toMatch(/movies\.csv line 2: unterminated quoted field: "1,\\"Heat, The \(1995\),Drama"/);
  });
});

describe('folders', () => {
  it('refuses a missing path', async () => {
    expect((await refusal('/nonexistent/factorlens/data')).message).toMatch(/no such file or directory: \/nonexistent\/factorlens\/data/);
  });

  it('refuses an unknown layout, listing what was expected and what was found', async () => {
    const err = await refusal(fixtureDir({ 'notes.md': 'hello', 'data.json': '{}' }));
    expect(err.message).toMatch(/does not look like a ratings dataset: expected u\.data \+ u\.item \(MovieLens 100K\), ratings\.dat \+ movies\.dat/);
    expect(err.message).toMatch(/ratings\.csv \+ movies\.csv/);
    expect(err.message).toMatch(/found: (data\.json, notes\.md|notes\.md, data\.json)/);
    expect((await refusal(fixtureDir({}))).message).toMatch(/the folder is empty/);
  });

  it('points at a dataset one level down', async () => {
    const dir = fixtureDir({ 'README.txt': 'x' });
    mkdirSync(path.join(dir, 'ml-100k'));
    expect((await refusal(dir)).message).toMatch(/did you mean --data .*ml-100k\?/);
  });

  it('refuses u.data without u.item', async () => {
    expect((await refusal(fixtureDir({ 'u.data': GOOD }))).message).toMatch(/has u\.data but no u\.item/);
  });
});
