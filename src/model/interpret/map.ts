/**
 * The map: the movie vectors of the current model laid out in 2-D, the TensorFlow Embedding Projector's
 * ideas for a recommender. Three layouts — PCA (linear, exact), UMAP (umap-js, seeded: the same model
 * gives the same map) and custom axes ("Romance..Sci-Fi": the direction from one group to another) —
 * and what makes a map readable: isolating a genre or a search, a colour attribute, each movie's true
 * neighbours in the model's space and how many of them the map keeps (trustworthiness).
 */
import { UMAP } from 'umap-js';
import { TitleSearch } from '../../data/search.js';
import { mulberry32 } from '../engine/random.js';
import { ModelError } from '../errors.js';
import { kindOf } from '../models/index.js';
import type { ModelWeights, Vocab } from '../types.js';
import { topEigen } from './eigen.js';
import { topK } from './rank.js';

export type MapMethod = 'pca' | 'umap';
/** What a layout was made by: one of the methods, or the custom axes (which replace the method). */
export type MapLayout = MapMethod | 'axes';
export type ColorBy = 'genre' | 'year' | 'ratings' | 'bias';
export const MAP_METHODS: readonly MapMethod[] = ['pca', 'umap'];
export const COLOR_BY: readonly ColorBy[] = ['genre', 'year', 'ratings', 'bias'];

export interface MapOptions {
  method: MapMethod;
  /** How many of the most-rated movies are on the map (after the filter). */
  movies: number;
  /** Custom axes, "A..B" (each end a genre, a comma list of titles, or a search); null: the method's own. */
  x: string | null;
  y: string | null;
  /** Isolate: only movies of this genre, or matching this search, are laid out. */
  genre: string | null;
  search: string | null;
  color: ColorBy;
  /** Neighbours per movie, in the model's space and on the map (trustworthiness compares the two). */
  k: number;
  /** UMAP's random stream. */
  seed: number;
  /** UMAP's neighbourhood size. */
  umapNeighbors: number;
}

export const DEFAULT_MAP_OPTIONS: MapOptions = {
  method: 'pca',
  movies: 1000,
  x: null,
  y: null,
  genre: null,
  search: null,
  color: 'genre',
  k: 10,
  seed: 42,
  umapNeighbors: 15,
};

export interface MapPoint {
  index: number;
  title: string;
  x: number;
  y: number;
  year: number | null;
  genres: string[];
  nRatings: number;
  /** The learned movie bias, null when the model has none. */
  bias: number | null;
  /** The colour attribute's category (a legend entry). */
  group: string;
  /** Share of its true k nearest neighbours (cosine, model space) that are among its k nearest on the map. */
  trust: number;
}

export interface MapAxis {
  /** "PC1 (12.3%)", "Romance → Sci-Fi", "UMAP 1". */
  label: string;
  /** The titles furthest along each end, most extreme first. */
  low: string[];
  high: string[];
  /** Custom axes: how many movies each end's group had. */
  from?: { spec: string; movies: number };
  to?: { spec: string; movies: number };
}

export interface MovieMap {
  layout: MapLayout;
  points: MapPoint[];
  axes: { x: MapAxis; y: MapAxis };
  /** Mean of the points' trust. */
  trustworthiness: number;
  k: number;
  color: ColorBy;
  legend: { group: string; count: number }[];
  /** What was isolated ("genre Sci-Fi", "search "star""), and how many movies were left; null when nothing. */
  filter: { what: string; count: number } | null;
  /** A caveat on reading this model's map (nn), else null. */
  note: string | null;
}

/** Movie vectors of a model, or a typed error saying this kind has none (the baselines). */
export function movieVectors(w: ModelWeights): { dim: number; values: Float32Array } {
  const v = kindOf(w).itemVectors(w);
  if (!v) throw new ModelError(`the ${w.kind} model has no movie factor vectors: a map needs a model with factors (dot, dotbias, nn, ials)`);
  return v;
}

/** The movies a map shows: the most-rated, optionally only a genre's or a search's. */
export function mapMovies(w: ModelWeights, vocab: Vocab, o: Pick<MapOptions, 'movies' | 'genre' | 'search'>): { items: number[]; filter: string | null } {
  let pool: number[] = Array.from({ length: w.nItems }, (_, i) => i);
  let filter: string | null = null;
  if (o.genre) {
    const g = genreNamed(vocab, o.genre);
    pool = pool.filter((i) => (vocab.genres[i] ?? []).includes(g));
    filter = `genre ${g}`;
  }
  if (o.search) {
    const hits = searchGroup(vocab, o.search, 200);
    const set = new Set(hits);
    pool = pool.filter((i) => set.has(i));
    filter = filter ? `${filter}, search "${o.search}"` : `search "${o.search}"`;
  }
  const counts = pool.map((i) => vocab.itemCount[i] ?? 0);
  const items = topK(counts, Math.min(o.movies, pool.length)).map((j) => pool[j]);
  return { items, filter };
}

