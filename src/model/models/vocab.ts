/** A model's vocabulary, taken from the dataset it trains on (fastai's from_classes). */
import type { Dataset } from '../../data/types.js';
import type { Vocab } from '../types.js';

export function vocabFromDataset(ds: Dataset): Vocab {
  return {
    userIds: ds.userIds.slice(),
    itemIds: ds.itemIds.slice(),
    titles: ds.titles.slice(),
    years: ds.years.slice(),
    genres: ds.genres.map((g) => g.slice()),
    itemCount: Array.from(ds.itemCount),
    itemMean: Array.from(ds.itemMean, (x) => Math.round(x * 1e4) / 1e4),
    userCount: Array.from(ds.userCount),
    userMean: Array.from(ds.userMean, (x) => Math.round(x * 1e4) / 1e4),
    scale: { ...ds.scale },
  };
}
