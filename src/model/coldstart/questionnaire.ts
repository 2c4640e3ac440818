/**
 * A taste questionnaire instead of ratings ("ask the user questions about their taste, like Netflix"):
 * a few like / neutral / dislike answers about genres and eras become a starting user θ.
 *
 * The model is a ridge regression fitted on the trained users: each one's answers are read from their
 * training ratings (features.ts answersFromRatings: like = they watch it more than most and do not rate
 * it below their mean; dislike = they rate it low, or stay away from it), the target is their trained θ. λ is chosen by 5-fold cross-validation over users on the
 * RMSE of their ratings predicted from their answers alone. The users' spread around their predicted θ
 * is the covariance of the fold-in prior, so the questionnaire's θ is where a new user starts and their
 * ratings then move them from there (interpret/foldin.ts with this prior).
 */
import { ModelError } from '../errors.js';
import { mulberry32, shuffle } from '../engine/random.js';
import { gaussianPrior, type GaussianPrior } from '../interpret/foldin.js';
import type { PickModel } from '../interpret/pickAndLike.js';
import { sigmoidRange, trainedUser } from '../models/forward.js';
import { kindOf } from '../models/index.js';
import type { ModelWeights, Vocab } from '../types.js';
import { ANSWER_RULE, answerRow, answersFromRatings, questionShares, questionsFor, type Answer, type AnswerRule, type Question } from './features.js';
import { selectRows } from '../evaluate/metrics.js';
import { groupRows, type RatingRows } from './groups.js';
import { chooseLambda, fitRidge, predictRidge, residualCovariance, type LambdaChoice, type RidgeData, type RidgeFit } from './ridge.js';

export interface TasteModelOptions {
  /** Users with fewer training ratings are left out of the fit (their θ is mostly the prior). */
  minRatings: number;
  rule: AnswerRule;
  folds: number;
  seed: number;
  /** At most this many users are fitted (a seeded sample beyond it): ML-100K's 943 all; at ML-25M's 162k, seconds instead of minutes. */
  maxUsers: number;
}

export const TASTE_MODEL_DEFAULTS: TasteModelOptions = { minRatings: 10, rule: ANSWER_RULE, folds: 5, seed: 19, maxUsers: 20_000 };

export interface TasteModel {
  questions: Question[];
  rule: AnswerRule;
  /** Each question's share of the training ratings: what a person's own shares are compared with. */
  base: Float64Array;
  fit: RidgeFit;
  lambda: LambdaChoice;
  users: number;
  /** Cross-validated RMSE of those users' ratings from their answers alone, at the chosen λ. */
  cvRmse: number;
  covariance: Float64Array;
  /** How often each answer was read from the trained users, per question: [like, neutral, dislike]. */
  answerCounts: [number, number, number][];
  /**
   * What people who gave an answer pick: per question, log(P(rated i | like) / P(rated i)) and the same
   * for dislike, over the trained users (smoothed towards popularity by `pickSmoothing` pseudo-users).
   */
  pickLift: { like: Float32Array; dislike: Float32Array }[];
  /** The share of trained users who rated each movie. */
  popularity: Float32Array;
}

/** Pseudo-users pulling each answer's pick rates towards popularity (an answer 20 people gave says little). */
export const PICK_SMOOTHING = 20;

/**
 * Weight of the answers' pick lifts: c / √(answers given) / (1 + K / ANSWERS_HALVED_AT) with K ratings.
 * Naive Bayes over correlated questions overcounts, more so the more are answered, so the lifts are
 * tempered — less with one answer, whose evidence is not repeated by another; and as ratings arrive they
 * say more about what you pick than the answers did, so the answers weigh less. Tuned on the new-user
 * benchmark's validation users with answers read from a random half of their hidden ratings and only
 * the other half scored (answers read from the scored ratings themselves reward leaning on them harder).
 * NDCG@10 with 0 / 5 earliest ratings revealed (a fixed c, no decay), against pick × like without answers
 * 0.256 / 0.288: c 0 (the answers' θ alone) 0.262 / 0.291, 0.5 0.280 / 0.306, 0.7 0.281 / 0.298, 0.9
 * 0.278 / 0.292, 1.1 0.273 / 0.290. As for pick × like, among settings that pass the questionnaire's
 * personas (a single liked genre — animation and children's, horror — is ≥ 3 of the top 10 before any
 * rating; c 0.7 gives 2 and 1, 0.9 gives 4 and 3): c 0.9, halved by 5 ratings (the 0.5 that 5 ratings
 * want): 0.278 / 0.303 / 0.257 with 0 / 5 / 10 ratings, against 0.278 / 0.293 / 0.259 without the decay.
 */
export const ANSWER_PICK_WEIGHT = 0.9;

