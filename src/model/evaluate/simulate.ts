/**
 * The feedback loop the chapter warns about, live: rounds in which people are shown their top 10, watch
 * what they would watch, and the model is retrained on what they rated (simulationWorld.ts says who
 * is in the world and what they would watch).
 *
 * Each round: train the model from scratch on the world's ratings (the same seed every round, so a round
 * differs from the last only by what people rated), rank every real user's top 10 the way `recommend`
 * does (pick × like over their training ratings, or predicted stars), measure, then let the simulated
 * users watch. Measured per round, over the real users' lists
 * (the simulated users' and a seeded sample of the ordinary users'): catalogue coverage, the mean
 * popularity of what is shown (training ratings per listed movie), the share of slots going to the
 * what-if's genre; and the average user's accuracy — NDCG@10 of the sampled ordinary users against
 * their held-out ratings ≥ 4, and the RMSE of every ordinary user's held-out ratings.
 *
 * Mitigations: 'cap' keeps at most `cap` ratings per user in training; 'diversity' re-ranks each list,
 * taking from the top 50 in turn the movie whose standardised score minus `diversity` × (how many of
 * its genres' movies are already on the list, averaged over its genres) is highest.
 * Deterministic given the seed (training included).
 */
import { performance } from 'node:perf_hooks';
import type { Dataset } from '../../data/types.js';
import { fitPickModel, pickAndLikeScores, settingsForScale, type PickModel } from '../interpret/pickAndLike.js';
import { topKDistinct } from '../interpret/rank.js';
import { scoreItems, trainedUser } from '../models/forward.js';
import { kindOf } from '../models/index.js';
import { trainModel } from '../train/train.js';
import type { ModelWeights, TrainOptions } from '../types.js';
import { ModelError } from '../errors.js';
import { evaluateColumns } from './metrics.js';
import { buildWorld, cappedRows, worldDataset, type Row, type World } from './simulationWorld.js';
import { MITIGATIONS, SIMULATION_DEFAULTS, type SimulationOptions } from './simulationDefaults.js';

export { MITIGATIONS, SIMULATION_DEFAULTS, type Mitigation, type SimulationOptions, type SimulationRanking } from './simulationDefaults.js';

export interface RoundStats {
  round: number;
  /** Share of the catalogue in at least one measured real user's list. */
  coverage: number;
  /** Mean training ratings of the movies in real users' lists (this round's training data). */
  meanPopularity: number;
  /** Share of real users' list slots going to the genre. */
  genreShare: number;
  /** The measured ordinary users' NDCG@k against their held-out ratings ≥ relevant, and every ordinary user's held-out RMSE (NaN for a model that only ranks). */
  ndcg: number;
  rmse: number;
  /** Ratings the simulated users added after seeing their lists. */
  watched: number;
  /** Ratings the model was trained on this round (after the cap). */
  trainRatings: number;
  seconds: number;
}

export interface SimulationReport {
  options: SimulationOptions;
  model: TrainOptions['model'];
  /** Movies in the genre, and their share of the catalogue. */
  genreMovies: number;
  genreCatalogueShare: number;
  ordinaryUsers: number;
  /** Ordinary users whose lists are measured (and ranked) each round. */
  measuredUsers: number;
  rounds: RoundStats[];
  seconds: number;
}

export interface SimulationHooks {
  signal?: AbortSignal;
  onRound?: (r: RoundStats) => void;
  onProgress?: (what: string) => void;
}

export function checkSimulationOptions(o: SimulationOptions): void {
  const whole = (name: string, v: number, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max) throw new ModelError(`${name} must be a whole number from ${min} to ${max}, got ${v}`);
  };
  whole('rounds', o.rounds, 1, 100);
  whole('users', o.users, 1, 100_000);
  whole('enthusiasts', o.enthusiasts, 0, 100_000);
  whole('cap', o.cap, 1, 1_000_000);
  if (!MITIGATIONS.includes(o.mitigation)) throw new ModelError(`mitigation is one of ${MITIGATIONS.join(', ')}, got "${o.mitigation}"`);
  if (!(o.diversity >= 0)) throw new ModelError(`diversity must be 0 or more, got ${o.diversity}`);
}

