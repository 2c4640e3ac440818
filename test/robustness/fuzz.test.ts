/**
 * Property-based fuzzing of every data parser and of the training-flag parsing: thousands
 * of random and mutated inputs. A parser may only refuse with a one-line DataError, never hang, and
 * whatever it accepts must be a self-consistent dataset. The snapshot loader is fuzzed in
 * test/model/snapshotCorrupt.test.ts ("fuzzing the loader").
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Command, CommanderError } from 'commander';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadDataset, makeSplit, type Dataset } from '../../src/data/index.js';
import { decodeTitleFile, parseCsvLine, textLines } from '../../src/data/text.js';
import { resolveOptions } from '../../src/model/train/defaults.js';
import { addTrainFlags, trainOptionsFromFlags, type TrainFlags } from '../../src/cli/trainFlags.js';
import { latin1, removeTemps, tempDir, uData, uItem, writeFolder } from './helpers.js';

const counts: Record<string, number> = {};
const count = (what: string) => (counts[what] = (counts[what] ?? 0) + 1);
let accepted = 0; // dataset loads that succeeded (the rest were refused with a DataError)
afterAll(() => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(`fuzz runs: ${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ')}; total ${total}; dataset loads accepted ${accepted}`);
  removeTemps();
});

/** Rejects if `p` takes longer than `ms`: a parser stuck in a loop fails the property, not the suite's clock. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: ${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function expectDataError(err: unknown): void {
  expect(err).toBeInstanceOf(Error);
  const e = err as Error;
  if (e.name !== 'DataError') throw new Error(`not a DataError but ${e.name}: ${e.message}\n${e.stack}`);
  expect(e.message).not.toMatch(/\n/);
  expect(e.message.length).toBeLessThan(1500);
}

/** Everything a reader promises about the dataset it returns. */
function expectConsistent(ds: Dataset): void {
  const n = ds.nRatings;
  expect(n).toBeGreaterThan(0);
  for (const col of [ds.users, ds.items, ds.ratings, ds.timestamps]) expect(col.length).toBe(n);
  expect(ds.userIds).toHaveLength(ds.nUsers);
  expect(ds.itemIds).toHaveLength(ds.nItems);
  expect(ds.titles).toHaveLength(ds.nItems);
  expect(ds.genres).toHaveLength(ds.nItems);
  ds.userIds.forEach((id, k) => expect(ds.userIndex.get(id)).toBe(k));
  ds.itemIds.forEach((id, k) => expect(ds.itemIndex.get(id)).toBe(k));
  const uc = new Int32Array(ds.nUsers);
  const ic = new Int32Array(ds.nItems);
  const pairs = new Set<number>();
  for (let r = 0; r < n; r++) {
    const u = ds.users[r];
    const i = ds.items[r];
    if (!(u >= 0 && u < ds.nUsers && i >= 0 && i < ds.nItems)) throw new Error(`row ${r}: index out of range (${u}, ${i})`);
    const v = ds.ratings[r];
    if (!(Number.isFinite(v) && v >= ds.scale.min && v <= ds.scale.max)) throw new Error(`row ${r}: rating ${v} outside ${ds.scale.min}..${ds.scale.max}`);
    const key = u * ds.nItems + i;
    if (pairs.has(key)) throw new Error(`row ${r}: duplicate pair (${u}, ${i}) survived`);
    pairs.add(key);
    uc[u]++;
    ic[i]++;
  }
  // every dense index is used, and the per-user/item counts agree with the rows
  expect([...uc].every((c, u) => c > 0 && c === ds.userCount[u])).toBe(true);
  expect([...ic].every((c, i) => c > 0 && c === ds.itemCount[i])).toBe(true);
  expect(ds.histogram.reduce((a, h) => a + h.count, 0)).toBe(n);
  for (const m of [...ds.userMean, ...ds.itemMean]) expect(Number.isFinite(m)).toBe(true);
  expect(ds.hash).toMatch(/^[0-9a-f]{64}$/);
}