/** The genre this name means (any case, spaces or dashes ignored), or a typed error listing them. */
export function genreNamed(vocab: Vocab, name: string): string {
  const all = genreList(vocab);
  const want = name.trim().toLowerCase().replace(/[\s_-]+/g, '');
  const g = all.find((x) => x.toLowerCase().replace(/[\s_-]+/g, '') === want);
  if (!g) throw new ModelError(`no genre "${name}": the genres are ${all.join(', ')}`);
  return g;
}

export function genreList(vocab: Vocab): string[] {
  const seen = new Set<string>();
  for (const gs of vocab.genres) for (const g of gs ?? []) seen.add(g);
  return [...seen].sort();
}

const searchers = new WeakMap<Vocab, TitleSearch>();
function searcher(vocab: Vocab): TitleSearch {
  let s = searchers.get(vocab);
  if (!s) searchers.set(vocab, (s = new TitleSearch(vocab.titles, { popularity: vocab.itemCount })));
  return s;
}

/** The movies a search finds closely (fuse.js's threshold), best first. */
function searchGroup(vocab: Vocab, query: string, limit: number): number[] {
  const hits = searcher(vocab).search(query, limit).filter((h) => h.close);
  if (!hits.length) throw new ModelError(`no title matches "${query}"`);
  return hits.map((h) => h.index);
}

/** One end of a custom axis: a genre, a comma list of titles (each resolved), or a search. */
export function axisGroup(vocab: Vocab, spec: string): number[] {
  const s = spec.trim();
  if (!s) throw new ModelError('an axis end is empty: write "A..B", each end a genre, titles separated by commas, or a search');
  const all = genreList(vocab);
  const want = s.toLowerCase().replace(/[\s_-]+/g, '');
  const genre = all.find((x) => x.toLowerCase().replace(/[\s_-]+/g, '') === want);
  if (genre) return vocab.genres.flatMap((gs, i) => (gs?.includes(genre) ? [i] : []));
  if (s.includes(',')) return s.split(',').map((t) => t.trim()).filter(Boolean).map((t) => searcher(vocab).resolve(t));
  return searchGroup(vocab, s, 20);
}

export function parseAxis(text: string): { from: string; to: string } {
  const at = text.indexOf('..');
  if (at < 0) throw new ModelError(`an axis is "FROM..TO" (e.g. "Romance..Sci-Fi"), got "${text}"`);
  return { from: text.slice(0, at), to: text.slice(at + 2) };
}

/**
 * The unit direction from group A's mean vector to group B's. Movies with few ratings are left out of
 * a genre's mean when enough others remain: their vectors are mostly their random start.
 */
export function axisDirection(w: ModelWeights, vocab: Vocab, text: string): { unit: Float64Array; from: number[]; to: number[]; spec: { from: string; to: string } } {
  const spec = parseAxis(text);
  const { dim: d, values } = movieVectors(w);
  const groups = [axisGroup(vocab, spec.from), axisGroup(vocab, spec.to)].map((g) => {
    const rated = g.filter((i) => (vocab.itemCount[i] ?? 0) >= 20);
    return rated.length >= 3 ? rated : g;
  });
  const mean = (g: number[]) => {
    const m = new Float64Array(d);
    for (const i of g) for (let k = 0; k < d; k++) m[k] += values[i * d + k] / g.length;
    return m;
  };
  const [a, b] = groups.map(mean);
  const unit = new Float64Array(d);
  let n = 0;
  for (let k = 0; k < d; k++) n += (unit[k] = b[k] - a[k]) ** 2;
  n = Math.sqrt(n);
  if (!(n > 0)) throw new ModelError(`"${spec.from.trim()}" and "${spec.to.trim()}" have the same mean vector: the axis has no direction`);
  for (let k = 0; k < d; k++) unit[k] /= n;
  return { unit, from: groups[0], to: groups[1], spec: { from: spec.from.trim(), to: spec.to.trim() } };
}

/** Rows of the chosen movies' vectors (Float64). */
function rowsOf(w: ModelWeights, items: number[]): { rows: Float64Array[]; d: number } {
  const { dim: d, values } = movieVectors(w);
  return { rows: items.map((i) => Float64Array.from(values.subarray(i * d, (i + 1) * d))), d };
}

