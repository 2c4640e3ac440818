/**
 * The new-user benchmark: people the model never saw, revealing a few ratings the way a new user
 * arrives (their earliest, by timestamp) or at random, each list ranked over the whole catalogue.
 *
 * - Eligible users have ≥ 40 ratings; they are shuffled with a seed and cut into groups of 60. The
 *   first groups are VALIDATION users (for tuning a ranking), the next REPORT users (what is reported;
 *   never tuned on). Each group gets its own model, trained on every rating of everyone outside it.
 * - For each held-out user the list is the top 10 distinct titles from the revealed ratings alone,
 *   skipping what they revealed; relevant = their hidden ratings ≥ 4 (by title: a film listed twice
 *   counts once). P@10, Recall@10 and NDCG@10 (binary) over users with a relevant hidden rating;
 *   coverage = share of the catalogue in anyone's list; popularity = mean training count of listed movies.
 * - The same users and reveals for every method: popularity (the most-rated), binary-cosine item-kNN,
 *   the model's plain predicted stars, and pick × like (what `recommend` shows).
 * - Questionnaire mode (`questionnaire`): each held-out user also answers the taste questionnaire
 *   (coldstart/features.ts), the answers read from their hidden ratings the way the trained users' are
 *   read from theirs: by default from a random half of them, the other half alone deciding relevance
 *   (answersFrom 'half': no hidden rating both writes an answer and is scored), or from all of them
 *   ('hidden': a person who knows their own taste, but the answers then echo the ratings scored). Reveal 0 is the
 *   questionnaire alone. 'questionnaire' is pick × like whose fold-in starts from the answers' θ (what
 *   `recommend --likes/--dislikes` shows); 'questionnaire stars' ranks by that θ's predicted stars.
 */
import { performance } from 'node:perf_hooks';
import { mulberry32, withoutUsers } from '../../data/index.js';
import type { Dataset, Split } from '../../data/types.js';
import { scoreItems } from '../models/forward.js';
import { foldIn, type RatedItem } from '../interpret/foldin.js';
import { fitPickModel, pickAndLikeScores, pickScores, settingsForScale, type PickModel } from '../interpret/pickAndLike.js';
import { topKDistinct } from '../interpret/rank.js';
import { trainModel } from '../train/train.js';
import type { ModelWeights, TrainOptions } from '../types.js';
import { ModelError } from '../errors.js';
import { meanInterval, pairedRatioInterval, type Interval } from './bootstrap.js';
import type { Answer } from '../coldstart/features.js';
import { answersOf, fitTasteModel, questionnaireStart, type TasteModel } from '../coldstart/questionnaire.js';

export type RevealMode = 'earliest' | 'random';
export type UserRole = 'validation' | 'report';

export interface NewUserOptions {
  seed: number;
  minRatings: number;
  groupSize: number;
  validationGroups: number;
  reportGroups: number;
  /** Which users to measure on: report (the default) or validation (for tuning). */
  role: UserRole;
  reveal: number[];
  modes: RevealMode[];
  k: number;
  relevant: number;
  /** Also answer the taste questionnaire (and measure what it gives). */
  questionnaire: boolean;
  /** Where a held-out user's answers come from: their hidden ratings, or a random half of them (the other half is scored). */
  answersFrom: 'hidden' | 'half';
}

export const NEW_USER_DEFAULTS: NewUserOptions = {
  seed: 14,
  minRatings: 40,
  groupSize: 60,
  validationGroups: 2,
  reportGroups: 3,
  role: 'report',
  reveal: [5, 10, 20],
  modes: ['earliest', 'random'],
  k: 10,
  relevant: 4,
  questionnaire: false,
  answersFrom: 'half',
};

export type NewUserMethod = 'popularity' | 'item-kNN' | 'predicted stars' | 'pick × like' | 'questionnaire stars' | 'questionnaire';
export const NEW_USER_METHODS: NewUserMethod[] = ['popularity', 'item-kNN', 'predicted stars', 'pick × like'];
export const QUESTIONNAIRE_METHODS: NewUserMethod[] = ['questionnaire stars', 'questionnaire'];

export interface MethodScore {
  method: NewUserMethod;
  users: number;
  precision: number;
  recall: number;
  ndcg: number;
  /** NDCG@k's 95 % interval from resampling the users. */
  ndcgInterval: Interval;
  coverage: number;
  meanPopularity: number;
  /** Milliseconds to score one user's catalogue (fold-in included where there is one). */
  msPerUser: number;
}