/** Loads `dir` after the files were written: a consistent dataset or one DataError. */
async function loadOrRefuse(dir: string, what: string): Promise<Dataset | null> {
  count(what);
  try {
    const ds = await within(loadDataset(dir), 5000, what);
    expectConsistent(ds);
    accepted++;
    return ds;
  } catch (err) {
    expectDataError(err);
    return null;
  }
}

// ---- inputs: mutations of valid fixtures, and arbitrary text ------------------------------------

type Mutation =
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'dupLine'; at: number }
  | { kind: 'dropLine'; at: number }
  | { kind: 'swapLines'; at: number; to: number };

const interesting = fc.constantFrom(0, 9, 10, 13, 32, 34, 44, 45, 46, 58, 124, 0x80, 0xc3, 0xe9, 0xef, 0xfe, 0xff, 48, 53, 57);
const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), interesting);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(byte, { minLength: 1, maxLength: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dupLine' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropLine' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('swapLines' as const), at: fc.nat(), to: fc.nat() }) },
);
const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 });

function mutate(input: Uint8Array, muts: Mutation[]): Buffer {
  let b = Buffer.from(input);
  for (const m of muts) {
    const at = b.length ? m.at % (b.length + 1) : 0;
    if (m.kind === 'set' && b.length) b[at % b.length] = m.byte;
    else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
    else if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len)]);
    else if (m.kind === 'truncate') b = b.subarray(0, at);
    else {
      const lines = b.toString('latin1').split('\n');
      const k = m.at % lines.length;
      if (m.kind === 'dupLine') lines.splice(k, 0, lines[k]);
      else if (m.kind === 'dropLine') lines.splice(k, 1);
      else if (m.kind === 'swapLines') [lines[k], lines[m.to % lines.length]] = [lines[m.to % lines.length], lines[k]];
      b = Buffer.from(lines.join('\n'), 'latin1');
    }
  }
  return b;
}

/** Lines made of plausible and implausible fields joined by `sep`. */
function lineText(sep: string, fields: number): fc.Arbitrary<string> {
  const field = fc.oneof(
    fc.nat({ max: 30 }).map(String),
    fc.constantFrom('', ' ', '1.5', '-1', '+3', '4.', '.5', '1e3', 'NaN', 'Infinity', '0x1f', '99999999999999999999', '"quoted, field"', '"', '::', '\t', 'é', '\u0000'),
    fc.string({ maxLength: 8 }),
  );
  return fc.array(field, { minLength: 1, maxLength: fields + 2 }).map((f) => f.join(sep));
}
const textFile = (sep: string, fields: number, header = '') =>
  fc.array(lineText(sep, fields), { minLength: 0, maxLength: 25 }).map((lines) => header + lines.join('\n') + (lines.length ? '\n' : ''));

/** Mutated valid bytes, random lines, or arbitrary bytes. */
function fileBytes(valid: Uint8Array, sep: string, fields: number, header = ''): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 6, arbitrary: mutations.map((m) => mutate(valid, m)) },
    { weight: 3, arbitrary: textFile(sep, fields, header).map((s) => Buffer.from(s, 'utf8')) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  );
}

const RUNS = Number(process.env.FUZZ_RUNS ?? 700);

// ---- valid fixtures -----------------------------------------------------------------------------