/** Top k principal directions of rows (centred), each sign fixed so its largest entry is positive; with the variance shares. */
export function principalAxes(rows: Float64Array[], d: number, k: number): { vectors: Float64Array[]; ratios: number[]; mean: Float64Array } {
  const n = rows.length;
  const mean = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j] / n;
  const cov = new Float64Array(d * d);
  for (const r of rows) {
    for (let i = 0; i < d; i++) {
      const xi = (r[i] - mean[i]) / Math.max(1, n - 1);
      for (let j = i; j < d; j++) cov[i * d + j] += xi * (r[j] - mean[j]);
    }
  }
  let trace = 0;
  for (let i = 0; i < d; i++) {
    trace += cov[i * d + i];
    for (let j = i + 1; j < d; j++) cov[j * d + i] = cov[i * d + j];
  }
  const { values, vectors } = topEigen(cov, d, Math.min(k, d));
  const fixed = vectors.map((v) => {
    let big = 0;
    for (const x of v) if (Math.abs(x) > Math.abs(big)) big = x;
    return big < 0 ? v.map((x) => -x) : v;
  });
  return { vectors: fixed, ratios: values.map((v) => (trace > 0 ? v / trace : 0)), mean };
}

const dotRow = (r: Float64Array, v: Float64Array, mean?: Float64Array) => {
  let s = 0;
  for (let k = 0; k < r.length; k++) s += (r[k] - (mean ? mean[k] : 0)) * v[k];
  return s;
};

/** A seeded UMAP of unit-length rows (so its euclidean neighbours are the cosine ones), epoch by epoch; yields to the event loop between chunks. */
export async function umapLayout(rows: Float64Array[], o: { seed: number; neighbors: number }, onProgress?: (fraction: number) => void): Promise<number[][]> {
  if (rows.length < 3) return rows.map((_, i) => [i, 0]);
  const unit = rows.map((r) => {
    const n = Math.sqrt(r.reduce((s, x) => s + x * x, 0)) || 1;
    return Array.from(r, (x) => x / n);
  });
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(o.neighbors, rows.length - 1), minDist: 0.1, random: mulberry32(o.seed) });
  const epochs = umap.initializeFit(unit);
  const chunk = 20;
  for (let e = 0; e < epochs; e++) {
    umap.step();
    if (onProgress && e % chunk === chunk - 1) {
      onProgress((e + 1) / epochs);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  onProgress?.(1);
  return umap.getEmbedding();
}

/** Each row's k nearest others by cosine (the model's space), best first. */
export function cosineNeighbours(rows: Float64Array[], k: number): number[][] {
  return cosineTop(rows, k).map((t) => t.indices);
}

/** Each row's k most similar others by cosine, with the similarities: one pass over unit rows in one flat array. */
function cosineTop(rows: Float64Array[], k: number): { indices: number[]; sims: number[] }[] {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const unit = new Float64Array(n * d);
  rows.forEach((r, i) => {
    const norm = Math.sqrt(r.reduce((s, x) => s + x * x, 0)) || 1;
    for (let c = 0; c < d; c++) unit[i * d + c] = r[c] / norm;
  });
  const sims = new Float64Array(n);
  const out: { indices: number[]; sims: number[] }[] = [];
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    for (let j = 0; j < n; j++) {
      if (j === i) {
        sims[j] = -Infinity;
        continue;
      }
      const oj = j * d;
      let s = 0;
      for (let c = 0; c < d; c++) s += unit[oi + c] * unit[oj + c];
      sims[j] = s;
    }
    const indices = topK(sims, Math.min(k, n - 1));
    out.push({ indices, sims: indices.map((j) => sims[j]) });
  }
  return out;
}

export function mapNeighbours(xy: { x: number; y: number }[], k: number): number[][] {
  const n = xy.length;
  const negDist = new Float64Array(n);
  return xy.map((p, i) => {
    for (let j = 0; j < n; j++) negDist[j] = j === i ? -Infinity : -((xy[j].x - p.x) ** 2 + (xy[j].y - p.y) ** 2);
    return topK(negDist, Math.min(k, n - 1));
  });
}

/** Per point: the share of its true neighbours that are also its map neighbours. */
export function trustScores(trueNb: number[][], mapNb: number[][]): number[] {
  return trueNb.map((t, i) => {
    if (!t.length) return 1;
    const m = new Set(mapNb[i]);
    return t.filter((j) => m.has(j)).length / t.length;
  });
}