export interface NewUserCell {
  mode: RevealMode;
  reveal: number;
  rows: MethodScore[];
  /** Which method the ratios are of: pick × like, or the questionnaire in questionnaire mode. */
  ours: NewUserMethod;
  /** NDCG@10 of ours over popularity's and over the better of popularity and item-kNN, with 95 % paired-bootstrap intervals. */
  vsPopularity: Ratio;
  vsBestBaseline: Ratio;
  /** Questionnaire mode: the questionnaire over the same ranking without answers (pick × like). */
  vsWithoutAnswers?: Ratio;
}

export interface Ratio {
  ratio: number;
  low: number;
  high: number;
  /** Which baseline it is against. */
  against: NewUserMethod;
}

export interface NewUserReport {
  options: NewUserOptions;
  model: TrainOptions['model'];
  /** Held-out users measured, and the groups' sizes. */
  users: number;
  cells: NewUserCell[];
  seconds: number;
}

interface HeldOutUser {
  /** Ratings by timestamp (ties: file order). */
  rows: RatedItem[];
  /** Stable per-user number for the random reveal's seed. */
  id: number;
}

interface Fitted {
  users: HeldOutUser[];
  weights: ModelWeights;
  pick: PickModel;
  knn: PickModel;
  popularity: Float64Array;
  /** Questionnaire mode: the taste model fitted on this group's model and training ratings. */
  taste: TasteModel | null;
}

/** What a method knows of a held-out user. */
interface Known {
  revealed: RatedItem[];
  answers: Answer[] | null;
}

/** Eligible users, shuffled and cut into groups; `role` picks validation or report groups. */
function groups(ds: Dataset, o: NewUserOptions): number[][] {
  const eligible: number[] = [];
  for (let u = 0; u < ds.nUsers; u++) if (ds.userCount[u] >= o.minRatings) eligible.push(u);
  const rand = mulberry32(o.seed);
  for (let k = eligible.length - 1; k > 0; k--) {
    const j = Math.floor(rand() * (k + 1));
    [eligible[k], eligible[j]] = [eligible[j], eligible[k]];
  }
  const n = o.validationGroups + o.reportGroups;
  if (eligible.length < n * o.groupSize) {
    throw new ModelError(`the new-user benchmark needs ${n * o.groupSize} users with ≥ ${o.minRatings} ratings; this dataset has ${eligible.length}`);
  }
  const all = Array.from({ length: n }, (_, g) => eligible.slice(g * o.groupSize, (g + 1) * o.groupSize));
  return o.role === 'validation' ? all.slice(0, o.validationGroups) : all.slice(o.validationGroups);
}

function ratingsByUser(ds: Dataset, users: number[]): HeldOutUser[] {
  const want = new Map(users.map((u, k) => [u, k]));
  const rows: { item: number; rating: number; ts: number; r: number }[][] = users.map(() => []);
  for (let r = 0; r < ds.nRatings; r++) {
    const k = want.get(ds.users[r]);
    if (k !== undefined) rows[k].push({ item: ds.items[r], rating: ds.ratings[r], ts: ds.timestamps[r], r });
  }
  return rows.map((list, k) => ({
    id: users[k],
    rows: list.sort((a, b) => a.ts - b.ts || a.r - b.r).map(({ item, rating }) => ({ item, rating })),
  }));
}

/** Every rating of the others is training data; a 5 % sample of it stands in as validation (reported by the trainer only). */
function allRowsSplit(ds: Dataset, seed: number): Split {
  const rand = mulberry32(seed);
  const valid: number[] = [];
  for (let r = 0; r < ds.nRatings; r++) if (rand() < 0.05) valid.push(r);
  return {
    name: 'random',
    train: Int32Array.from({ length: ds.nRatings }, (_, r) => r),
    valid: Int32Array.from(valid),
    coldUserRows: 0,
    coldItemRows: 0,
    description: `every rating of ${ds.nUsers} users; validation is a 5 % sample of them`,
  };
}

