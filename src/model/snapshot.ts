/** Saving and reloading trained models, safely (issue #5). The implementation lives in ./snapshot/. */
export { SnapshotError } from './snapshot/errors.js';
export { snapshotsDir, validateSnapshotName } from './snapshot/names.js';
export type { SnapshotManifest } from './snapshot/manifest.js';
export { saveSnapshot } from './snapshot/save.js';
export { listSnapshots, loadSnapshot, removeSnapshot, showSnapshot } from './snapshot/store.js';
export type { LoadedSnapshot, SnapshotDetails, SnapshotSummary } from './snapshot/summary.js';
