import { UMAP } from 'umap-js';
import { loadDataset, makeSplit, TitleSearch } from './src/data/index.js';
import { cosineNeighbours, mapNeighbours, trustScores } from './src/model/interpret/index.js';
import { principalAxes } from './src/model/interpret/map.js';
import { mulberry32 } from './src/model/engine/random.js';
import { trainModel } from './src/model/train/train.js';
import { topK } from './src/model/interpret/rank.js';
const ds = await loadDataset('/work/shared/data/ml-100k');
const m = await trainModel(ds, makeSplit(ds, 'u1'), { model: 'dotbias', factors: 50, epochs: 5, lr: 5e-3, wd: 0.1, bs: 64, split: 'u1' });
const t = new TitleSearch(ds.titles, { popularity: ds.itemCount });
const sw = t.resolve('Star Wars (1977)');
for (const N of [1000, 1682]) {
const items = topK(Float64Array.from(ds.itemCount), N);
const swAt = items.indexOf(sw);
const rows = items.map((i) => Float64Array.from(m.weights.itemFactors.subarray(i * 50, i * 50 + 50)));
const unit = rows.map((r) => { const n = Math.hypot(...r) || 1; return Array.from(r, (x) => x / n); });
const truth = cosineNeighbours(rows, 10);
for (const [epochs, nb, pcaInit] of [[200, 15, false], [200, 15, true], [500, 15, false]] as const) {
  const res: string[] = [];
  const t0 = performance.now();
  for (const seed of [1, 2, 3, 42, 7]) {
    const u = new UMAP({ nComponents: 2, nNeighbors: nb, minDist: 0.1, nEpochs: epochs, random: mulberry32(seed) });
    const idx = cosineNeighbours(rows, nb - 1);
    u.setPrecomputedKNN(idx.map((r, i) => [i, ...r]), idx.map((r, i) => [0, ...r.map((j) => Math.sqrt(Math.max(0, 2 - 2 * unit[i].reduce((s, x, k) => s + x * unit[j][k], 0))))]));
    const n = u.initializeFit(unit);
    if (pcaInit) {
      const pc = principalAxes(unit.map((r) => Float64Array.from(r)), 50, 2);
      const init = unit.map((r) => pc.vectors.map((v) => r.reduce((s, x, k) => s + (x - pc.mean[k]) * v[k], 0)));
      const sc = 10 / Math.max(...init.flat().map(Math.abs));
      u.getEmbedding().forEach((p, i) => { p[0] = init[i][0] * sc; p[1] = init[i][1] * sc; });
    }
    for (let k = 0; k < n; k++) u.step();
    const tr = trustScores(truth, mapNeighbours(u.getEmbedding().map(([x, y]) => ({ x, y })), 10));
    res.push(`${(tr.reduce((a, b) => a + b) / tr.length).toFixed(3)}/${tr[swAt]}`);
  }
  console.log(`N ${N} exact-knn pcaInit ${pcaInit} epochs ${epochs} nb ${nb}: ${res.join(' ')}  ${((performance.now() - t0) / 5).toFixed(0)} ms each`);
}}