export function revealRatings(u: HeldOutUser, k: number, mode: RevealMode, seed: number): { revealed: RatedItem[]; hidden: RatedItem[] } {
  const order = u.rows.map((_, i) => i);
  if (mode === 'random') {
    const rand = mulberry32((seed * 100003 + u.id * 7919 + k) >>> 0);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
  }
  const shown = new Set(order.slice(0, k));
  const revealed: RatedItem[] = [];
  const hidden: RatedItem[] = [];
  u.rows.forEach((r, i) => (shown.has(i) ? revealed : hidden).push(r));
  return { revealed, hidden };
}

/** Scores of every movie for a new user by one method (higher first). */
function score(f: Fitted, method: NewUserMethod, { revealed, answers }: Known, scale: Dataset['scale']): ArrayLike<number> {
  const start = () => {
    if (!f.taste || !answers) throw new ModelError(`${method} needs the questionnaire mode`);
    const q = questionnaireStart(f.taste, answers, f.pick, revealed.length);
    return { pick: q.pick, stars: scoreItems(f.weights, foldIn(f.weights, revealed, { prior: q.prior }).theta) };
  };
  switch (method) {
    case 'questionnaire stars':
      return start().stars;
    case 'questionnaire': {
      const q = start();
      return pickAndLikeScores(q.pick, q.stars, revealed, settingsForScale(scale));
    }
    case 'popularity':
      return f.popularity;
    case 'item-kNN':
      // every rated movie counts once, whatever its stars: binary cosine kNN
      return pickScores(f.knn, revealed.map((r) => ({ item: r.item, rating: 1 })), { ...settingsForScale(scale), alpha: 0, likedMin: 1, fiveBoost: 0 });
    case 'predicted stars':
      return scoreItems(f.weights, foldIn(f.weights, revealed).theta);
    case 'pick × like':
      return pickAndLikeScores(f.pick, scoreItems(f.weights, foldIn(f.weights, revealed).theta), revealed, settingsForScale(scale));
  }
}

export async function newUserBenchmark(
  ds: Dataset,
  train: Partial<TrainOptions>,
  partial: Partial<NewUserOptions> = {},
  onProgress?: (what: string) => void,
): Promise<NewUserReport> {
  const o: NewUserOptions = { ...NEW_USER_DEFAULTS, ...partial };
  const t0 = performance.now();
  const fitted: Fitted[] = [];
  let model: TrainOptions['model'] = 'dotbias';
  for (const [g, users] of groups(ds, o).entries()) {
    onProgress?.(`group ${g + 1}: training without its ${users.length} users`);
    const rest = withoutUsers(ds, users);
    const r = await trainModel(rest, allRowsSplit(rest, o.seed + g), train);
    if (r.reason !== 'completed') throw new ModelError(`training for the new-user benchmark stopped: ${r.message}`);
    model = r.options.model;
    const settings = settingsForScale(ds.scale);
    if (o.questionnaire) onProgress?.(`group ${g + 1}: fitting the questionnaire on its trained users`);
    fitted.push({
      taste: o.questionnaire ? fitTasteModel(r.weights, rest, rest) : null,
      users: ratingsByUser(ds, users),
      weights: r.weights,
      pick: fitPickModel(rest, rest.nUsers, rest.nItems, settings),
      knn: fitPickModel(rest, rest.nUsers, rest.nItems, { ...settings, likedMin: -Infinity, center: 0, rated: 0, early: 0 }),
      popularity: Float64Array.from(rest.itemCount),
    });
  }
  const cells: NewUserCell[] = [];
  for (const mode of o.modes) {
    for (const k of o.reveal) {
      onProgress?.(`${k} ${mode} ratings revealed`);
      const perUser = new Map<NewUserMethod, number[]>();
      const methods = o.questionnaire ? [...NEW_USER_METHODS, ...QUESTIONNAIRE_METHODS] : NEW_USER_METHODS;
      const rows = methods.map((method) => {
        const m = measure(ds, fitted, method, k, mode, o);
        perUser.set(method, m.perUser);
        return m.score;
      });
      const ndcg = (m: NewUserMethod) => rows.find((r) => r.method === m)!.ndcg;
      const best: NewUserMethod = ndcg('item-kNN') > ndcg('popularity') ? 'item-kNN' : 'popularity';
      const oursMethod: NewUserMethod = o.questionnaire ? 'questionnaire' : 'pick × like';
      const ours = perUser.get(oursMethod)!;
      cells.push({
        mode,
        reveal: k,
        rows,
        ours: oursMethod,
        vsPopularity: { against: 'popularity', ...pairedRatio(ours, perUser.get('popularity')!, o.seed) },
        vsBestBaseline: { against: best, ...pairedRatio(ours, perUser.get(best)!, o.seed) },
        ...(o.questionnaire ? { vsWithoutAnswers: { against: 'pick × like' as const, ...pairedRatio(ours, perUser.get('pick × like')!, o.seed) } } : {}),
      });
    }
  }
  return { options: o, model, users: fitted.reduce((n, f) => n + f.users.length, 0), cells, seconds: (performance.now() - t0) / 1000 };
}

