/**
 * Watch together: two or more people's tastes combined into one list. Each person is folded in from their
 * own ratings; every movie none of them has rated gets each person's predicted rating, and two lists are
 * ranked from those — the average taste (the mean, what pleases the group most on the whole) and least
 * misery (the lowest, so nobody sits through a film they would hate).
 */
import { ModelError } from '../errors.js';
import { scoreItems } from '../models/forward.js';
import { kindOf } from '../models/index.js';
import type { ModelWeights, Vocab } from '../types.js';
import { foldIn, type RatedItem } from './foldin.js';
import { topKDistinct } from './rank.js';

export interface TogetherOptions {
  top: number;
  /** Candidates need at least this many ratings: a few ratings make a noisy prediction. */
  minRatings: number;
}

export const DEFAULT_TOGETHER_OPTIONS: TogetherOptions = { top: 10, minRatings: 20 };

export interface TogetherMovie {
  index: number;
  title: string;
  /** Each person's predicted rating, in the order the people were given. */
  predicted: number[];
  mean: number;
  min: number;
}

export interface TogetherResult {
  people: string[];
  average: TogetherMovie[];
  leastMisery: TogetherMovie[];
}

export function watchTogether(w: ModelWeights, vocab: Vocab, people: { name: string; ratings: RatedItem[] }[], options: Partial<TogetherOptions> = {}): TogetherResult {
  const o = { ...DEFAULT_TOGETHER_OPTIONS, ...options };
  if (people.length < 2) throw new ModelError(`watching together needs two or more people, got ${people.length}`);
  if (!kindOf(w).shows.ratings) throw new ModelError(`the ${w.kind} model predicts no ratings: average taste and least misery need predicted stars`);
  const scores = people.map((p) => scoreItems(w, foldIn(w, p.ratings).theta));
  const seen = new Set(people.flatMap((p) => p.ratings.map((r) => r.item)));
  const mean = new Float64Array(w.nItems);
  const min = new Float64Array(w.nItems);
  for (let i = 0; i < w.nItems; i++) {
    let s = 0;
    let m = Infinity;
    for (const sc of scores) {
      s += sc[i];
      m = Math.min(m, sc[i]);
    }
    mean[i] = s / scores.length;
    min[i] = m;
  }
  const skip = (i: number) => seen.has(i) || (vocab.itemCount[i] ?? 0) < o.minRatings;
  const title = (i: number) => vocab.titles[i] ?? String(i);
  const row = (i: number): TogetherMovie => ({ index: i, title: title(i), predicted: scores.map((sc) => sc[i]), mean: mean[i], min: min[i] });
  return {
    people: people.map((p) => p.name),
    average: topKDistinct(mean, o.top, skip, title).map(row),
    leastMisery: topKDistinct(min, o.top, skip, title).map(row),
  };
}
