/**
 * The one rule for removing or replacing anything in a snapshots folder: only a folder that is
 * provably factorlens's own. `snapshots rm`, `train --save --force`, the app's delete and save-over,
 * and the tidying of interrupted saves all ask ownershipOf() first and remove with removeOwnedFolder(),
 * which unlinks only the snapshot's own file names and then removes the (then empty) folder — never a
 * recursive delete. Anything else is refused, named, and left as it was: `--snapshots ~` must never
 * cost anyone their Documents.
 *
 * Provably ours means: a real folder (not a symlink), holding no entry but manifest.json, model.json,
 * weights.bin and (when movies were added to it) added-movies.json (no subfolders), whose manifest.json begins the way every manifest factorlens writes
 * begins — `{"format": "factorlens-snapshot"` — even when the rest of it is damaged or cut short. The
 * hidden working entries of a save (`.NAME.tmp-…`, named by names.ts) are ours by their name and may
 * lack the manifest, which is written last.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { SnapshotError } from './errors.js';
import { errCode, fsyncDir } from './fsSafe.js';
import { peekSnapshotFile } from './files.js';
import { FORMAT_ID, MANIFEST_FILE, WEIGHTS_FILE, WEIGHTS_MANIFEST_FILE } from './manifest.js';
import { ADDED_MOVIES_FILE } from './addedMovies.js';

/** A snapshot's files; added-movies.json (the movies a person added to its catalogue) only when they did. */
export const SNAPSHOT_FILES: readonly string[] = [MANIFEST_FILE, WEIGHTS_MANIFEST_FILE, WEIGHTS_FILE, ADDED_MOVIES_FILE];

/** How every manifest starts, whitespace removed (serializeManifest writes "format" first). */
const SIGNATURE = `{"format":"${FORMAT_ID}"`;
/** A manifest cut shorter than the signature still proves itself with this much of it. */
const SIGNATURE_MIN = '{"format":"factorlens'.length;

export type Ownership = { ours: true } | { ours: false; why: string };

/** Whether these first bytes of a manifest.json are the start of one factorlens wrote. */
export function hasOurSignature(head: Buffer, wholeFile: boolean): boolean {
  const text = head.toString('latin1').replace(/^\uFEFF/, '').replace(/\s+/g, '');
  if (text.startsWith(SIGNATURE)) return true;
  return wholeFile && text.length >= SIGNATURE_MIN && SIGNATURE.startsWith(text);
}

/**
 * Whether `folder` may be removed or replaced by factorlens. `manifest: false` for a save's own
 * temporary folder, which is ours by its name and may not hold a manifest yet.
 */
export async function ownershipOf(folder: string, opts: { manifest?: boolean } = {}): Promise<Ownership> {
  const st = await fsp.lstat(folder).catch((err: unknown) => err as NodeJS.ErrnoException);
  if (st instanceof Error) return { ours: false, why: errCode(st) === 'ENOENT' ? 'it does not exist' : `it cannot be read (${errCode(st) ?? st.message})` };
  if (st.isSymbolicLink()) return { ours: false, why: 'it is a symbolic link, and factorlens never makes one' };
  if (!st.isDirectory()) return { ours: false, why: 'it is a file, not a snapshot folder' };
  let entries: string[];
  try {
    entries = await fsp.readdir(folder);
  } catch (err) {
    return { ours: false, why: `its contents cannot be listed (${errCode(err) ?? String(err)})` };
  }
  const foreign = entries.filter((e) => !SNAPSHOT_FILES.includes(e));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).map((e) => JSON.stringify(e)).join(', ');
    return { ours: false, why: `it holds ${shown}${foreign.length > 3 ? ` and ${foreign.length - 3} more` : ''}, which factorlens did not write` };
  }
  for (const e of entries) {
    const est = await fsp.lstat(path.join(folder, e)).catch(() => null);
    if (est?.isDirectory()) return { ours: false, why: `its ${e} is a folder, which factorlens never makes` };
  }
  if (opts.manifest === false) return { ours: true };
  if (!entries.includes(MANIFEST_FILE)) return { ours: false, why: `it has no ${MANIFEST_FILE}, so nothing shows factorlens made it` };
  const head = await peekSnapshotFile(folder, MANIFEST_FILE, 256);
  if (head === null) return { ours: false, why: `its ${MANIFEST_FILE} is not a regular file` };
  if (!hasOurSignature(head, head.length < 256)) return { ours: false, why: `its ${MANIFEST_FILE} is not one factorlens wrote` };
  return { ours: true };
}

/** The refusal: what is in the way, why it is not ours, and that it was left alone. */
export function notOurs(what: string, name: string, dir: string, why: string): SnapshotError {
  return new SnapshotError(
    `${what}: "${name}" in ${dir} is not a factorlens snapshot (${why}); factorlens removes and replaces only its own snapshots, so it was left as it is`,
  );
}

/**
 * Removes a folder ownershipOf() accepted: its snapshot files one by one, then the empty folder. If
 * anything else appeared in it meanwhile, rmdir fails and that is left in place (ENOTEMPTY is thrown).
 */
export async function removeOwnedFolder(folder: string): Promise<void> {
  // the manifest goes last: a removal killed half-way leaves a folder that still proves it is ours
  for (const f of [...SNAPSHOT_FILES].reverse()) {
    await fsp.unlink(path.join(folder, f)).catch((err: unknown) => {
      if (errCode(err) !== 'ENOENT') throw err;
    });
  }
  await fsp.rmdir(folder);
  await fsyncDir(path.dirname(folder));
}

/** removeOwnedFolder for tidying up, when ours; never fails the caller (the next look tries again). */
export async function removeIfOurs(folder: string, opts: { manifest?: boolean } = {}): Promise<boolean> {
  try {
    if ((await fsp.lstat(folder).catch((err: unknown) => errCode(err))) === 'ENOENT') return true; // nothing there
    if (!(await ownershipOf(folder, opts)).ours) return false;
    await removeOwnedFolder(folder);
    return true;
  } catch {
    return false;
  }
}