function measure(ds: Dataset, fitted: Fitted[], method: NewUserMethod, k: number, mode: RevealMode, o: NewUserOptions): { score: MethodScore; perUser: number[] } {
  const key = (i: number) => ds.titles[i] || String(i);
  const disc = Float64Array.from({ length: o.k }, (_, r) => 1 / Math.log2(r + 2));
  const ideal = new Float64Array(o.k + 1);
  for (let r = 0; r < o.k; r++) ideal[r + 1] = ideal[r] + disc[r];
  const listed = new Uint8Array(ds.nItems);
  const perUser: number[] = [];
  let precision = 0;
  let recall = 0;
  let popSum = 0;
  let slots = 0;
  let ms = 0;
  let scored = 0;
  for (const f of fitted) {
    for (const u of f.users) {
      const { revealed, hidden: allHidden } = revealRatings(u, k, mode, o.seed);
      const { answerFrom, hidden } = o.questionnaire && o.answersFrom === 'half' ? halves(allHidden, u.id, o.seed) : { answerFrom: allHidden, hidden: allHidden };
      const answers = f.taste ? answersOf(f.taste, ds, answerFrom) : null;
      const t = performance.now();
      const scores = score(f, method, { revealed, answers }, ds.scale);
      const ratedItems = new Set(revealed.map((r) => r.item));
      const ratedTitles = new Set(revealed.map((r) => key(r.item)));
      const top = topKDistinct(scores, o.k, (i) => ratedItems.has(i) || ratedTitles.has(key(i)), key);
      ms += performance.now() - t;
      scored++;
      for (const i of top) {
        listed[i] = 1;
        popSum += f.popularity[i];
        slots++;
      }
      const relevant = new Set(hidden.filter((h) => h.rating >= o.relevant).map((h) => key(h.item)));
      for (const t of ratedTitles) relevant.delete(t);
      if (relevant.size === 0) continue;
      let hits = 0;
      let dcg = 0;
      top.forEach((i, r) => {
        if (relevant.has(key(i))) {
          hits++;
          dcg += disc[r];
        }
      });
      perUser.push(dcg / ideal[Math.min(o.k, relevant.size)]);
      precision += hits / o.k;
      recall += hits / relevant.size;
    }
  }
  let covered = 0;
  for (let i = 0; i < ds.nItems; i++) covered += listed[i];
  const n = perUser.length;
  return {
    perUser,
    score: {
      method,
      users: n,
      precision: n ? precision / n : NaN,
      recall: n ? recall / n : NaN,
      ndcg: n ? perUser.reduce((a, b) => a + b, 0) / n : NaN,
      ndcgInterval: meanInterval(perUser, { seed: o.seed }),
      coverage: covered / ds.nItems,
      meanPopularity: slots ? popSum / slots : 0,
      msPerUser: scored ? ms / scored : 0,
    },
  };
}

/** A seeded half of the hidden ratings writes the answers; the other half is what is scored. */
function halves(hidden: RatedItem[], id: number, seed: number): { answerFrom: RatedItem[]; hidden: RatedItem[] } {
  const rand = mulberry32((seed * 7919 + id * 104729 + 1) >>> 0);
  const answerFrom: RatedItem[] = [];
  const scored: RatedItem[] = [];
  for (const r of hidden) (rand() < 0.5 ? answerFrom : scored).push(r);
  return { answerFrom, hidden: scored };
}

/** mean(a) / mean(b) over the same users, with a 95 % paired-bootstrap interval (users resampled). */
export function pairedRatio(a: number[], b: number[], seed: number): { ratio: number; low: number; high: number } {
  const r = pairedRatioInterval(a, b, { seed: seed + 7 });
  return { ratio: r.value, low: r.low, high: r.high };
}