/** Ratings after which the answers' pick lifts weigh half as much as before the first. */
export const ANSWERS_HALVED_AT = 5;

export function fitTasteModel(w: ModelWeights, vocab: Pick<Vocab, 'genres' | 'years'>, train: RatingRows, options: Partial<TasteModelOptions> = {}): TasteModel {
  return fitTasteModelOnRows(w, vocab, train, Int32Array.from({ length: train.users.length }, (_, k) => k), options);
}

/**
 * The fit from the train rows of a dataset's columns, copying only the fitted users' rows: at ML-25M size
 * ~2.5 M of 20 M (a quarter of a gigabyte less, and seconds).
 */
export function fitTasteModelOnRows(w: ModelWeights, vocab: Pick<Vocab, 'genres' | 'years'>, columns: RatingRows, trainRows: Int32Array, options: Partial<TasteModelOptions> = {}): TasteModel {
  const o = { ...TASTE_MODEL_DEFAULTS, ...options };
  const questions = questionsFor(vocab);
  if (!questions.length) throw new ModelError('the questionnaire needs genres or years in the catalogue; this one has neither');
  const users = tasteUsers(countsOf(columns.users, trainRows, w.nUsers), o);
  const chosen = new Uint8Array(w.nUsers);
  for (const u of users) chosen[u] = 1;
  const train = selectRows(columns, trainRows.filter((r) => chosen[columns.users[r]] === 1));
  const base = questionShares(questions, vocab, countsOf(columns.items, trainRows, w.nItems));
  const byUser = groupRows(train.users, w.nUsers);
  const p = 1 + 2 * questions.length;
  const D = kindOf(w).userSize(w);
  const X = new Float64Array(users.length * p);
  const Y = new Float64Array(users.length * D);
  const answerCounts = questions.map(() => [0, 0, 0] as [number, number, number]);
  const nI = w.nItems;
  const pickCounts = questions.map(() => ({ like: new Float64Array(nI), dislike: new Float64Array(nI) }));
  const rated = new Float64Array(nI);
  users.forEach((u, r) => {
    const ratedRows = Array.from(byUser.rows.subarray(byUser.start[u], byUser.start[u + 1]), (row) => ({ item: train.items[row], rating: train.ratings[row] }));
    const answers = answersFromRatings(questions, vocab, ratedRows, base, o.rule);
    answers.forEach((a, q) => {
      answerCounts[q][a === 'like' ? 0 : a === 'neutral' ? 1 : 2]++;
      if (a === 'neutral') return;
      const c = pickCounts[q][a];
      for (const x of ratedRows) c[x.item]++;
    });
    for (const x of ratedRows) rated[x.item]++;
    answerRow(answers, X.subarray(r * p, (r + 1) * p));
    Y.set(trainedUser(w, u), r * D);
  });
  const popularity = Float32Array.from(rated, (n) => n / users.length);
  const pickLift = pickCounts.map((c, q) => {
    const lift = (counts: Float64Array, nAnswered: number) =>
      Float32Array.from(counts, (n, i) => (popularity[i] > 0 ? Math.log((n + PICK_SMOOTHING * popularity[i]) / (nAnswered + PICK_SMOOTHING) / popularity[i]) : 0));
    return { like: lift(c.like, answerCounts[q][0]), dislike: lift(c.dislike, answerCounts[q][2]) };
  });
  const data: RidgeData = { n: users.length, p, D, X, Y };
  const kind = kindOf(w);
  const loss = (rows: readonly number[], predicted: Float64Array) => {
    let sum = 0;
    let count = 0;
    rows.forEach((r, k) => {
      const u = users[r];
      const a = byUser.start[u];
      const b = byUser.start[u + 1];
      const items = Int32Array.from(byUser.rows.subarray(a, b), (row) => train.items[row]);
      const z = new Float64Array(items.length);
      kind.logits(w, predicted.subarray(k * D, (k + 1) * D), items, z);
      for (let j = 0; j < items.length; j++) sum += (sigmoidRange(z[j], w.yRange) - train.ratings[byUser.rows[a + j]]) ** 2;
      count += items.length;
    });
    return { sum, count };
  };
  const lambda = chooseLambda(data, users.map((_, r) => r), loss, { folds: o.folds, seed: o.seed });
  const all = users.map((_, r) => r);
  const fit = fitRidge(data, lambda.lambda, all);
  const cvMse = lambda.curve.find((c) => c.lambda === lambda.lambda)!.loss;
  return { questions, rule: o.rule, base, fit, lambda, users: users.length, cvRmse: Math.sqrt(cvMse), covariance: residualCovariance(data, fit, all), answerCounts, pickLift, popularity };
}

/** How many of the rows each key (0 … size−1) has. */
function countsOf(keys: ArrayLike<number>, rows: Int32Array, size: number): Float64Array {
  const counts = new Float64Array(size);
  for (const r of rows) counts[keys[r]]++;
  return counts;
}