const U_DATA = Buffer.from(uData(8, 6));
const U_ITEM = uItem(6);
const RATINGS_DAT = Buffer.from(['1::10::5::978300760', '1::20::3.5::978302109', '2::10::4::978298413', '3::30::0.5::978300275', '3::20::2::1'].join('\n') + '\n');
const MOVIES_DAT = latin1(['10::Café au Lait (1993)::Comedy|Drama', '20::Heat (1995)::Action', '30::Casino (1995)::(no genres listed)'].join('\n') + '\n');
const RATINGS_CSV = Buffer.from('userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.5,964981247\n2,1,0.5,964982224\n2,6,5.0,964983815\n3,6,2.5,964982931\n');
const MOVIES_CSV = Buffer.from('movieId,title,genres\n1,Toy Story (1995),Adventure|Animation\n3,"American President, The (1995)",Comedy|Drama\n6,"Dr. Strangelove or: How I Learned to Stop Worrying and Love the ""Bomb"" (1964)",Comedy|War\n');
const GENERIC = Buffer.from('user,item,rating,timestamp\nalice,m1,4,2020-01-02\nbob,m1,3.5,1\nalice,m2,5,\ncarol,m3,-2,7\n');
const GENERIC_ITEMS = Buffer.from('item,title,genres\nm1,"One, Two",A|B\nm2,Second,\nm3,Third (2001),C\n');

// ---- the parsers --------------------------------------------------------------------------------

