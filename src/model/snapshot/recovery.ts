/**
 * Finding a snapshot and tidying the working entries around it.
 *
 * A forced replace does rename(NAME → .NAME.old-…), then rename(.NAME.tmp-… → NAME). A kill between
 * the two leaves NAME missing and the complete previous version in `.old`. Whoever looks next (load,
 * show, list, save, rm) notices, verifies the `.old` and renames it back; while its owner is still
 * alive (the window is two syscalls long) a reader reads the `.old` in place instead.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { errCode, exists, fsyncDir, processAlive } from './fsSafe.js';
import { removeIfOurs } from './ownership.js';
import { inspectDir } from './inspect.js';
import { parseWorkEntry, type WorkEntry } from './names.js';

/** Working entries are ours by their name (names.ts) and may lack a manifest (it is written last). */
const WORK_ENTRY = { manifest: false };

/** A working entry older than this is abandoned even if its pid was reused by a live process. */
const ABANDONED_MS = 60 * 60 * 1000;

function isStale(w: WorkEntry): boolean {
  return !processAlive(w.pid) || Date.now() - w.time > ABANDONED_MS;
}

async function workEntries(dir: string): Promise<WorkEntry[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return [];
  }
  return names.map(parseWorkEntry).filter((w): w is WorkEntry => w !== null);
}

async function isComplete(dir: string): Promise<boolean> {
  try {
    await inspectDir(dir);
    return true;
  } catch {
    return false;
  }
}

/**
 * Deals with abandoned `.old` versions of one name: the newest complete one is put back when NAME is
 * missing; every other one is removed (NAME itself is always complete, so they are obsolete).
 */
async function settleOld(dir: string, name: string, olds: WorkEntry[]): Promise<void> {
  const target = path.join(dir, name);
  for (const w of olds.sort((a, b) => b.time - a.time)) {
    const from = path.join(dir, w.entry);
    if (!(await exists(target)) && (await isComplete(from))) {
      try {
        await fsp.rename(from, target);
        await fsyncDir(dir);
        continue;
      } catch (err) {
        // someone else published NAME meanwhile: this old version is obsolete
        if (errCode(err) !== 'ENOTEMPTY' && errCode(err) !== 'EEXIST') continue;
      }
    }
    await removeIfOurs(from, WORK_ENTRY);
  }
}

/** Best effort: recover or remove what killed saves and removals left behind (only dead owners' entries). */
export async function cleanupStale(dir: string, onlyName?: string): Promise<void> {
  const stale = (await workEntries(dir)).filter((w) => (onlyName === undefined || w.name === onlyName) && isStale(w));
  const oldByName = new Map<string, WorkEntry[]>();
  for (const w of stale) {
    if (w.kind === 'old') oldByName.set(w.name, [...(oldByName.get(w.name) ?? []), w]);
    else await removeIfOurs(path.join(dir, w.entry), WORK_ENTRY);
  }
  for (const [name, olds] of oldByName) await settleOld(dir, name, olds).catch(() => undefined);
}

/** The folder to read NAME from: NAME itself, a recovered `.old`, or a live saver's `.old` in place. */
export async function locateSnapshot(dir: string, name: string): Promise<string | null> {
  const target = path.join(dir, name);
  if (await exists(target)) return target;
  await cleanupStale(dir, name);
  if (await exists(target)) return target;
  const live = (await workEntries(dir)).filter((w) => w.name === name && w.kind === 'old').sort((a, b) => b.time - a.time);
  for (const w of live) {
    const from = path.join(dir, w.entry);
    if (await isComplete(from)) return from;
  }
  return null;
}
