/**
 * What is known about a movie before anyone rated it (its genres and year) and about a person before
 * they rated anything (a few like / neutral / dislike answers about genres and eras), as feature rows
 * for the ridge models of newMovie.ts and questionnaire.ts.
 */
import { ModelError } from '../errors.js';
import type { Vocab } from '../types.js';

/** A movie as metadata only. */
export interface MovieMeta {
  title: string;
  year: number | null;
  genres: string[];
}

/** A year range [from, to] (inclusive; null: open). */
export interface YearBin {
  label: string;
  from: number | null;
  to: number | null;
}

/** The feature rows of movie metadata: an intercept, one column per genre, one per year bin. */
export interface MovieFeatures {
  genres: string[];
  years: YearBin[];
  /** Column names: "(intercept)", the genres, the year bins. */
  names: string[];
}

/** Genres too rare to say anything, and ML-100K's "unknown", are not questions or features of their own. */
const NOT_A_GENRE = new Set(['unknown', '(no genres listed)']);

/** The catalogue's genres in first-seen order (each name once). */
export function catalogueGenres(vocab: Pick<Vocab, 'genres'>): string[] {
  const seen = new Set<string>();
  for (const gs of vocab.genres) for (const g of gs) if (!NOT_A_GENRE.has(g)) seen.add(g);
  return [...seen];
}

/**
 * Year bins: a decade each (the oldest ones pooled until a bin holds 2 % of the catalogue), and the
 * catalogue's last `recentYears` years one each — new releases differ from each other more than the
 * 1950s do (ML-100K was collected in 1997–98; 80 % of its movies are from the 1990s).
 */
export function yearBins(years: readonly (number | null)[], recentYears = 5): YearBin[] {
  const known = years.filter((y): y is number => y !== null);
  if (!known.length) return [];
  const last = Math.max(...known);
  const firstRecent = last - recentYears + 1;
  const decades = new Map<number, number>();
  for (const y of known) if (y < firstRecent) decades.set(Math.floor(y / 10) * 10, (decades.get(Math.floor(y / 10) * 10) ?? 0) + 1);
  const sorted = [...decades.keys()].sort((a, b) => a - b);
  const bins: YearBin[] = [];
  let pooled = 0;
  let from: number | null = null;
  for (const [k, d] of sorted.entries()) {
    from ??= d;
    pooled += decades.get(d) ?? 0;
    if (pooled < 0.02 * known.length && k < sorted.length - 1) continue;
    const first = bins.length === 0;
    bins.push({ label: first ? `${d}s and before` : from === d ? `${d}s` : `${from}s–${d}s`, from: first ? null : from, to: Math.min(d + 9, firstRecent - 1) });
    pooled = 0;
    from = null;
  }
  for (let y = Math.max(firstRecent, Math.min(...known)); y <= last; y++) bins.push({ label: String(y), from: y, to: y });
  // a movie newer than the catalogue counts as its newest year
  bins[bins.length - 1] = { ...bins[bins.length - 1], to: null };
  if (bins[0].from !== null) bins[0] = { ...bins[0], from: null };
  return bins;
}

function inBin(b: YearBin, y: number): boolean {
  return (b.from === null || y >= b.from) && (b.to === null || y <= b.to);
}

export function movieFeatures(vocab: Pick<Vocab, 'genres' | 'years'>): MovieFeatures {
  const genres = catalogueGenres(vocab);
  const years = yearBins(vocab.years);
  return { genres, years, names: ['(intercept)', ...genres, ...years.map((b) => b.label)] };
}

/** One movie's feature row. A genre the model never saw is refused (it would be silently ignored). */
export function movieRow(f: MovieFeatures, m: Pick<MovieMeta, 'year' | 'genres'>, out = new Float64Array(f.names.length)): Float64Array {
  out.fill(0);
  out[0] = 1;
  for (const g of m.genres) {
    const k = f.genres.indexOf(g);
    if (k >= 0) out[1 + k] = 1;
    else if (!NOT_A_GENRE.has(g)) throw new ModelError(`unknown genre "${g}": the model knows ${f.genres.join(', ')}`);
  }
  if (m.year !== null) {
    const b = f.years.findIndex((bin) => inBin(bin, m.year!));
    if (b >= 0) out[1 + f.genres.length + b] = 1;
  }
  return out;
}

/** A genre as the model spells it, from what a person typed ("sci-fi" → "Sci-Fi"); null when none matches. */
export function matchGenre(genres: readonly string[], typed: string): string | null {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return genres.find((g) => norm(g) === norm(typed)) ?? null;
}

// ---- the questionnaire --------------------------------------------------------------------------------

export type Answer = 'like' | 'neutral' | 'dislike';
export const ANSWERS: readonly Answer[] = ['like', 'neutral', 'dislike'];

/** One question: "do you like <genre> / movies of <era>?". */
export interface Question {
  name: string;
  kind: 'genre' | 'era';
  /** The years of an era (inclusive; null: open). */
  from?: number | null;
  to?: number | null;
}

/** Eras a person can answer about: four decades and everything before them. */
export const ERAS: readonly Question[] = [
  { name: 'before 1960', kind: 'era', from: null, to: 1959 },
  { name: '1960s', kind: 'era', from: 1960, to: 1969 },
  { name: '1970s', kind: 'era', from: 1970, to: 1979 },
  { name: '1980s', kind: 'era', from: 1980, to: 1989 },
  { name: '1990s', kind: 'era', from: 1990, to: null },
];

