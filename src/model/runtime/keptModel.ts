/**
 * The copy of the current model kept for a profile when no named snapshot holds it (a run just
 * trained, or one whose snapshot was deleted), so a relaunch reopens it even if it was never saved.
 * It is an ordinary snapshot folder — the same atomic writer, the same checks on reading — in
 * $XDG_STATE_HOME/factorlens/models/PROFILE, one per profile, replaced by the next such model.
 */
import path from 'node:path';
import { stateRoot } from '../../data/index.js';
import type { TrainResult } from '../types.js';
import type { LoadedSnapshot } from '../snapshot/index.js';

const snapshotApi = () => import('../snapshot/index.js');

export class KeptModels {
  readonly dir: string;

  constructor(root: string = stateRoot()) {
    this.dir = path.join(root, 'models');
  }

  async keep(profile: string, result: TrainResult): Promise<void> {
    const { saveSnapshot } = await snapshotApi();
    await saveSnapshot(profile, result, { dir: this.dir, force: true });
  }

  /** The kept model as a TrainResult, or null when there is none. Damage is an error (the caller says so). */
  async load(profile: string, datasetHash?: string): Promise<TrainResult | null> {
    const { loadSnapshot, listSnapshots } = await snapshotApi();
    const here = await listSnapshots(this.dir);
    if (!here.some((s) => s.name === profile)) return null;
    return resultOf(await loadSnapshot(profile, { dir: this.dir, datasetHash }));
  }
}

/** A loaded snapshot as the TrainResult a session holds. */
export function resultOf(s: LoadedSnapshot): TrainResult {
  const man = s.manifest;
  return {
    weights: s.weights,
    vocab: s.vocab,
    options: s.options,
    epochs: s.epochs,
    batchLosses: s.batchLosses,
    backend: man.backend,
    reason: man.training.reason,
    message: man.training.message,
    seconds: man.training.seconds,
    dataset: man.dataset,
    split: man.split,
    ...(s.pick ? { pick: s.pick } : {}),
  };
}
