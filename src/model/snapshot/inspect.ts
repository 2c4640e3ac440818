/** Verifies a snapshot folder without making tensors: files present, manifest sealed, checksums, shapes. */
import { lstat } from 'node:fs/promises';
import type * as tf from '../runtime/tf.js';
import { SnapshotError } from './errors.js';
import { describeFsError } from './fsSafe.js';
import { MAX_MANIFEST_BYTES, readSnapshotFile } from './files.js';
import { MANIFEST_FILE, WEIGHTS_FILE, WEIGHTS_MANIFEST_FILE, sha256, type FileEntry, type SnapshotManifest } from './manifest.js';
import { validateManifest } from './validate.js';
import { checkLayerChain, readWeightSpecs, weightsBytes } from './weightsFile.js';

export interface Inspected {
  dir: string;
  manifest: SnapshotManifest;
  specs: tf.io.WeightsManifestEntry[];
  bin: Uint8Array;
  sizeBytes: number;
}

/** model.json lists a few weight specs: a few KB. */
const MAX_MODEL_JSON_BYTES = 1024 * 1024;

function checkFile(file: string, data: Uint8Array, entry: FileEntry): void {
  if (sha256(data) !== entry.sha256) {
    throw new SnapshotError(`is damaged: ${file} does not match its sha256 checksum in manifest.json (changed after saving)`);
  }
}

/** Throws a SnapshotError whose message continues `snapshot "NAME" at DIR …` (see describeProblem). */
export async function inspectDir(dir: string): Promise<Inspected> {
  const st = await lstat(dir);
  if (st.isSymbolicLink()) throw new SnapshotError('is a symbolic link, not a snapshot folder: factorlens reads only folders it made');
  if (!st.isDirectory()) throw new SnapshotError('is a file, not a snapshot folder');
  const manifestBytes = await readSnapshotFile(dir, MANIFEST_FILE, { maxBytes: MAX_MANIFEST_BYTES });
  let raw: unknown;
  try {
    raw = JSON.parse(manifestBytes.toString('utf8'));
  } catch {
    throw new SnapshotError(`is damaged: ${MANIFEST_FILE} is not valid JSON (truncated or edited?)`);
  }
  const manifest = validateManifest(raw, MANIFEST_FILE);
  checkLayerChain(manifest.model, `is damaged: ${MANIFEST_FILE} model`);
  // every size is known before a byte is read: model.json's from the manifest, and weights.bin's from
  // the model (readWeightSpecs refuses a manifest whose declared size is not what its model needs)
  const declared = manifest.files;
  const modelJson = await readSnapshotFile(dir, WEIGHTS_MANIFEST_FILE, { maxBytes: MAX_MODEL_JSON_BYTES, exactBytes: declared[WEIGHTS_MANIFEST_FILE].bytes });
  checkFile(WEIGHTS_MANIFEST_FILE, modelJson, declared[WEIGHTS_MANIFEST_FILE]);
  const needed = weightsBytes(manifest.model, manifest.pick);
  const specs = readWeightSpecs(modelJson.toString('utf8'), manifest.model, needed, WEIGHTS_MANIFEST_FILE, manifest.pick);
  if (declared[WEIGHTS_FILE].bytes !== needed) {
    throw new SnapshotError(`is damaged: ${MANIFEST_FILE} says ${WEIGHTS_FILE} has ${declared[WEIGHTS_FILE].bytes} bytes, but its model needs ${needed}`);
  }
  const bin = await readSnapshotFile(dir, WEIGHTS_FILE, { maxBytes: needed, exactBytes: needed });
  checkFile(WEIGHTS_FILE, bin, declared[WEIGHTS_FILE]);
  return { dir, manifest, specs, bin, sizeBytes: manifestBytes.byteLength + modelJson.byteLength + bin.byteLength };
}

/** What is wrong, as the end of a sentence about the snapshot ("is damaged: …", "cannot be read: …"). */
export function problemOf(err: unknown): string {
  return err instanceof SnapshotError ? err.message : `cannot be read: ${describeFsError(err)}`;
}

/** One sentence for the user: which snapshot, where, what is wrong, and what to do about it. */
export function describeProblem(name: string, dir: string, err: unknown, ours = true): SnapshotError {
  const reason = problemOf(err);
  // the way out is offered only for a folder factorlens may remove (ownership.ts)
  const hint = !/^is (damaged|incomplete|not a factorlens)/.test(reason)
    ? ''
    : ours
      ? `; remove it with \`factorlens snapshots rm ${name}\` or save it again with --force`
      : '; factorlens cannot tell it made this folder, so it leaves it alone (move it away or delete it yourself)';
  return new SnapshotError(`snapshot "${name}" at ${dir} ${reason}${hint}`);
}