/** The catalogue's genres (each held by at least `minMovies` movies), then the eras that hold as many. */
export function questionsFor(vocab: Pick<Vocab, 'genres' | 'years'>, minMovies = 10): Question[] {
  const genres = catalogueGenres(vocab).filter((g) => vocab.genres.filter((gs) => gs.includes(g)).length >= minMovies);
  const eras = ERAS.filter((e) => vocab.years.filter((y) => y !== null && inEra(e, y)).length >= minMovies);
  return [...genres.map((name) => ({ name, kind: 'genre' as const })), ...eras];
}

function inEra(q: Question, y: number): boolean {
  return (q.from == null || y >= q.from) && (q.to == null || y <= q.to);
}

/** Does the movie fall under the question? */
export function movieMatches(q: Question, genres: readonly string[], year: number | null): boolean {
  return q.kind === 'genre' ? genres.includes(q.name) : year !== null && inEra(q, year);
}

/**
 * How a person's ratings are read as answers (for the trained users the model is fitted on, and the
 * benchmark's held-out ones): what a person means by "I like horror" is both that they watch it and
 * that they enjoy it, and by "I dislike it" that they rate it low or stay away from it.
 */
export interface AnswerRule {
  /** Fewer ratings than this under a question (or liked ones, for a like): no opinion from ratings. */
  minRated: number;
  /** Like: the question's share of their ratings at least this many times its share of everyone's… */
  watchLift: number;
  /** …and their mean rating there no more than `margin` below their own mean. Dislike: `margin` or more below it. */
  margin: number;
  /** Dislike too: at most this many times its share of everyone's ratings, among `avoidAfter` ratings or more. */
  avoidLift: number;
  avoidAfter: number;
  /** A rating at or above this is liked (4 on 1–5 stars). */
  likedMin: number;
}

export const ANSWER_RULE: AnswerRule = { minRated: 3, watchLift: 1.5, margin: 0.25, avoidLift: 0.34, avoidAfter: 20, likedMin: 4 };

/** Each question's share of a set of ratings (everyone's training ratings: the base a person's shares are compared with), from how many each movie has. */
export function questionShares(questions: readonly Question[], vocab: Pick<Vocab, 'genres' | 'years'>, ratingsPerItem: ArrayLike<number>): Float64Array {
  const n = new Float64Array(questions.length);
  let total = 0;
  for (let i = 0; i < ratingsPerItem.length; i++) {
    const c = ratingsPerItem[i];
    if (!c) continue;
    total += c;
    questions.forEach((q, k) => {
      if (movieMatches(q, vocab.genres[i] ?? [], vocab.years[i] ?? null)) n[k] += c;
    });
  }
  return n.map((x) => (total ? x / total : 0));
}

/** A person's answers (one per question, in order) from their ratings; `base` is each question's share of everyone's ratings. */
export function answersFromRatings(
  questions: readonly Question[],
  vocab: Pick<Vocab, 'genres' | 'years'>,
  ratings: readonly { item: number; rating: number }[],
  base: ArrayLike<number>,
  rule: AnswerRule = ANSWER_RULE,
): Answer[] {
  if (!ratings.length) return questions.map(() => 'neutral');
  const mean = ratings.reduce((s, r) => s + r.rating, 0) / ratings.length;
  return questions.map((q, k) => {
    let n = 0;
    let liked = 0;
    let sum = 0;
    for (const r of ratings) {
      if (!movieMatches(q, vocab.genres[r.item] ?? [], vocab.years[r.item] ?? null)) continue;
      n++;
      sum += r.rating;
      if (r.rating >= rule.likedMin) liked++;
    }
    const lift = base[k] > 0 ? n / ratings.length / base[k] : 1;
    const d = n ? sum / n - mean : 0;
    if (liked >= rule.minRated && lift >= rule.watchLift && d > -rule.margin) return 'like';
    if (n >= rule.minRated && d <= -rule.margin) return 'dislike';
    if (ratings.length >= rule.avoidAfter && lift <= rule.avoidLift) return 'dislike';
    return 'neutral';
  });
}

/** The answers' feature row: an intercept, then a like and a dislike column per question (neutral: both 0). */
export function answerRow(answers: readonly Answer[], out = new Float64Array(1 + 2 * answers.length)): Float64Array {
  out.fill(0);
  out[0] = 1;
  answers.forEach((a, q) => {
    if (a === 'like') out[1 + 2 * q] = 1;
    if (a === 'dislike') out[2 + 2 * q] = 1;
  });
  return out;
}

/** Answers by question name ({ likes: ["Sci-Fi"], dislikes: ["Romance"] }) in the questions' order; an unknown name is refused. */
export function answersByName(questions: readonly Question[], likes: readonly string[], dislikes: readonly string[]): Answer[] {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const find = (typed: string) => {
    const q = questions.findIndex((x) => norm(x.name) === norm(typed));
    if (q < 0) throw new ModelError(`no question about "${typed}": ask about ${questions.map((x) => x.name).join(', ')}`);
    return q;
  };
  const answers: Answer[] = questions.map(() => 'neutral');
  for (const l of likes) answers[find(l)] = 'like';
  for (const d of dislikes) {
    const q = find(d);
    if (answers[q] === 'like') throw new ModelError(`"${d}" is both liked and disliked`);
    answers[q] = 'dislike';
  }
  return answers;
}
