/**
 * The add-movie form as plain state and one key reducer (testable without a screen): a title, a year,
 * genres ticked from the catalogue's, and optionally a first rating arriving — a user id and stars.
 */
import type { Key } from 'ink';
import { editText } from '../../../lib/textInput.js';
import type { NewMovieInput } from '../../../services.js';

export type NewMovieField = 'title' | 'year' | 'genres' | 'user' | 'stars';
export const NEW_MOVIE_FIELDS: readonly NewMovieField[] = ['title', 'year', 'genres', 'user', 'stars'];

export interface NewMovieForm {
  field: NewMovieField;
  title: string;
  year: string;
  /** Ticked genres, and the genre the cursor is on. */
  genres: string[];
  genreAt: number;
  user: string;
  stars: string;
  /** The ratings that arrived so far (by user id, in order). */
  ratings: { userId: string; rating: number }[];
}

export function newMovieForm(title = ''): NewMovieForm {
  return { field: 'title', title, year: '', genres: [], genreAt: 0, user: '', stars: '', ratings: [] };
}

export type FormAction = { type: 'edit'; form: NewMovieForm } | { type: 'submit'; form: NewMovieForm; movie: NewMovieInput } | { type: 'close' } | { type: 'invalid'; form: NewMovieForm; problem: string } | null;

const digits = (ch: string) => ch >= '0' && ch <= '9';

/** What a key does to the form: an edit, a submit (with the movie to add), closing, or nothing. */
export function formKey(f: NewMovieForm, input: string, key: Key, catalogueGenres: readonly string[], scaleMax = 5): FormAction {
  if (key.escape) return { type: 'close' };
  const at = NEW_MOVIE_FIELDS.indexOf(f.field);
  if (key.upArrow) return { type: 'edit', form: { ...f, field: NEW_MOVIE_FIELDS[Math.max(0, at - 1)] } };
  if (key.downArrow || key.tab) return { type: 'edit', form: { ...f, field: NEW_MOVIE_FIELDS[Math.min(NEW_MOVIE_FIELDS.length - 1, at + 1)] } };
  if (key.return) return submit(f, scaleMax);
  switch (f.field) {
    case 'title': {
      const next = editText(f.title, input, key);
      return next === null ? null : { type: 'edit', form: { ...f, title: next.slice(0, 120) } };
    }
    case 'year': {
      const next = editText(f.year, input, key, digits);
      return next === null ? null : { type: 'edit', form: { ...f, year: next.slice(0, 4) } };
    }
    case 'user': {
      const next = editText(f.user, input, key, (ch) => ch !== ' ' && ch !== '=');
      return next === null ? null : { type: 'edit', form: { ...f, user: next.slice(0, 40) } };
    }
    case 'stars': {
      const next = editText(f.stars, input, key, (ch) => digits(ch) || ch === '.');
      return next === null ? null : { type: 'edit', form: { ...f, stars: next.slice(-3) } };
    }
    case 'genres': {
      const n = catalogueGenres.length;
      if (n === 0) return null;
      if (key.leftArrow) return { type: 'edit', form: { ...f, genreAt: (f.genreAt - 1 + n) % n } };
      if (key.rightArrow) return { type: 'edit', form: { ...f, genreAt: (f.genreAt + 1) % n } };
      if (input === ' ' || input === 'x') {
        const g = catalogueGenres[f.genreAt];
        const genres = f.genres.includes(g) ? f.genres.filter((x) => x !== g) : [...f.genres, g];
        return { type: 'edit', form: { ...f, genres } };
      }
      return null;
    }
  }
}

function submit(f: NewMovieForm, scaleMax: number): FormAction {
  const title = f.title.trim();
  if (!title) return { type: 'invalid', form: { ...f, field: 'title' }, problem: 'give it a title' };
  let year: number | null = null;
  if (f.year !== '') {
    year = Number(f.year);
    if (f.year.length !== 4 || year < 1870 || year > 2100) return { type: 'invalid', form: { ...f, field: 'year' }, problem: 'a year is four digits, 1870–2100' };
  }
  let ratings = f.ratings;
  if (f.user !== '' || f.stars !== '') {
    const stars = Number(f.stars);
    if (f.user === '') return { type: 'invalid', form: { ...f, field: 'user' }, problem: 'whose rating? type a user id of the dataset' };
    if (!/^\d+(\.\d)?$/.test(f.stars) || !(stars >= 1 && stars <= scaleMax)) return { type: 'invalid', form: { ...f, field: 'stars' }, problem: `stars from 1 to ${scaleMax}` };
    // a user's later rating replaces theirs
    ratings = [...ratings.filter((r) => r.userId !== f.user), { userId: f.user, rating: stars }];
  }
  const form = { ...f, ratings, user: '', stars: '' };
  return { type: 'submit', form, movie: { title, year, genres: f.genres, ratings } };
}
