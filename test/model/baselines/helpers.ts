/** Tiny rating matrices written as [user, item, rating] triples. */
import { ratingMatrix, type RatingMatrix } from '../../../src/model/models/baselines/ratings.js';

export function cols(rows: [number, number, number][]) {
  return {
    users: Int32Array.from(rows.map((r) => r[0])),
    items: Int32Array.from(rows.map((r) => r[1])),
    ratings: Float32Array.from(rows.map((r) => r[2])),
  };
}

export function matrix(rows: [number, number, number][], nUsers: number, nItems: number): RatingMatrix {
  return ratingMatrix(cols(rows), nUsers, nItems);
}

export const rated = (pairs: [number, number][]) => ({ items: Int32Array.from(pairs.map((p) => p[0])), ratings: Float32Array.from(pairs.map((p) => p[1])) });
