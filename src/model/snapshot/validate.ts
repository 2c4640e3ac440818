/**
 * Reads a parsed manifest.json defensively: anything a truncated, edited or foreign file could hold
 * ends in one readable message, never a TypeError deep inside the app later.
 */
import { SnapshotError } from './errors.js';
import { FORMAT_ID, FORMAT_VERSION, manifestSealIntact, reviveNumber, shapeOfManifest, type SnapshotManifest } from './manifest.js';
import { MODEL_KINDS, modelKind } from '../models/index.js';
import type { EpochRow, ModelKind } from '../types.js';

type Obj = Record<string, unknown>;

const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;

class Checker {
  constructor(private readonly where: string) {}

  fail(field: string, what: string): never {
    throw new SnapshotError(`is damaged: ${this.where} field "${field}" ${what}`);
  }

  obj(o: Obj, key: string, field = key): Obj {
    const v = o[key];
    if (!isObj(v)) this.fail(field, 'is missing or not an object');
    return v;
  }

  str(o: Obj, key: string, field = key): string {
    if (typeof o[key] !== 'string') this.fail(field, 'is missing or not a string');
    return o[key] as string;
  }

  count(o: Obj, key: string, field = key, min = 0): number {
    const v = o[key];
    if (!isCount(v) || v < min) this.fail(field, `is missing or not a whole number >= ${min}`);
    return v;
  }

  num(o: Obj, key: string, field = key): number {
    if (typeof o[key] !== 'number') this.fail(field, 'is missing or not a number');
    return o[key] as number;
  }

  arr(o: Obj, key: string, field: string, len?: number, every?: (x: unknown) => boolean): unknown[] {
    const v = o[key];
    if (!Array.isArray(v)) this.fail(field, 'is missing or not a list');
    if (len !== undefined && v.length !== len) this.fail(field, `has ${v.length} entries, expected ${len}`);
    if (every && !v.every(every)) this.fail(field, 'holds a value of the wrong type');
    return v;
  }
}

const isStr = (x: unknown) => typeof x === 'string';
const isNum = (x: unknown) => typeof x === 'number';
const isNumOrText = (x: unknown) => typeof x === 'number' || x === 'NaN' || x === 'Infinity' || x === '-Infinity';