/** The users fitted: those with minRatings+ training ratings, a seeded sample of maxUsers beyond that; ascending. */
function tasteUsers(ratingsPerUser: Float64Array, o: TasteModelOptions): number[] {
  let users: number[] = [];
  for (let u = 0; u < ratingsPerUser.length; u++) if (ratingsPerUser[u] >= o.minRatings) users.push(u);
  if (users.length > o.maxUsers) {
    const order = Int32Array.from(users);
    shuffle(order, mulberry32(o.seed ^ 0x7a57e));
    users = Array.from(order.subarray(0, o.maxUsers)).sort((a, b) => a - b);
  }
  if (users.length < 2 * o.folds) throw new ModelError(`the questionnaire model needs at least ${2 * o.folds} users with ${o.minRatings}+ training ratings; this model has ${users.length}`);
  return users;
}

/**
 * How much likelier than anyone people with these answers are to pick each movie: Π over answered
 * questions of the answer's lift, raised to c/√(answers) (a naive-Bayes estimate of P(rated i | answers)
 * / P(rated i), tempered).
 */
export function answerLift(m: TasteModel, answers: readonly Answer[], nRatings = 0, c = ANSWER_PICK_WEIGHT): Float64Array {
  const logLift = new Float64Array(m.popularity.length);
  const weight = c / Math.sqrt(Math.max(1, answers.filter((a) => a !== 'neutral').length)) / (1 + nRatings / ANSWERS_HALVED_AT);
  answers.forEach((a, q) => {
    if (a === 'neutral') return;
    const l = m.pickLift[q][a];
    for (let i = 0; i < logLift.length; i++) logLift[i] += l[i];
  });
  return logLift.map((x) => Math.exp(weight * x));
}

/** `base` × the lift, rescaled to base's total (the pick model's weights were tuned against its scale). */
function lifted(base: ArrayLike<number>, lift: Float64Array, from = 0, n = lift.length): Float32Array {
  const out = new Float32Array(n);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    out[i] = base[from + i] * lift[i];
    a += base[from + i];
    b += out[i];
  }
  if (b > 0) for (let i = 0; i < n; i++) out[i] *= a / b;
  return out;
}

/** What people with these answers pick: popularity × the answers' lift (scaled to popularity's total). */
export function answerPopularity(m: TasteModel, answers: readonly Answer[], base: ArrayLike<number> = m.popularity, nRatings = 0): Float32Array {
  return lifted(base, answerLift(m, answers, nRatings));
}

/** The answers someone's ratings give, read the way the trained users' were (the benchmark's held-out users). */
export function answersOf(m: TasteModel, vocab: Pick<Vocab, 'genres' | 'years'>, ratings: readonly { item: number; rating: number }[]): Answer[] {
  return answersFromRatings(m.questions, vocab, ratings, m.base, m.rule);
}

/** The starting θ for these answers (one per question, in the model's order). */
export function tasteTheta(m: TasteModel, answers: readonly Answer[]): Float64Array {
  if (answers.length !== m.questions.length) throw new ModelError(`the questionnaire has ${m.questions.length} questions; got ${answers.length} answers`);
  return predictRidge(m.fit, answerRow(answers));
}

/** The fold-in prior of a new user who answered: centred on their questionnaire θ. */
export function tastePrior(m: TasteModel, answers: readonly Answer[]): GaussianPrior {
  return gaussianPrior(tasteTheta(m, answers), m.covariance);
}

/** Has the person said anything (an all-neutral questionnaire is no answer)? */
export function answered(answers: readonly Answer[]): boolean {
  return answers.some((a) => a !== 'neutral');
}

/**
 * Where a new user who answered starts: pick × like's pick half with the priors (popularity, late_K)
 * of people who answered alike (weighing less with each of your `nRatings`), and the like half's fold-in
 * prior centred on the answers' θ. Ratings then refine both (recommend with { pick, foldIn: { prior } }).
 */
export function questionnaireStart(m: TasteModel, answers: readonly Answer[], pick: PickModel, nRatings = 0): { pick: PickModel; prior: GaussianPrior } {
  const lift = answerLift(m, answers, nRatings);
  // both of pick × like's priors lean the same way: popularity, and what people like after their first K ratings
  let lateLiked = pick.lateLiked;
  if (lateLiked) {
    const out = new Float32Array(lateLiked.length);
    for (let from = 0; from < lateLiked.length; from += pick.nItems) out.set(lifted(lateLiked, lift, from, pick.nItems), from);
    lateLiked = out;
  }
  return { pick: { ...pick, popularity: lifted(pick.popularity, lift), ...(lateLiked ? { lateLiked } : {}) }, prior: tastePrior(m, answers) };
}
