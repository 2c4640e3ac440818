/** Saving and reloading trained models, safely: the public face of the snapshot store. */
export { SnapshotError } from './errors.js';
export { snapshotsDir, validateSnapshotName } from './names.js';
export type { SnapshotManifest } from './manifest.js';
export { saveSnapshot } from './save.js';
export { importFactors, readFactorTable, LINEAR_WIDTH, type FactorLink, type FactorTable, type ImportReport } from './import.js';
export { listSnapshots, loadSnapshot, removeSnapshot, scanSnapshots, showSnapshot, type SnapshotScan } from './store.js';
export type { LoadedSnapshot, SnapshotDetails, SnapshotSummary } from './summary.js';
export { checkReplaceable } from './save.js';
export { checkFreeSpace, checkSnapshotDestination, estimateSnapshotBytes, recoveryDirs, saveSnapshotOrKeep, SnapshotKeptElsewhere } from './destination.js';
export { ADDED_MOVIES_FILE, mergeAddedMovie, readAddedMovies, writeAddedMovies, type AddedMovie } from './addedMovies.js';