describe('fuzzing the dataset readers: one DataError or a consistent dataset, never a hang', () => {
  it('ML-100K u.data', async () => {
    const dir = writeFolder(tempDir(), 'ml-100k', { 'u.data': U_DATA, 'u.item': U_ITEM });
    await fc.assert(
      fc.asyncProperty(fileBytes(U_DATA, '\t', 4), async (bytes) => {
        writeFileSync(path.join(dir, 'u.data'), bytes);
        await loadOrRefuse(dir, 'u.data');
      }),
      { numRuns: RUNS },
    );
  });

  it('ML-100K u.item (pipes, latin-1, genre flags) and u.genre', async () => {
    const dir = writeFolder(tempDir(), 'ml-100k', { 'u.data': U_DATA, 'u.item': U_ITEM });
    const genre = Buffer.from('unknown|0\nAction|1\nAdventure|2\n');
    await fc.assert(
      fc.asyncProperty(fileBytes(U_ITEM, '|', 24), fc.option(fileBytes(genre, '|', 2), { nil: undefined }), async (items, genres) => {
        writeFileSync(path.join(dir, 'u.item'), items);
        if (genres) writeFileSync(path.join(dir, 'u.genre'), genres);
        const ds = await loadOrRefuse(dir, 'u.item');
        if (ds) expect(ds.titles.every((t) => !t.includes('\n'))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('ML-1M ratings.dat / movies.dat ("::")', async () => {
    const dir = writeFolder(tempDir(), 'ml-1m', { 'ratings.dat': RATINGS_DAT, 'movies.dat': MOVIES_DAT });
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fileBytes(RATINGS_DAT, '::', 4), fileBytes(MOVIES_DAT, '::', 3), async (which, ratings, movies) => {
        writeFileSync(path.join(dir, 'ratings.dat'), which ? ratings : RATINGS_DAT);
        writeFileSync(path.join(dir, 'movies.dat'), which ? MOVIES_DAT : movies);
        await loadOrRefuse(dir, 'ml-1m');
      }),
      { numRuns: RUNS },
    );
  });

  it('ML latest ratings.csv / movies.csv (header, quotes, half stars)', async () => {
    const dir = writeFolder(tempDir(), 'ml-latest', { 'ratings.csv': RATINGS_CSV, 'movies.csv': MOVIES_CSV });
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fileBytes(RATINGS_CSV, ',', 4, 'userId,movieId,rating,timestamp\n'),
        fileBytes(MOVIES_CSV, ',', 3, 'movieId,title,genres\n'),
        async (which, ratings, movies) => {
          writeFileSync(path.join(dir, 'ratings.csv'), which ? ratings : RATINGS_CSV);
          writeFileSync(path.join(dir, 'movies.csv'), which ? MOVIES_CSV : movies);
          // a mangled header makes it a generic folder: still one DataError or a consistent dataset
          await loadOrRefuse(dir, 'ml-csv');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('generic CSV/TSV with an items file', async () => {
    const dir = writeFolder(tempDir(), 'generic', { 'ratings.csv': GENERIC, 'items.csv': GENERIC_ITEMS });
    const tsv = Buffer.from(GENERIC.toString().replace(/,/g, '\t'));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 1, 2),
        fileBytes(GENERIC, ',', 4),
        fileBytes(tsv, '\t', 4),
        fileBytes(GENERIC_ITEMS, ',', 3),
        async (which, csv, tabs, items) => {
          writeFileSync(path.join(dir, 'ratings.csv'), which === 0 ? csv : which === 1 ? tabs : GENERIC);
          writeFileSync(path.join(dir, 'items.csv'), which === 2 ? items : GENERIC_ITEMS);
          await loadOrRefuse(dir, 'generic');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the canonical split files (u1.base / u1.test)', async () => {
    const lines = U_DATA.toString().trim().split('\n');
    const base = Buffer.from(lines.slice(0, 20).join('\n') + '\n');
    const test = Buffer.from(lines.slice(20).join('\n') + '\n');
    const dir = writeFolder(tempDir(), 'ml-100k', { 'u.data': U_DATA, 'u.item': U_ITEM, 'u1.base': base, 'u1.test': test });
    const ds = await loadDataset(dir);
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fileBytes(base, '\t', 4), fileBytes(test, '\t', 4), async (which, b, t) => {
        count('split');
        writeFileSync(path.join(dir, 'u1.base'), which ? b : base);
        writeFileSync(path.join(dir, 'u1.test'), which ? test : t);
        let split;
        try {
          split = makeSplit(ds, 'u1');
        } catch (err) {
          expectDataError(err);
          return;
        }
        const seen = new Set<number>();
        for (const r of [...split.train, ...split.valid]) {
          expect(r >= 0 && r < ds.nRatings).toBe(true);
          expect(seen.has(r)).toBe(false);
          seen.add(r);
        }
        expect(split.coldUserRows + split.coldItemRows).toBeLessThanOrEqual(2 * split.valid.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('random splits of any accepted dataset: disjoint, complete, in range', async () => {
    const dir = writeFolder(tempDir(), 'ml-100k', { 'u.data': U_DATA, 'u.item': U_ITEM });
    await fc.assert(
      fc.asyncProperty(fileBytes(U_DATA, '\t', 4), fc.double({ min: -0.5, max: 1.5, noNaN: false }), fc.integer({ min: -5, max: 2 ** 32 + 5 }), async (bytes, validPct, seed) => {
        writeFileSync(path.join(dir, 'u.data'), bytes);
        const ds = await loadOrRefuse(dir, 'random split');
        if (!ds) return;
        let split;
        try {
          split = makeSplit(ds, 'random', { validPct, seed });
        } catch (err) {
          expectDataError(err);
          return;
        }
        expect(split.train.length + split.valid.length).toBe(ds.nRatings);
        expect(split.train.length).toBeGreaterThan(0);
        expect(split.valid.length).toBeGreaterThan(0);
        expect(new Set([...split.train, ...split.valid]).size).toBe(ds.nRatings);
      }),
      { numRuns: Math.round(RUNS / 2) },
    );
  });
});

describe('fuzzing the text helpers', () => {
  it('parseCsvLine round-trips any fields written with RFC 4180 quoting', () => {
    const field = fc.string({ maxLength: 12, unit: fc.constantFrom('a', 'b', ',', '"', ' ', 'é', ';', '\t') });
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 6 }), fc.constantFrom(',', ';', '\t'), (fields, sep) => {
        count('parseCsvLine');
        const line = fields.map((f) => (f.includes(sep) || f.includes('"') ? `"${f.replace(/"/g, '""')}"` : f)).join(sep);
        expect(parseCsvLine(line, sep)).toEqual(fields);
      }),
      { numRuns: RUNS * 5 },
    );
  });

  it('parseCsvLine on arbitrary text: fields or null, never a throw or a hang', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60, unit: fc.constantFrom('a', ',', '"', ' ', '\\', 'x', '\t') }), (line) => {
        count('parseCsvLine arbitrary');
        const f = parseCsvLine(line);
        if (f !== null) expect(f.length).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: RUNS * 5 },
    );
  });

  it('decodeTitleFile on arbitrary bytes: text without NULs, or one DataError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string().map((s) => Buffer.from(s, 'utf8')), fc.string().map((s) => Buffer.from(s, 'utf16le'))), fc.constantFrom('latin1' as const, 'utf8' as const), (bytes, enc) => {
        count('decodeTitleFile');
        const warnings: string[] = [];
        let text: string;
        try {
          text = decodeTitleFile(bytes, 'titles', enc, warnings);
        } catch (err) {
          expectDataError(err);
          return;
        }
        expect(text.includes('\u0000')).toBe(false);
        expect(textLines(text).every((l) => !l.includes('\n'))).toBe(true);
      }),
      { numRuns: RUNS * 5 },
    );
  });
});

