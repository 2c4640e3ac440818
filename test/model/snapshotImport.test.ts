/** Factor tables from elsewhere (Spark ALS, a PyTorch model) imported as a snapshot that predicts what they do. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset, makeSplit } from '../../src/data/index.js';
import { mulberry32 } from '../../src/model/engine/random.js';
import { predictRows } from '../../src/model/models/forward.js';
import { importFactors, loadSnapshot, readFactorTable, saveSnapshot } from '../../src/model/snapshot/index.js';
import { trainModel } from '../../src/model/train/train.js';
import type { DotBiasWeights } from '../../src/model/types.js';
import { testDataDir } from '../helpers/data.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'fl-import-'));

describe('snapshot import of factor tables', () => {
  it('linear (ALS) factors: the snapshot predicts u·m to within 1e-3 and keeps the dataset titles', async () => {
    const ds = await loadDataset(testDataDir());
    const rng = mulberry32(8);
    const k = 10;
    const table = (ids: string[]) => ids.map((id) => [id, ...Array.from({ length: k }, () => (0.6 * (rng() - 0.3)).toFixed(6))].join(','));
    const dir = tmp();
    // Spark-like text: no header, a few users missing, one id the dataset does not have
    writeFileSync(path.join(dir, 'U.csv'), table([...ds.userIds.slice(5), '99999']).join('\n') + '\n');
    writeFileSync(path.join(dir, 'I.csv'), 'id,features\n' + table(ds.itemIds).map((l) => l.replace(/,(.*)$/, ',"[$1]"')).join('\n') + '\n');
    const users = await readFactorTable(path.join(dir, 'U.csv'));
    const items = await readFactorTable(path.join(dir, 'I.csv'));
    expect([users.dim, items.dim, items.ids.length]).toEqual([k, k, ds.nItems]);
    const r = importFactors(users, items, { link: 'linear', dataset: ds, source: 'U.csv and I.csv' });
    expect([r.missingUsers, r.unknownUsers, r.missingItems]).toEqual([5, 1, 0]);
    expect(r.linearError!).toBeLessThan(1e-3);
    await saveSnapshot('als', r.result, { dir });
    const back = await loadSnapshot('als', { dir, datasetHash: ds.hash });
    expect(back.vocab.titles[0]).toBe(ds.titles[0]);
    const u = 7;
    const items10 = Int32Array.from({ length: 10 }, (_, i) => i * 13);
    const pred = predictRows(back.weights, { users: new Int32Array(10).fill(u), items: items10 });
    items10.forEach((it, j) => {
      let dot = 0;
      for (let f = 0; f < k; f++) dot += users.factors[(u - 5) * k + f] * items.factors[it * k + f];
      expect(Math.abs(pred[j] - dot)).toBeLessThan(1e-3);
    });
  });

  it('logit factors with biases: a model exported as tables comes back with the same predictions', async () => {
    const ds = await loadDataset(testDataDir());
    const split = makeSplit(ds, 'u1');
    const trained = await trainModel(ds, split, { epochs: 1, bs: 1024 });
    const w = trained.weights as DotBiasWeights;
    const dir = tmp();
    const write = (file: string, ids: string[], f: Float32Array, b: Float32Array) =>
      writeFileSync(path.join(dir, file), ['id\tbias\t' + Array.from({ length: w.userDim }, (_, j) => `f${j}`).join('\t'), ...ids.map((id, i) => [id, b[i], ...f.subarray(i * w.userDim, (i + 1) * w.userDim)].join('\t'))].join('\n'));
    write('U.tsv', ds.userIds, w.userFactors, w.userBias);
    write('I.tsv', ds.itemIds, w.itemFactors, w.itemBias);
    const r = importFactors(await readFactorTable(path.join(dir, 'U.tsv')), await readFactorTable(path.join(dir, 'I.tsv')), { link: 'logit', dataset: ds, source: 'tables' });
    expect(r.result.weights.kind).toBe('dotbias');
    const cols = { users: ds.users.subarray(0, 500), items: ds.items.subarray(0, 500) };
    expect(Array.from(predictRows(r.result.weights, cols))).toEqual(Array.from(predictRows(w, cols)));
  });

  it('refuses tables that disagree or do not parse, naming the file and line', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'bad.csv'), '1,0.1,0.2\n2,0.3\n');
    await expect(readFactorTable(path.join(dir, 'bad.csv'))).rejects.toThrow(/bad.csv, line 2: 1 factors where the first row has 2/);
    writeFileSync(path.join(dir, 'nan.csv'), '1,0.1,zero\n');
    await expect(readFactorTable(path.join(dir, 'nan.csv'))).rejects.toThrow(/nan.csv, line 1: expected an id and numbers/);
    writeFileSync(path.join(dir, 'a.csv'), '1,0.1,0.2\n');
    writeFileSync(path.join(dir, 'b.csv'), '1,0.1\n');
    const a = await readFactorTable(path.join(dir, 'a.csv'));
    const b = await readFactorTable(path.join(dir, 'b.csv'));
    expect(() => importFactors(a, b, { link: 'linear', source: 'x' })).toThrow(/2 factors and the movie table 1/);
  });
});
