/**
 * The world a feedback-loop simulation runs in (simulate.ts): who is in it, what each person would
 * watch, and the ratings the model is trained on, round by round.
 *
 * - SIMULATED users are drawn (seeded) from the real users with ≥ 40 ratings. Their earliest ratings are
 *   known from the start; the rest are their hidden POOL: shown a movie from it, they watch it and give
 *   it the rating they really gave; shown anything else, they pass.
 * - ORDINARY users are everyone else: all their ratings but a seeded 10 % are in training from the
 *   start; the 10 % are held out to measure the average user's accuracy each round. A seeded sample of
 *   them (`measure`) have their lists ranked and measured each round (ranking all ~750 every round
 *   would double a round's time for the same averages).
 * - ENTHUSIASTS (the what-if: the chapter's anime watchers) are extra users who love one genre: each has
 *   rated every movie of it 5★ — and nothing else — so each weighs as much as a heavy real user.
 * - The CAP mitigation keeps at most `cap` ratings of each user in training (a seeded sample each round):
 *   no one person's ratings weigh more than `cap` ratings' worth.
 */
import { mulberry32 } from '../../data/index.js';
import type { Dataset, Split } from '../../data/types.js';
import { ModelError } from '../errors.js';

export interface WorldOptions {
  /** Simulated users drawn from the real ones. */
  users: number;
  /** Ordinary users (with a held-out liked rating) whose lists are measured each round. */
  measure: number;
  /** Their earliest ratings known at the start. */
  known: number;
  minRatings: number;
  /** Share of an ordinary user's ratings held out for accuracy. */
  testShare: number;
  enthusiasts: number;
  genre: string;
  seed: number;
}

export interface Row {
  user: number;
  item: number;
  rating: number;
}

export interface World {
  /** Users 0..nReal−1 are the dataset's; enthusiasts follow. */
  nUsers: number;
  nReal: number;
  nItems: number;
  simulated: number[];
  ordinary: number[];
  /** The ordinary users whose lists are measured. */
  measured: number[];
  enthusiasts: number[];
  /** Each simulated user's hidden ratings by movie (what they would give a movie if shown it). */
  pools: Map<number, Map<number, number>>;
  /** Everything in training now (grows as people watch). */
  rows: Row[];
  /** The ordinary users' held-out ratings. */
  test: Row[];
  /** The genre of the what-if, and which movies are in it. */
  genre: string;
  inGenre: Uint8Array;
}

export function buildWorld(ds: Dataset, o: WorldOptions): World {
  if (!ds.genreNames.includes(o.genre)) throw new ModelError(`unknown genre "${o.genre}": this catalogue has ${ds.genreNames.filter((g) => g !== 'unknown').join(', ')}`);
  const eligible: number[] = [];
  for (let u = 0; u < ds.nUsers; u++) if (ds.userCount[u] >= o.minRatings) eligible.push(u);
  if (eligible.length < o.users) throw new ModelError(`the simulation draws ${o.users} users with ≥ ${o.minRatings} ratings; this dataset has ${eligible.length}`);
  const rand = mulberry32(o.seed);
  for (let k = eligible.length - 1; k > 0; k--) {
    const j = Math.floor(rand() * (k + 1));
    [eligible[k], eligible[j]] = [eligible[j], eligible[k]];
  }
  const simulated = eligible.slice(0, o.users).sort((a, b) => a - b);
  const isSimulated = new Uint8Array(ds.nUsers);
  for (const u of simulated) isSimulated[u] = 1;
  const ordinary = Array.from({ length: ds.nUsers }, (_, u) => u).filter((u) => !isSimulated[u]);

  const byUser: { item: number; rating: number; ts: number; r: number }[][] = Array.from({ length: ds.nUsers }, () => []);
  for (let r = 0; r < ds.nRatings; r++) byUser[ds.users[r]].push({ item: ds.items[r], rating: ds.ratings[r], ts: ds.timestamps[r], r });
  const rows: Row[] = [];
  const test: Row[] = [];
  const pools = new Map<number, Map<number, number>>();
  const testRand = mulberry32(o.seed + 1);
  for (let u = 0; u < ds.nUsers; u++) {
    if (isSimulated[u]) {
      const sorted = byUser[u].sort((a, b) => a.ts - b.ts || a.r - b.r);
      for (const x of sorted.slice(0, o.known)) rows.push({ user: u, item: x.item, rating: x.rating });
      pools.set(u, new Map(sorted.slice(o.known).map((x) => [x.item, x.rating])));
    } else {
      for (const x of byUser[u]) (testRand() < o.testShare ? test : rows).push({ user: u, item: x.item, rating: x.rating });
    }
  }
  const withLiked = new Set(test.filter((t) => t.rating >= 4).map((t) => t.user));
  const measureRand = mulberry32(o.seed + 3);
  const candidates = ordinary.filter((u) => withLiked.has(u));
  for (let k = candidates.length - 1; k > 0; k--) {
    const j = Math.floor(measureRand() * (k + 1));
    [candidates[k], candidates[j]] = [candidates[j], candidates[k]];
  }
  const measured = candidates.slice(0, o.measure).sort((a, b) => a - b);
  const inGenre = Uint8Array.from(ds.genres, (gs) => (gs.includes(o.genre) ? 1 : 0));
  const genreMovies = Array.from({ length: ds.nItems }, (_, i) => i).filter((i) => inGenre[i]);
  const enthusiasts = Array.from({ length: o.enthusiasts }, (_, k) => ds.nUsers + k);
  for (const e of enthusiasts) for (const i of genreMovies) rows.push({ user: e, item: i, rating: ds.scale.max });
  return { nUsers: ds.nUsers + o.enthusiasts, nReal: ds.nUsers, nItems: ds.nItems, simulated, ordinary, measured, enthusiasts, pools, rows, test, genre: o.genre, inGenre };
}

