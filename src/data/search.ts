/**
 * Typo-tolerant title search. fuse.js ranks; a character-bigram index built once picks the few
 * hundred plausible titles first, because running fuse's bitap over 62,000 titles per keystroke
 * costs ~10x the 16 ms frame budget.
 */
import Fuse, { type IFuseOptions } from 'fuse.js';
import { DataError } from './types.js';
import { quoted } from './terminalText.js';

export interface TitleHit {
  /** Index into the titles given to the constructor (the dataset's dense item index). */
  index: number;
  title: string;
  /**
   * 0 is a perfect match, 1 no match (fuse.js's convention), and the order of the results: a title
   * without the query's numbers carries the penalty it was ranked with, so a shown score never
   * disagrees with its place in the list.
   */
  score: number;
  /** As close as fuse.js's own threshold accepts: false means nothing really matched, this is only the nearest. */
  close: boolean;
}

export interface TitleSearchOptions {
  /** Per title, e.g. rating counts: breaks ties between equal titles (ML-100K has a few duplicates). */
  popularity?: ArrayLike<number>;
}

/** Tuning in one place. */
export const SEARCH_DEFAULTS = {
  limit: 10,
  /** Titles handed to fuse.js after the bigram prefilter. */
  candidates: 120,
  /** resolve(): the best hit must beat the runner-up by this much to be taken without asking. */
  clearMargin: 0.1,
  /** search() ranks a title without the query's numbers ("godfather 2") as if it scored this much worse. */
  numberPenalty: 0.15,
  /** resolve(): hits within this of the best are listed as the ambiguity. */
  nearMargin: 0.1,
  /** A hit scoring at most this is a match (fuse.js's threshold); worse ones are only the nearest titles. */
  closeScore: 0.4,
  /**
   * A query longer than any title (MovieLens's longest are under 200 characters) is clipped here by
   * search() and refused by resolve(): fuse's bitap on 100,000 characters took 18 s.
   */
  maxQueryChars: 256,
} as const;

/** A title quoted in a message: at most this many characters. */
const SHOWN_TITLE = 100;
const shown = (t: string) => quoted(t, SHOWN_TITLE);

interface Doc {
  index: number;
  title: string;
}

// bitap over the whole title catches typos inside words ("star wrs"); token search matches words
// in any order ("silence lambs"); each hit keeps the better of the two scores
const BITAP: IFuseOptions<Doc> = {
  keys: ['title'],
  includeScore: true,
  ignoreLocation: true,
  ignoreDiacritics: true,
  threshold: 0.4,
};
const TOKENS: IFuseOptions<Doc> = { ...BITAP, useTokenSearch: true, tokenMatch: 'all' };

