/** The data layer's public API: everything src/model, src/ui and the CLI need from src/data. */
export type { Dataset, DatasetFormat, RatingScale, Split, SplitName, UnratedItem, UserInfo } from './types.js';
export { DataError } from './types.js';
export { loadDataset, type LoadOptions } from './load.js';
export { detectLayout, type Layout } from './detect.js';
export { cacheDir, cacheRoot, resolveDataDir, DEFAULT_DATASET } from './cache.js';
export { dataRoot, defaultSnapshotsDir, packageRoot, runsFromCheckout, stateRoot } from './places.js';
export { DEFAULT_PROFILE, ProfileStore, emptyProfile, matchToCatalogue, rowInCatalogue, validateProfileName, writeFileAtomic, type Catalogue, type LastModel, type Profile, type ProfileRating, type ReadProfile } from './profiles.js';
export {
  cv5Names,
  FOLDS,
  makeSplit,
  makeSplits,
  mulberry32,
  parseSplitFiles,
  SPLIT_DEFAULTS,
  SPLIT_NAMES,
  type Protocol,
  type SplitFiles,
  type SplitOptions,
} from './split.js';
export { crosstab, type Crosstab } from './crosstab.js';
export { TitleSearch, normalizeTitle, queryTooLong, SEARCH_DEFAULTS, type TitleHit, type TitleSearchOptions } from './search.js';
export {
  downloadDataset,
  datasetUrl,
  isDownloadable,
  DownloadError,
  DOWNLOADABLE,
  DEFAULT_BASE_URL,
  type DownloadableDataset,
  type DownloadOptions,
} from './download.js';
export { yearFromTitle } from './text.js';
export { terminalSafe, terminalSafeBlock, isPrintableChar, jsonForTerminal, quoted } from './terminalText.js';
export { parseNumberText, type NumberKind, type ParsedNumber } from './numbers.js';
export { describeFsError, fsReason, isFsError, errCode } from './fsErrors.js';
export { withoutUsers } from './subset.js';
export { countingOrder } from './countingOrder.js';
