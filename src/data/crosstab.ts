/** fastai's first look at collab data: the most active users × the most-rated movies, blanks where unrated. */
import type { Dataset } from './types.js';

export interface Crosstab {
  /** Original user ids, most active first. */
  users: string[];
  /** Titles (the id when a title is unknown), most rated first. */
  movies: string[];
  /** cells[u][m]: the rating, or null when that user did not rate that movie. */
  cells: (number | null)[][];
}

export function crosstab(ds: Dataset, nUsers = 15, nMovies = 15): Crosstab {
  const topUsers = topBy(ds.userCount, nUsers);
  const topItems = topBy(ds.itemCount, nMovies);
  const userRow = new Int32Array(ds.nUsers).fill(-1);
  const itemCol = new Int32Array(ds.nItems).fill(-1);
  topUsers.forEach((u, k) => (userRow[u] = k));
  topItems.forEach((i, k) => (itemCol[i] = k));
  const cells: (number | null)[][] = topUsers.map(() => topItems.map(() => null));
  for (let r = 0; r < ds.nRatings; r++) {
    const row = userRow[ds.users[r]];
    if (row < 0) continue;
    const col = itemCol[ds.items[r]];
    if (col >= 0) cells[row][col] = ds.ratings[r];
  }
  return {
    users: topUsers.map((u) => ds.userIds[u]),
    movies: topItems.map((i) => ds.titles[i] || ds.itemIds[i]),
    cells,
  };
}

/** Indices of the k largest counts; ties go to the lower index so the table is stable. */
function topBy(counts: Int32Array, k: number): number[] {
  const idx = Array.from({ length: counts.length }, (_, i) => i);
  idx.sort((a, b) => counts[b] - counts[a] || a - b);
  return idx.slice(0, Math.max(0, Math.floor(k)));
}