const ARTICLES = /^(the|a|an|les|la|le|l|il|el|das|der|die)\s+/;
const TRAILING_ARTICLE = /,\s*(the|a|an|les|la|le|l'|il|el|das|der|die)$/;

/** Lowercase, accents dropped, punctuation to spaces: "Misérables, Les" -> "miserables les". */
export function normalizeTitle(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** "Godfather, The (1972)", "The Godfather" and "godfather" share one key. */
function titleKey(s: string): string {
  const noYear = s.replace(/\s*\(\d{4}(?:[-–]\d{0,4})?\)\s*$/, '').trim().toLowerCase();
  return normalizeTitle(noYear.replace(TRAILING_ARTICLE, '')).replace(ARTICLES, '');
}

export class TitleSearch {
  private readonly titles: string[];
  private readonly popularity: ArrayLike<number> | undefined;
  private readonly lower = new Map<string, number[]>();
  private readonly keys = new Map<string, number[]>();
  private readonly bigrams: BigramIndex;

  constructor(titles: string[], opts: TitleSearchOptions = {}) {
    this.titles = titles;
    this.popularity = opts.popularity;
    titles.forEach((t, i) => {
      if (!t) return;
      push(this.lower, t.trim().toLowerCase(), i);
      push(this.keys, titleKey(t), i);
    });
    this.bigrams = new BigramIndex(titles.map(normalizeTitle));
  }

  /** Best matches first; empty for an empty query. */
  search(query: string, limit: number = SEARCH_DEFAULTS.limit): TitleHit[] {
    return this.ranked(query, limit, SEARCH_DEFAULTS.numberPenalty);
  }

  /** fuse.js's scores (0 best), plus `penalty` for a title without the query's numbers. */
  private ranked(query: string, limit: number, penalty: number): TitleHit[] {
    const raw = query.slice(0, SEARCH_DEFAULTS.maxQueryChars).trim();
    if (raw === '' || limit <= 0) return [];
    // a number in the query is a sequel or a year ("godfather 2", "toy story 1995"): the words are scored
    // on their own (fuse.js cannot see "2" in "Part II"), and a title without the number ranks lower
    const wanted = numbersIn(raw);
    const q = (wanted.length && withoutNumbers(raw)) || raw;
    const cand = this.bigrams.top(normalizeTitle(q), SEARCH_DEFAULTS.candidates);
    if (cand.length === 0) return [];
    const docs: Doc[] = cand.map((index) => ({ index, title: this.titles[index] }));
    const best = new Map<number, number>();
    for (const opts of [BITAP, TOKENS]) {
      for (const r of new Fuse(docs, opts).search(q)) {
        const s = r.score ?? 1;
        const prev = best.get(r.item.index);
        if (prev === undefined || s < prev) best.set(r.item.index, s);
      }
    }
    const dice = new Map(cand.map((index, k) => [index, k])); // prefilter rank breaks score ties
    const pop = this.popularity;
    // each candidate's sort key once (normalising a title per comparison would cost every keystroke)
    const ranked = [...best.entries()].map(([index, score]) => ({
      index,
      score,
      key: score + (wanted.length && !hasNumbers(this.titles[index], wanted) ? penalty : 0),
    }));
    return ranked
      .sort((a, b) => a.key - b.key || (pop ? pop[b.index] - pop[a.index] : 0) || dice.get(a.index)! - dice.get(b.index)!)
      .slice(0, limit)
      .map(({ index, key }) => {
        const score = Math.round(Math.min(1, key) * 1e4) / 1e4;
        return { index, title: this.titles[index], score, close: score <= SEARCH_DEFAULTS.closeScore };
      });
  }

  /** One title for a user-typed name, or a DataError that says what to type instead. */
  resolve(query: string): number {
    const q = query.trim();
    if (q === '') throw new DataError('empty title: type part of a movie title');
    if (q.length > SEARCH_DEFAULTS.maxQueryChars) throw queryTooLong('title', q.length);
    const exact = this.lower.get(q.toLowerCase());
    if (exact) return this.mostPopular(exact);
    const key = titleKey(q);
    const byKey = key ? this.keys.get(key) : undefined;
    if (byKey) {
      const distinct = uniqueTitles(byKey, this.titles);
      if (distinct.length === 1) return this.mostPopular(byKey);
      throw ambiguous(q, distinct.map((i) => this.titles[i]));
    }
    // a title without the query's numbers is never taken ("godfather 2" is not "Godfather, The"), and
    // one that has them must match the words about as well as the best title does
    const wanted = numbersIn(q);
    const found = dedupeTitles(this.ranked(q, wanted.length ? 20 : 8, 0));
    const hits = found.filter((h) => hasNumbers(h.title, wanted) && h.score - found[0].score <= SEARCH_DEFAULTS.numberPenalty);
    if (hits.length === 0 && found.length > 0) {
      const what = wanted.length === 1 ? `the number ${wanted[0]}` : `the numbers ${wanted.join(' and ')}`;
      throw new DataError(`unknown title "${shown(q)}": no title like it has ${what}; closest: ${found.slice(0, 3).map((h) => shown(h.title)).join('; ')}`);
    }
    if (hits.length === 0) {
      const closest = this.bigrams.top(normalizeTitle(q), 3).map((i) => shown(this.titles[i]));
      throw new DataError(`unknown title "${shown(q)}"${closest.length ? `; closest: ${closest.join('; ')}` : '; no title comes close'}`);
    }
    const [first, second] = hits;
    if (!second || second.score - first.score >= SEARCH_DEFAULTS.clearMargin) return first.index;
    throw ambiguous(
      q,
      hits.filter((h) => h.score - first.score < SEARCH_DEFAULTS.nearMargin).slice(0, 5).map((h) => h.title),
    );
  }

  private mostPopular(indices: number[]): number {
    const pop = this.popularity;
    if (!pop) return indices[0];
    return indices.reduce((a, b) => (pop[b] > pop[a] ? b : a));
  }
}

const ROMAN: Record<string, number> = { ii: 2, iii: 3, iv: 4, v: 5, vi: 6, vii: 7, viii: 8, ix: 9, x: 10 };

/** The numbers a user typed ("godfather 2" -> [2], "alien 3" -> [3], "toy story 1995" -> [1995]). */
export function numbersIn(text: string): number[] {
  return (normalizeTitle(text).match(/\b\d+\b/g) ?? []).map(Number);
}

/** The query with its numbers taken out ("godfather part 2" -> "godfather part"). */
function withoutNumbers(text: string): string {
  return normalizeTitle(text).replace(/\b\d+\b/g, ' ').replace(/\s+/g, ' ').trim();
}

/** True when every wanted number is in the title, in digits or as a Roman numeral ("Part II"). */
function hasNumbers(title: string, wanted: number[]): boolean {
  if (wanted.length === 0) return true;
  const have = new Set<number>();
  for (const tok of normalizeTitle(title).split(' ')) {
    if (/^\d+$/.test(tok)) have.add(Number(tok));
    else if (ROMAN[tok]) have.add(ROMAN[tok]);
  }
  return wanted.every((n) => have.has(n));
}

function ambiguous(q: string, titles: string[]): DataError {
  return new DataError(`ambiguous title "${shown(q)}": did you mean: ${titles.map(shown).join('; ')}`);
}

/** "search query is 100000 characters long: …": a query is matched against titles, never longer. */
export function queryTooLong(what: string, length: number): DataError {
  return new DataError(`${what} is ${length} characters long: at most ${SEARCH_DEFAULTS.maxQueryChars} are matched (no title is longer); shorten it`);
}

function push(map: Map<string, number[]>, key: string, i: number): void {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
}

function uniqueTitles(indices: number[], titles: string[]): number[] {
  const seen = new Set<string>();
  return indices.filter((i) => (seen.has(titles[i]) ? false : (seen.add(titles[i]), true)));
}

function dedupeTitles(hits: TitleHit[]): TitleHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => (seen.has(h.title) ? false : (seen.add(h.title), true)));
}