/** Where each axis's ends are: the titles with the lowest and highest coordinate. */
function ends(points: { title: string }[], coord: number[], n: number): { low: string[]; high: string[] } {
  const order = coord.map((_, i) => i).sort((a, b) => coord[a] - coord[b]);
  const titles = (idx: number[]) => [...new Set(idx.map((i) => points[i].title))].slice(0, n);
  return { low: titles(order.slice(0, n * 2)), high: titles(order.slice(-n * 2).reverse()) };
}

/** The colour attribute's category for one movie. */
export function groupOf(color: ColorBy, p: { genres: string[]; year: number | null; nRatings: number; bias: number | null }, cuts: number[]): string {
  switch (color) {
    case 'genre':
      return MAIN_GENRES.find((g) => p.genres.includes(g)) ?? (p.genres[0] ? 'other' : 'none');
    case 'year':
      return p.year === null ? 'unknown' : p.year < 1970 ? 'before 1970' : p.year < 1990 ? '1970–1989' : p.year < 1995 ? '1990–1994' : '1995 on';
    case 'ratings':
      return p.nRatings < 50 ? '< 50 ratings' : p.nRatings < 150 ? '50–149' : p.nRatings < 300 ? '150–299' : '300 +';
    case 'bias':
      if (p.bias === null) return 'no bias';
      return p.bias < cuts[0] ? 'lowest third' : p.bias < cuts[1] ? 'middle third' : 'highest third';
  }
}

/** The genres a legend can tell apart (a movie takes the first of these it has, in this order). */
const MAIN_GENRES = ['Sci-Fi', 'Horror', 'Animation', "Children's", 'Romance', 'Comedy', 'Action', 'Thriller', 'Drama'];

/** How a map is computed: its progress, and where UMAP runs (the app passes a worker; default here, in this thread). */
export interface MapHooks {
  onProgress?: (fraction: number) => void;
  umap?: typeof umapLayout;
}

/** The whole map of the current model. */
export async function movieMap(w: ModelWeights, vocab: Vocab, options: Partial<MapOptions> = {}, hooks: MapHooks = {}): Promise<MovieMap> {
  const o = { ...DEFAULT_MAP_OPTIONS, ...options };
  if (!MAP_METHODS.includes(o.method)) throw new ModelError(`method must be one of ${MAP_METHODS.join(', ')}, got "${o.method}"`);
  if (!COLOR_BY.includes(o.color)) throw new ModelError(`color must be one of ${COLOR_BY.join(', ')}, got "${o.color}"`);
  if (!Number.isInteger(o.k) || o.k < 1) throw new ModelError(`k must be a whole number of at least 1, got ${o.k}`);
  movieVectors(w);
  const { items, filter } = mapMovies(w, vocab, o);
  if (items.length < 2) throw new ModelError(`${filter ?? 'the map'} leaves ${items.length} movie${items.length === 1 ? '' : 's'}: a map needs 2 or more`);
  const { rows, d } = rowsOf(w, items);
  const titles = items.map((i) => vocab.titles[i] ?? String(i));
  let xs: number[];
  let ys: number[];
  let layout: MapLayout = o.method;
  const axisInfo: { x?: Omit<MapAxis, 'low' | 'high'>; y?: Omit<MapAxis, 'low' | 'high'> } = {};
  if (o.x || o.y) {
    layout = 'axes';
    const custom = (text: string) => {
      const a = axisDirection(w, vocab, text);
      return { a, info: { label: `${a.spec.from} → ${a.spec.to}`, from: { spec: a.spec.from, movies: a.from.length }, to: { spec: a.spec.to, movies: a.to.length } } };
    };
    const cx = o.x ? custom(o.x) : null;
    const cy = o.y ? custom(o.y) : null;
    // the missing axis: the largest variance left once the given axis is taken out
    const other = (given: Float64Array): { v: Float64Array; label: string } => {
      const resid = rows.map((r) => {
        const s = dotRow(r, given);
        return r.map((x, k) => x - s * given[k]);
      });
      const pc = principalAxes(resid, d, 1);
      return { v: pc.vectors[0], label: `PC1 of the rest (${(pc.ratios[0] * 100).toFixed(1)}%)` };
    };
    const ax = cx ? { v: cx.a.unit, label: cx.info.label } : other(cy!.a.unit);
    const ay = cy ? { v: cy.a.unit, label: cy.info.label } : other(cx!.a.unit);
    xs = rows.map((r) => dotRow(r, ax.v));
    ys = rows.map((r) => dotRow(r, ay.v));
    axisInfo.x = cx ? cx.info : { label: ax.label };
    axisInfo.y = cy ? cy.info : { label: ay.label };
  } else if (o.method === 'pca') {
    if (d < 2) throw new ModelError('a PCA map needs movie vectors of 2 or more factors');
    const pc = principalAxes(rows, d, 2);
    xs = rows.map((r) => dotRow(r, pc.vectors[0], pc.mean));
    ys = rows.map((r) => dotRow(r, pc.vectors[1], pc.mean));
    axisInfo.x = { label: `PC1 (${(pc.ratios[0] * 100).toFixed(1)}%)` };
    axisInfo.y = { label: `PC2 (${(pc.ratios[1] * 100).toFixed(1)}%)` };
  } else {
    const e = await (hooks.umap ?? umapLayout)(rows, { seed: o.seed, neighbors: o.umapNeighbors }, hooks.onProgress);
    xs = e.map((p) => p[0]);
    ys = e.map((p) => p[1]);
    axisInfo.x = { label: 'UMAP 1' };
    axisInfo.y = { label: 'UMAP 2' };
  }
  const xy = xs.map((x, i) => ({ x, y: ys[i] }));
  const trust = trustScores(cosineNeighbours(rows, o.k), mapNeighbours(xy, o.k));
  const itemBias = kindOf(w).biases(w)?.item ?? null;
  const biasOf = (i: number) => (itemBias ? itemBias[i] : null);
  const sortedBias = itemBias ? items.map((i) => itemBias[i]).sort((a, b) => a - b) : [];
  const cuts = sortedBias.length ? [sortedBias[Math.floor(sortedBias.length / 3)], sortedBias[Math.floor((2 * sortedBias.length) / 3)]] : [0, 0];
  const points: MapPoint[] = items.map((index, n) => {
    const base = { genres: vocab.genres[index] ?? [], year: vocab.years[index] ?? null, nRatings: vocab.itemCount[index] ?? 0, bias: biasOf(index) };
    return { index, title: titles[n], x: xs[n], y: ys[n], ...base, group: groupOf(o.color, base, cuts), trust: trust[n] };
  });
  const counts = new Map<string, number>();
  for (const p of points) counts.set(p.group, (counts.get(p.group) ?? 0) + 1);
  const legend = [...counts].map(([group, count]) => ({ group, count })).sort((a, b) => b.count - a.count);
  const ex = ends(points, xs, 3);
  const ey = ends(points, ys, 3);
  return {
    layout,
    points,
    axes: { x: { ...axisInfo.x!, ...ex }, y: { ...axisInfo.y!, ...ey } },
    trustworthiness: trust.reduce((a, b) => a + b, 0) / trust.length,
    k: o.k,
    color: o.color,
    legend,
    filter: filter ? { what: filter, count: points.length } : null,
    note: kindOf(w).shows.popularityInFactors ? 'nn embeddings also encode how well liked a movie is: nearby can mean equally liked' : null,
  };
}

