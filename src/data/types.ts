/** The in-memory dataset: columnar typed arrays, dense indices, both-way id maps. */

export type DatasetFormat = 'ml-100k' | 'ml-1m' | 'ml-csv' | 'generic';

export interface RatingScale {
  min: number;
  max: number;
  /** Smallest step between distinct ratings seen (1 for ML-100K, 0.5 for ML-latest). */
  step: number;
}

export interface Dataset {
  /** Human name, e.g. "ml-100k". */
  name: string;
  format: DatasetFormat;
  /** Directory (or file) it was read from. */
  source: string;
  nRatings: number;
  nUsers: number;
  nItems: number;
  /** Per rating: dense user index, dense item index, rating value, unix timestamp (0 when absent). */
  users: Int32Array;
  items: Int32Array;
  ratings: Float32Array;
  timestamps: Float64Array;
  /** Dense index -> original id (as it appeared in the file). */
  userIds: string[];
  itemIds: string[];
  /** Original id -> dense index. */
  userIndex: Map<string, number>;
  itemIndex: Map<string, number>;
  /** Per item (dense index): title ("" when unknown), year parsed from the title (null if none), genres. */
  titles: string[];
  years: (number | null)[];
  genres: string[][];
  /** All genre names in file order (ML-100K: the 19 of u.genre). */
  genreNames: string[];
  /** Per item / per user: number of ratings and mean rating (0 when unrated). */
  itemCount: Int32Array;
  itemMean: Float32Array;
  userCount: Int32Array;
  userMean: Float32Array;
  scale: RatingScale;
  /** Rating value -> count, ascending by value. */
  histogram: { rating: number; count: number }[];
  /** sha256 (hex) over the ratings as loaded, a stable identity for snapshots. */
  hash: string;
  /** Anything the reader noticed and dealt with (e.g. duplicate pairs), for the user. */
  warnings: string[];
  /** Ratings dropped because a later line rated the same (user, item) pair again (the last one wins). */
  duplicatesDropped?: number;
  /**
   * Movies the titles file lists that no rating names (ml-latest-small has 18): they have no index and
   * no learned factors, but a search for one should find it and say so. Not part of the hash.
   */
  unrated?: UnratedItem[];
  /** Per user (dense index), from ML-100K's u.user when present. */
  userInfo?: (UserInfo | null)[];
}

export interface UnratedItem {
  /** The id as in the titles file. */
  id: string;
  title: string;
  year: number | null;
  genres: string[];
}

export interface UserInfo {
  age: number;
  gender: string;
  occupation: string;
  zip: string;
}

/** A single train/test split; cv5's folds are u1..u5 on ML-100K, fold1..fold5 elsewhere. */
export type SplitName =
  | 'random' | 'u1' | 'u2' | 'u3' | 'u4' | 'u5' | 'ua' | 'ub' | 'time'
  | 'fold1' | 'fold2' | 'fold3' | 'fold4' | 'fold5' | 'files';

export interface Split {
  name: SplitName;
  /** Row indices into the dataset's columns. */
  train: Int32Array;
  valid: Int32Array;
  /** Validation rows whose user / item never appears in train (cold start), counted not hidden. */
  coldUserRows: number;
  coldItemRows: number;
  description: string;
}

/** One error type for everything the data layer refuses: the message is what the user reads. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}
