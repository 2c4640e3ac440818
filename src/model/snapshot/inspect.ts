/** Verifies a snapshot folder without making tensors: files present, manifest sealed, checksums, shapes. */
import fsp from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '../runtime/tf.js';
import { SnapshotError } from './errors.js';
import { errCode, describeFsError } from './fsSafe.js';
import { MANIFEST_FILE, WEIGHTS_FILE, WEIGHTS_MANIFEST_FILE, sha256, type FileEntry, type SnapshotManifest } from './manifest.js';
import { validateManifest } from './validate.js';
import { checkLayerChain, readWeightSpecs } from './weightsFile.js';

export interface Inspected {
  dir: string;
  manifest: SnapshotManifest;
  specs: tf.io.WeightsManifestEntry[];
  bin: Uint8Array;
  sizeBytes: number;
}

async function readPart(dir: string, file: string): Promise<Buffer> {
  try {
    return await fsp.readFile(path.join(dir, file));
  } catch (err) {
    if (errCode(err) === 'ENOENT') throw new SnapshotError(`is incomplete: ${file} is missing`);
    throw new SnapshotError(`cannot be read: reading ${file} failed: ${describeFsError(err)}`);
  }
}

function checkFile(file: string, data: Uint8Array, entry: FileEntry): void {
  if (data.byteLength !== entry.bytes) {
    throw new SnapshotError(`is damaged: ${file} has ${data.byteLength} bytes where manifest.json says ${entry.bytes} (truncated or replaced?)`);
  }
  if (sha256(data) !== entry.sha256) {
    throw new SnapshotError(`is damaged: ${file} does not match its sha256 checksum in manifest.json (changed after saving)`);
  }
}

/** Throws a SnapshotError whose message continues `snapshot "NAME" at DIR …` (see describeProblem). */
export async function inspectDir(dir: string): Promise<Inspected> {
  const manifestBytes = await readPart(dir, MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(manifestBytes.toString('utf8'));
  } catch {
    throw new SnapshotError(`is damaged: ${MANIFEST_FILE} is not valid JSON (truncated or edited?)`);
  }
  const manifest = validateManifest(raw, MANIFEST_FILE);
  checkLayerChain(manifest.model, `is damaged: ${MANIFEST_FILE} model`);
  const modelJson = await readPart(dir, WEIGHTS_MANIFEST_FILE);
  checkFile(WEIGHTS_MANIFEST_FILE, modelJson, manifest.files[WEIGHTS_MANIFEST_FILE]);
  const bin = await readPart(dir, WEIGHTS_FILE);
  checkFile(WEIGHTS_FILE, bin, manifest.files[WEIGHTS_FILE]);
  const specs = readWeightSpecs(modelJson.toString('utf8'), manifest.model, bin.byteLength, WEIGHTS_MANIFEST_FILE);
  return { dir, manifest, specs, bin, sizeBytes: manifestBytes.byteLength + modelJson.byteLength + bin.byteLength };
}

/** What is wrong, as the end of a sentence about the snapshot ("is damaged: …", "cannot be read: …"). */
export function problemOf(err: unknown): string {
  return err instanceof SnapshotError ? err.message : `cannot be read: ${describeFsError(err)}`;
}

/** One sentence for the user: which snapshot, where, what is wrong, and what to do about it. */
export function describeProblem(name: string, dir: string, err: unknown): SnapshotError {
  const reason = problemOf(err);
  const hint = /^is (damaged|incomplete|not a factorlens)/.test(reason)
    ? `; remove it with \`factorlens snapshots rm ${name}\` or save it again with --force`
    : '';
  return new SnapshotError(`snapshot "${name}" at ${dir} ${reason}${hint}`);
}
