/** Snapshot names, the snapshots folder, and the hidden working entries that sit beside snapshots. */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { defaultSnapshotsDir } from '../../data/places.js';
import { SnapshotError } from './errors.js';

export const SNAPSHOTS_ENV = 'FACTORLENS_SNAPSHOTS';
const NAME_CHARS = /^[A-Za-z0-9._-]+$/;
const MAX_NAME = 64;

/**
 * `--snapshots DIR`, else $FACTORLENS_SNAPSHOTS, else the checkout's own snapshots/ when run from a
 * source checkout, else $XDG_DATA_HOME/factorlens/snapshots (src/data/places.ts says why).
 */
export function snapshotsDir(flag?: string): string {
  const chosen = flag?.trim() || process.env[SNAPSHOTS_ENV]?.trim();
  return chosen ? path.resolve(process.cwd(), chosen) : defaultSnapshotsDir();
}

/** Refuses anything that could escape the snapshots folder or collide with the hidden working entries. */
export function validateSnapshotName(name: string): string {
  const shown = JSON.stringify(name);
  if (typeof name !== 'string' || name.length === 0) throw new SnapshotError('snapshot name is empty: give 1 to 64 characters of A-Z a-z 0-9 . _ -');
  if (name.length > MAX_NAME) throw new SnapshotError(`snapshot name is ${name.length} characters long: at most ${MAX_NAME} are allowed`);
  if (name.includes('/') || name.includes('\\')) throw new SnapshotError(`snapshot name ${shown} contains a path separator: a name is one folder name, not a path`);
  if (name.includes('..')) throw new SnapshotError(`snapshot name ${shown} contains "..": names may not point outside the snapshots folder`);
  if (name.startsWith('.')) throw new SnapshotError(`snapshot name ${shown} starts with a dot: those names are reserved for unfinished saves`);
  if (!NAME_CHARS.test(name)) throw new SnapshotError(`snapshot name ${shown} has characters outside A-Z a-z 0-9 . _ -`);
  return name;
}

/**
 * Working entries: `.NAME.tmp-…` (a save being written), `.NAME.old-…` (the previous version moved
 * aside during a forced replace), `.NAME.rm-…` (a removal in progress). The time and pid in the name
 * tell whether the owner is still alive; the time also orders `.old` entries newest first.
 */
export type WorkKind = 'tmp' | 'old' | 'rm';

export interface WorkEntry {
  entry: string;
  name: string;
  kind: WorkKind;
  time: number;
  pid: number;
}

const WORK_RE = /^\.(.+)\.(tmp|old|rm)-(\d+)-(\d+)-[0-9a-f]+$/;

export function workEntryName(name: string, kind: WorkKind): string {
  return `.${name}.${kind}-${Date.now()}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export function parseWorkEntry(entry: string): WorkEntry | null {
  const m = WORK_RE.exec(entry);
  if (!m) return null;
  return { entry, name: m[1], kind: m[2] as WorkKind, time: Number(m[3]), pid: Number(m[4]) };
}