// ---- training flags -----------------------------------------------------------------------------

const FLAGS = ['--model', '--factors', '--layers', '--user-emb', '--item-emb', '--epochs', '--lr', '--wd', '--bs', '--y-range', '--schedule', '--valid-pct', '--seed', '--backend'];

/** Parses train flags exactly as `factorlens train` does (commander + the argParsers), silently. */
function parseFlags(argv: string[]): TrainFlags {
  const cmd = addTrainFlags(new Command('train'))
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  cmd.parse(argv, { from: 'user' });
  return cmd.opts<TrainFlags>();
}

describe('fuzzing the training flags (commander parsers + resolveOptions)', () => {
  it('random flag values: UsageError, ModelError or CommanderError only; anything accepted is in range', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.integer({ min: -5, max: 70000 }).map(String),
      fc.double().map(String),
      fc.constantFrom('', ' ', '0', '-0', '1e400', '-1', 'NaN', 'Infinity', '0x10', '1,2', ',', '5,1', '0,5.5', '100,,50', ' 3 ', 'nn', 'dot', 'dotbias', 'one-cycle', 'constant', 'wasm', 'cpu', '--lr'),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...FLAGS), value), { maxLength: 6 }), (pairs) => {
        count('train flags');
        const argv = pairs.flatMap(([f, v]) => [f, v]);
        let opts;
        try {
          opts = resolveOptions(trainOptionsFromFlags(parseFlags(argv)));
        } catch (err) {
          const e = err as Error;
          if (!(err instanceof CommanderError) && !['UsageError', 'ModelError'].includes(e.name)) {
            throw new Error(`argv ${JSON.stringify(argv)} gave ${e.name}: ${e.message}`);
          }
          expect(e.message).not.toMatch(/\n./);
          return;
        }
        const int = (x: number, lo: number, hi: number) => Number.isInteger(x) && x >= lo && x <= hi;
        expect(['dot', 'dotbias', 'nn']).toContain(opts.model);
        expect(int(opts.factors, 1, 1024) && int(opts.epochs, 1, 1000) && int(opts.bs, 1, 65536) && int(opts.seed, 0, 0xffffffff)).toBe(true);
        expect(int(opts.userEmb, 0, 1024) && int(opts.itemEmb, 0, 1024)).toBe(true);
        expect(opts.layers.length >= 1 && opts.layers.length <= 4 && opts.layers.every((n) => int(n, 1, 2048))).toBe(true);
        expect(opts.lr > 0 && opts.lr <= 10 && opts.wd >= 0 && opts.wd <= 10).toBe(true);
        expect(Number.isFinite(opts.yRange[0]) && opts.yRange[0] < opts.yRange[1]).toBe(true);
        expect(opts.validPct > 0 && opts.validPct < 1).toBe(true);
        expect(['one-cycle', 'constant']).toContain(opts.schedule);
        expect(['auto', 'node', 'wasm', 'cpu']).toContain(opts.backend);
      }),
      { numRuns: RUNS * 5 },
    );
  });
});