/** The training rows with each user kept to at most `cap` of theirs (a seeded sample), or all of them. */
export function cappedRows(w: World, cap: number | null, seed: number): Row[] {
  if (cap === null) return w.rows;
  const byUser = new Map<number, Row[]>();
  for (const r of w.rows) {
    let list = byUser.get(r.user);
    if (!list) byUser.set(r.user, (list = []));
    list.push(r);
  }
  const rand = mulberry32(seed);
  const out: Row[] = [];
  for (const [, list] of [...byUser].sort((a, b) => a[0] - b[0])) {
    if (list.length <= cap) {
      out.push(...list);
      continue;
    }
    const idx = list.map((_, k) => k);
    for (let k = idx.length - 1; k > 0; k--) {
      const j = Math.floor(rand() * (k + 1));
      [idx[k], idx[j]] = [idx[j], idx[k]];
    }
    for (const k of idx.slice(0, cap).sort((a, b) => a - b)) out.push(list[k]);
  }
  return out;
}

/**
 * The world's training rows (and the ordinary users' test rows) as a dataset the trainer takes: the
 * real users' ids, then "enthusiast-1", …; the movies as they are. Train rows first, test rows after.
 */
export function worldDataset(ds: Dataset, w: World, train: readonly Row[]): { ds: Dataset; split: Split } {
  const all = [...train, ...w.test];
  const n = all.length;
  const users = Int32Array.from(all, (r) => r.user);
  const items = Int32Array.from(all, (r) => r.item);
  const ratings = Float32Array.from(all, (r) => r.rating);
  const userIds = [...ds.userIds, ...w.enthusiasts.map((_, k) => `enthusiast-${k + 1}`)];
  const itemCount = new Int32Array(ds.nItems);
  const itemSum = new Float64Array(ds.nItems);
  const userCount = new Int32Array(w.nUsers);
  const userSum = new Float64Array(w.nUsers);
  for (const r of train) {
    itemCount[r.item]++;
    itemSum[r.item] += r.rating;
    userCount[r.user]++;
    userSum[r.user] += r.rating;
  }
  const world: Dataset = {
    ...ds,
    name: `${ds.name} (simulated)`,
    nRatings: n,
    nUsers: w.nUsers,
    users,
    items,
    ratings,
    timestamps: new Float64Array(n),
    userIds,
    userIndex: new Map(userIds.map((id, k) => [id, k])),
    itemCount,
    itemMean: Float32Array.from(itemSum, (s, i) => (itemCount[i] ? s / itemCount[i] : 0)),
    userCount,
    userMean: Float32Array.from(userSum, (s, u) => (userCount[u] ? s / userCount[u] : 0)),
    userInfo: undefined,
    hash: `simulated-${n}`,
  };
  const split: Split = {
    name: 'random',
    train: Int32Array.from({ length: train.length }, (_, k) => k),
    valid: Int32Array.from({ length: w.test.length }, (_, k) => train.length + k),
    coldUserRows: 0,
    coldItemRows: 0,
    description: 'the simulated world: training rows, then the ordinary users\' held-out ratings',
  };
  return { ds: world, split };
}