/**
 * Character bigrams of normalized titles -> posting lists. top() ranks titles by the Dice overlap
 * with the query's bigrams; typos keep most bigrams, so the intended title stays in the top few hundred.
 */
class BigramIndex {
  private readonly ids = new Map<number, number>();
  private readonly postings: Int32Array[];
  private readonly sizes: Uint16Array;
  private readonly counter: Uint16Array;
  private readonly n: number;
  // scratch reused by every query, so a keystroke allocates almost nothing
  private readonly touched: Int32Array;
  private readonly bucket: Uint16Array;
  private readonly hist = new Int32Array(1024);

  constructor(texts: string[]) {
    this.n = texts.length;
    this.sizes = new Uint16Array(texts.length);
    this.counter = new Uint16Array(texts.length);
    this.touched = new Int32Array(texts.length);
    this.bucket = new Uint16Array(texts.length);
    const lists: number[][] = [];
    texts.forEach((t, i) => {
      const grams = bigramsOf(t);
      this.sizes[i] = Math.min(65535, grams.size);
      for (const g of grams) {
        let id = this.ids.get(g);
        if (id === undefined) {
          id = lists.length;
          this.ids.set(g, id);
          lists.push([]);
        }
        lists[id].push(i);
      }
    });
    this.postings = lists.map((l) => Int32Array.from(l));
  }

  top(query: string, k: number): number[] {
    const grams = bigramsOf(query);
    if (grams.size === 0) return [];
    if (this.n <= k) {
      // small catalogues: no need to prefilter, fuse sees everything
      return Array.from({ length: this.n }, (_, i) => i);
    }
    const counter = this.counter;
    const touched = this.touched;
    let m = 0;
    for (const g of grams) {
      const id = this.ids.get(g);
      if (id === undefined) continue;
      const list = this.postings[id];
      for (let j = 0; j < list.length; j++) {
        const t = list[j];
        if (counter[t]++ === 0) touched[m++] = t;
      }
    }
    // Dice scores quantised into buckets: the cut-off for the top k is found in O(m), no sort of m
    const qn = grams.size;
    const BUCKETS = 1024;
    const hist = this.hist.fill(0);
    const bucket = this.bucket;
    for (let j = 0; j < m; j++) {
      const t = touched[j];
      const b = Math.min(BUCKETS - 1, Math.floor(((2 * counter[t]) / (qn + this.sizes[t])) * (BUCKETS - 1)));
      bucket[j] = b;
      hist[b]++;
      counter[t] = 0;
    }
    let cut = BUCKETS - 1;
    for (let seen = hist[cut]; cut > 0 && seen < k; ) seen += hist[--cut];
    const picked: number[] = [];
    for (let j = 0; j < m; j++) if (bucket[j] >= cut) picked.push(j);
    picked.sort((a, b) => bucket[b] - bucket[a] || touched[a] - touched[b]);
    return picked.slice(0, k).map((j) => touched[j]);
  }
}

function bigramsOf(text: string): Set<number> {
  const s = ` ${text} `;
  const out = new Set<number>();
  for (let i = 0; i + 1 < s.length; i++) {
    const a = s.charCodeAt(i);
    const b = s.charCodeAt(i + 1);
    if (a === 32 && b === 32) continue;
    out.add(a * 65536 + b);
  }
  return out;
}