/** Checks identity and version first (so a newer file gets the upgrade message), then the seal, then the shape. */
export function validateManifest(raw: unknown, where: string): SnapshotManifest {
  const c: Checker = new Checker(where);
  if (!isObj(raw) || raw.format !== FORMAT_ID) {
    throw new SnapshotError(`is not a factorlens snapshot: ${where} has no "format": "${FORMAT_ID}"`);
  }
  const version = raw.formatVersion;
  if (!Number.isInteger(version) || (version as number) < 1) c.fail('formatVersion', 'is missing or not a whole number >= 1');
  if ((version as number) > FORMAT_VERSION) {
    throw new SnapshotError(
      `was written by a newer factorlens (format ${version as number}); upgrade factorlens (this one reads format ${FORMAT_VERSION})`,
    );
  }
  if (!manifestSealIntact(raw as unknown as SnapshotManifest)) {
    throw new SnapshotError(`is damaged: ${where} was changed after saving (its checksum does not match)`);
  }

  c.str(raw, 'createdAt');
  c.str(raw, 'factorlensVersion');
  c.str(raw, 'backend');
  c.str(raw, 'split');

  const model = c.obj(raw, 'model');
  if (!MODEL_KINDS.includes(model.kind as ModelKind)) c.fail('model.kind', `must be one of ${MODEL_KINDS.join(', ')}`);
  const nUsers = c.count(model, 'nUsers', 'model.nUsers', 1);
  const nItems = c.count(model, 'nItems', 'model.nItems', 1);
  c.count(model, 'userDim', 'model.userDim');
  c.count(model, 'itemDim', 'model.itemDim');
  if (model.sizes !== undefined) {
    const sizes = c.obj(model, 'sizes', 'model.sizes');
    for (const k of Object.keys(sizes)) c.count(sizes, k, `model.sizes.${k}`);
  }
  c.arr(model, 'yRange', 'model.yRange', 2, isNum);
  const layers = c.arr(model, 'layers', 'model.layers');
  layers.forEach((l, i) => {
    if (!isObj(l)) c.fail(`model.layers[${i}]`, 'is not an object');
    c.count(l, 'inDim', `model.layers[${i}].inDim`, 1);
    c.count(l, 'outDim', `model.layers[${i}].outDim`, 1);
  });
  const problem = modelKind(model.kind as ModelKind).shapeProblem(shapeOfManifest(model as unknown as SnapshotManifest['model']));
  if (problem) c.fail('model', `${problem} for a ${String(model.kind)} model`);

  const options = c.obj(raw, 'options');
  c.str(options, 'model', 'options.model');
  for (const k of ['factors', 'epochs', 'lr', 'wd', 'bs', 'validPct', 'seed', 'userEmb', 'itemEmb']) c.num(options, k, `options.${k}`);
  c.arr(options, 'layers', 'options.layers', undefined, isNum);
  c.arr(options, 'yRange', 'options.yRange', 2, isNum);

  const ds = c.obj(raw, 'dataset');
  c.str(ds, 'name', 'dataset.name');
  c.str(ds, 'hash', 'dataset.hash');
  for (const k of ['nRatings', 'nUsers', 'nItems']) c.count(ds, k, `dataset.${k}`);

  if (raw.pick !== undefined) {
    const pick = c.obj(raw, 'pick');
    c.count(pick, 'nRaters', 'pick.nRaters', 1);
    c.count(pick, 'neighbours', 'pick.neighbours');
    c.count(pick, 'likers', 'pick.likers');
    c.num(pick, 'likedMin', 'pick.likedMin');
    for (const k of ['rated', 'early', 'lateUpTo']) if (pick[k] !== undefined) c.count(pick, k, `pick.${k}`);
  }

  const training = c.obj(raw, 'training');
  c.str(training, 'reason', 'training.reason');
  c.str(training, 'message', 'training.message');
  const epochs = c.arr(training, 'epochs', 'training.epochs', undefined, isObj) as Obj[];
  epochs.forEach((row, i) => {
    for (const k of ['epoch', 'trainLoss', 'validLoss', 'validRmse', 'validMae', 'seconds']) {
      if (!isNumOrText(row[k])) c.fail(`training.epochs[${i}].${k}`, 'is missing or not a number');
    }
  });
  const losses = c.arr(training, 'batchLosses', 'training.batchLosses', undefined, isNumOrText);
  training.epochs = epochs.map((row): EpochRow => ({
    epoch: reviveNumber(row.epoch),
    trainLoss: reviveNumber(row.trainLoss),
    validLoss: reviveNumber(row.validLoss),
    validRmse: reviveNumber(row.validRmse),
    validMae: reviveNumber(row.validMae),
    seconds: reviveNumber(row.seconds),
  }));
  training.batchLosses = losses.map(reviveNumber);
  training.seconds = reviveNumber(training.seconds);

  const vocab = c.obj(raw, 'vocab');
  c.arr(vocab, 'userIds', 'vocab.userIds', nUsers, isStr);
  c.arr(vocab, 'userCount', 'vocab.userCount', nUsers, isNum);
  c.arr(vocab, 'userMean', 'vocab.userMean', nUsers, isNum);
  c.arr(vocab, 'itemIds', 'vocab.itemIds', nItems, isStr);
  c.arr(vocab, 'titles', 'vocab.titles', nItems, isStr);
  c.arr(vocab, 'years', 'vocab.years', nItems, (y) => y === null || isNum(y));
  c.arr(vocab, 'genres', 'vocab.genres', nItems, (g) => Array.isArray(g) && g.every(isStr));
  c.arr(vocab, 'itemCount', 'vocab.itemCount', nItems, isNum);
  c.arr(vocab, 'itemMean', 'vocab.itemMean', nItems, isNum);

  const files = c.obj(raw, 'files');
  for (const f of ['model.json', 'weights.bin']) {
    const entry = c.obj(files, f, `files.${f}`);
    c.count(entry, 'bytes', `files.${f}.bytes`);
    if (!/^[0-9a-f]{64}$/.test(c.str(entry, 'sha256', `files.${f}.sha256`))) c.fail(`files.${f}.sha256`, 'is not a sha256 hex digest');
  }
  return raw as unknown as SnapshotManifest;
}