export async function simulate(ds: Dataset, train: Partial<TrainOptions>, partial: Partial<SimulationOptions> = {}, hooks: SimulationHooks = {}): Promise<SimulationReport> {
  const o: SimulationOptions = { ...SIMULATION_DEFAULTS, ...partial };
  checkSimulationOptions(o);
  const t0 = performance.now();
  const world = buildWorld(ds, o);
  const rounds: RoundStats[] = [];
  let model: TrainOptions['model'] = 'dotbias';
  for (let round = 1; round <= o.rounds; round++) {
    if (hooks.signal?.aborted) break;
    const t = performance.now();
    hooks.onProgress?.(`round ${round}: training on ${world.rows.length} ratings`);
    const rows = o.mitigation === 'cap' ? cappedRows(world, o.cap, o.seed + round) : world.rows;
    const { ds: wds, split } = worldDataset(ds, world, rows);
    const r = await trainModel(wds, split, train, { signal: hooks.signal });
    if (r.reason === 'cancelled') break;
    if (r.reason !== 'completed') throw new ModelError(`training in round ${round} stopped: ${r.message}`);
    model = r.options.model;
    const lists = rankEveryone(ds, world, r.weights, rows, o);
    const stats = measure(ds, world, r.weights, lists, rows, o);
    const trainRatings = rows.length; // before people watch: rows may be the world's own list
    const fed = feedBack(world, lists);
    const s: RoundStats = { round, ...stats, ...fed, trainRatings, seconds: (performance.now() - t) / 1000 };
    rounds.push(s);
    hooks.onRound?.(s);
  }
  let genreMovies = 0;
  for (const x of world.inGenre) genreMovies += x;
  return { options: o, model, genreMovies, genreCatalogueShare: genreMovies / ds.nItems, ordinaryUsers: world.ordinary.length, measuredUsers: world.measured.length, rounds, seconds: (performance.now() - t0) / 1000 };
}

/** The top k of everyone who watches or is measured (simulated, measured ordinary users, enthusiasts), ranked on this round's model and training rows. */
function rankEveryone(ds: Dataset, world: World, w: ModelWeights, trainRows: readonly Row[], o: SimulationOptions): Map<number, number[]> {
  const settings = settingsForScale(ds.scale);
  const cols = { users: Int32Array.from(trainRows, (r) => r.user), items: Int32Array.from(trainRows, (r) => r.item), ratings: Float32Array.from(trainRows, (r) => r.rating) };
  const pick: PickModel | null = o.ranking === 'pick-like' ? fitPickModel(cols, world.nUsers, world.nItems, settings) : null;
  const seenBy = ratedBy(world.rows, world.nUsers);
  const usedBy = ratedBy(trainRows, world.nUsers);
  const key = (i: number) => ds.titles[i] || String(i);
  const stars = new Float32Array(world.nItems);
  const lists = new Map<number, number[]>();
  for (const u of [...world.simulated, ...world.measured, ...world.enthusiasts]) {
    scoreItems(w, trainedUser(w, u), stars);
    const rated = usedBy[u].map(([item, rating]) => ({ item, rating }));
    const scores: ArrayLike<number> = pick ? pickAndLikeScores(pick, stars, rated, settings) : stars;
    // nobody is shown what they have already rated (capped out of training or not)
    const seen = new Set(seenBy[u].map(([item]) => item));
    const seenTitles = new Set([...seen].map(key));
    const skip = (i: number) => seen.has(i) || seenTitles.has(key(i));
    const list = o.mitigation === 'diversity' ? diversify(scores, topKDistinct(scores, 50, skip, key), ds.genres, o.k, o.diversity) : topKDistinct(scores, o.k, skip, key);
    lists.set(u, list);
  }
  return lists;
}

function ratedBy(rows: readonly Row[], nUsers: number): [number, number][][] {
  const by: [number, number][][] = Array.from({ length: nUsers }, () => []);
  for (const r of rows) by[r.user].push([r.item, r.rating]);
  return by;
}