/** The k nearest movies on the map to one of its points (by model cosine), each with its cosine and whether the map keeps it near. */
export function mapNeighboursOf(w: ModelWeights, map: MovieMap, at: number, k = map.k): { index: number; title: string; cosine: number; onMap: boolean; point: number }[] {
  const { rows } = rowsOf(w, map.points.map((p) => p.index));
  const norms = rows.map((r) => Math.sqrt(r.reduce((s, x) => s + x * x, 0)) || 1);
  const sims = Float64Array.from(rows, (r, j) => (j === at ? -Infinity : dotRow(rows[at], r) / (norms[at] * norms[j])));
  const near = new Set(mapNeighbours(map.points, k)[at]);
  return topK(sims, Math.min(k, rows.length - 1)).map((j) => ({ index: map.points[j].index, title: map.points[j].title, cosine: sims[j], onMap: near.has(j), point: j }));
}

/**
 * Where a user (factors in the movies' space: dot, dotbias) sits on a map: the mean position of the
 * movies whose vectors point most their way (the top n by cosine), so it lands inside the cloud on
 * every layout, near what they would like.
 */
export function placeUser(w: ModelWeights, map: MovieMap, userFactors: ArrayLike<number>, n = 10): { x: number; y: number } | null {
  const { rows, d } = rowsOf(w, map.points.map((p) => p.index));
  if (userFactors.length !== d || rows.length === 0) return null;
  const u = Float64Array.from(userFactors);
  const nu = Math.sqrt(u.reduce((s, x) => s + x * x, 0));
  if (!(nu > 0)) return null;
  const sims = Float64Array.from(rows, (r) => dotRow(r, u) / ((Math.sqrt(r.reduce((s, x) => s + x * x, 0)) || 1) * nu));
  const top = topK(sims, Math.min(n, rows.length));
  return { x: top.reduce((s, j) => s + map.points[j].x, 0) / top.length, y: top.reduce((s, j) => s + map.points[j].y, 0) / top.length };
}