/** Greedy re-ranking of candidates (best first): standardised score minus a penalty for repeating genres already on the list. */
export function diversify(scores: ArrayLike<number>, candidates: readonly number[], genres: readonly string[][], k: number, weight: number): number[] {
  if (candidates.length <= 1 || weight === 0) return candidates.slice(0, k);
  const vals = candidates.map((i) => scores[i]);
  const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
  const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length) || 1;
  const counts = new Map<string, number>();
  const left = candidates.slice();
  const out: number[] = [];
  while (out.length < k && left.length) {
    let best = 0;
    let bestValue = -Infinity;
    left.forEach((i, at) => {
      const gs = genres[i] ?? [];
      const repeat = gs.length ? gs.reduce((s, g) => s + (counts.get(g) ?? 0), 0) / gs.length : 0;
      const v = (scores[i] - mean) / sd - weight * repeat;
      if (v > bestValue) {
        bestValue = v;
        best = at;
      }
    });
    const [chosen] = left.splice(best, 1);
    out.push(chosen);
    for (const g of genres[chosen] ?? []) counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return out;
}

function measure(ds: Dataset, world: World, w: ModelWeights, lists: Map<number, number[]>, trainRows: readonly Row[], o: SimulationOptions): Omit<RoundStats, 'round' | 'watched' | 'trainRatings' | 'seconds'> {
  const popularity = new Float64Array(world.nItems);
  for (const r of trainRows) popularity[r.item]++;
  const listed = new Uint8Array(world.nItems);
  let slots = 0;
  let popSum = 0;
  let genreSlots = 0;
  for (const u of [...world.simulated, ...world.measured]) {
    for (const i of lists.get(u) ?? []) {
      listed[i] = 1;
      slots++;
      popSum += popularity[i];
      genreSlots += world.inGenre[i];
    }
  }
  // the average user: ordinary users' held-out ratings
  const relevant = new Map<number, Set<string>>();
  const key = (i: number) => ds.titles[i] || String(i);
  for (const t of world.test) {
    if (t.rating < o.relevant) continue;
    let s = relevant.get(t.user);
    if (!s) relevant.set(t.user, (s = new Set()));
    s.add(key(t.item));
  }
  let ndcgSum = 0;
  let n = 0;
  for (const u of world.measured) {
    const rel = relevant.get(u);
    if (!rel) continue;
    const list = lists.get(u) ?? [];
    let dcg = 0;
    list.forEach((i, r) => {
      if (rel.has(key(i))) dcg += 1 / Math.log2(r + 2);
    });
    let ideal = 0;
    for (let r = 0; r < Math.min(o.k, rel.size); r++) ideal += 1 / Math.log2(r + 2);
    ndcgSum += dcg / ideal;
    n++;
  }
  const test = { users: Int32Array.from(world.test, (r) => r.user), items: Int32Array.from(world.test, (r) => r.item), ratings: Float32Array.from(world.test, (r) => r.rating) };
  let covered = 0;
  for (let i = 0; i < world.nItems; i++) covered += listed[i];
  return {
    coverage: covered / world.nItems,
    meanPopularity: slots ? popSum / slots : 0,
    genreShare: slots ? genreSlots / slots : 0,
    ndcg: n ? ndcgSum / n : NaN,
    // a model that only ranks (iALS …) predicts no rating: its RMSE would be a number about nothing
    rmse: kindOf(w).shows.ratings ? evaluateColumns(w, test).rmse : NaN,
  };
}

/** The simulated users watch what they would have watched (the enthusiasts have rated all their genre already). */
function feedBack(world: World, lists: Map<number, number[]>): { watched: number } {
  let watched = 0;
  for (const u of world.simulated) {
    const pool = world.pools.get(u)!;
    for (const i of lists.get(u) ?? []) {
      const rating = pool.get(i);
      if (rating === undefined) continue;
      world.rows.push({ user: u, item: i, rating });
      pool.delete(i);
      watched++;
    }
  }
  return { watched };
}
