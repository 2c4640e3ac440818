/**
 * Never lose a finished training. Before a run starts, the snapshots folder must take a real write
 * (a permission bit says nothing about a read-only mount or a full disk); if the save still fails at
 * the end, the result is kept as a snapshot in a recovery folder and the message says where:
 *
 *   1. $XDG_STATE_HOME/factorlens/recovered (default ~/.local/state/factorlens/recovered): the XDG
 *      place for state a program keeps between runs, per user, and not wiped at reboot;
 *   2. <system temp dir>/factorlens-recovered-<uid>: when the first is on the same full or read-only
 *      file system; often a different one (tmpfs), but it may be cleared at reboot, as the message says.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SnapshotError } from './errors.js';
import { describeFsError, fsStep, writeFileSynced } from './fsSafe.js';
import { validateSnapshotName } from './names.js';
import { checkReplaceable, saveSnapshot } from './save.js';
import type { SnapshotSummary } from './summary.js';
import { modelKind } from '../models/index.js';
import type { TrainOptions, TrainResult } from '../types.js';

/**
 * The weights alone of the model these options train (its kind's parameters): a lower bound on the
 * snapshot, whose manifest (the vocabulary) comes on top. The AutoRec blend adds its hidden units as factors.
 */
export function estimateSnapshotBytes(nUsers: number, nItems: number, o: TrainOptions): number {
  const spec = modelKind(o.model);
  const shape = spec.shapeFor(o, nUsers, nItems);
  const extra = o.solver === 'autorec' && o.autorec ? o.autorec.hidden + (o.autorec.users?.hidden ?? 0) : 0;
  const blended = extra ? { ...shape, userDim: shape.userDim + extra, itemDim: shape.itemDim + extra } : shape;
  return 4 * spec.params(blended).reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0);
}

const ELSEWHERE = 'choose another folder with --snapshots (or FACTORLENS_SNAPSHOTS)';
const MB = (n: number) => `${(n / (1 << 20)).toFixed(1)} MB`;

/**
 * Refuses (before any training) a snapshots folder that cannot take a snapshot: the name, a file in the
 * way of the folder, a folder of that name that is not ours (or taken, without force), then a test
 * file written, synced and removed there. The folder is created if it does not exist (the save would).
 */
export async function checkSnapshotDestination(name: string, dir: string, opts: { force?: boolean } = {}): Promise<void> {
  validateSnapshotName(name);
  const fail = `cannot save snapshot "${name}":`;
  let p = dir;
  while (!existsSync(p) && path.dirname(p) !== p) p = path.dirname(p);
  if (existsSync(p) && !statSync(p).isDirectory()) {
    const what = p === dir ? `the snapshots folder ${dir} is a file` : `${p} is a file, so the snapshots folder ${dir} cannot be made`;
    throw new SnapshotError(`${fail} ${what}; ${ELSEWHERE}`);
  }
  await fsStep(`${fail} creating the snapshots folder`, dir, () => fsp.mkdir(dir, { recursive: true })).catch((err: SnapshotError) => {
    throw new SnapshotError(`${err.message}; ${ELSEWHERE}`);
  });
  await checkReplaceable(name, dir, opts.force === true, fail);
  const probe = path.join(dir, `.factorlens-write-test-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    // a real write, synced: a read-only mount or a full disk fails here, not after the training
    await writeFileSynced(probe, Buffer.alloc(1 << 12));
  } catch (err) {
    await fsp.unlink(probe).catch(() => undefined);
    throw new SnapshotError(`${fail} the snapshots folder ${dir} cannot take it: writing a test file there failed: ${describeFsError(err)}; ${ELSEWHERE}`);
  } finally {
    await fsp.unlink(probe).catch(() => undefined);
  }
}

/** Refuses a snapshots folder with less free space than the snapshot's weights (estimateSnapshotBytes). */
export async function checkFreeSpace(name: string, dir: string, approxBytes: number): Promise<void> {
  const fs = await fsp.statfs(dir).catch(() => null);
  const free = fs ? fs.bavail * fs.bsize : Infinity;
  if (free < approxBytes) {
    throw new SnapshotError(
      `cannot save snapshot "${name}": the snapshots folder ${dir} has ${MB(free)} free, and the snapshot needs at least ${MB(approxBytes)}; free some space or ${ELSEWHERE}`,
    );
  }
}

/** A save that failed, with the model kept elsewhere: the message for the CLI, the parts for a short one in the app. */
export class SnapshotKeptElsewhere extends SnapshotError {
  constructor(
    message: string,
    /** What went wrong, short: "the file system is read-only (EROFS)". */
    readonly reason: string,
    /** The recovery folder and the snapshot's name in it. */
    readonly keptDir: string,
    readonly keptName: string,
  ) {
    super(message);
  }
}

/** Where a result goes when its own snapshots folder cannot take it, best first. */
export function recoveryDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const state = env.XDG_STATE_HOME?.trim() || path.join(os.homedir(), '.local', 'state');
  const uid = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
  return [path.join(state, 'factorlens', 'recovered'), path.join(os.tmpdir(), `factorlens-recovered-${uid}`)];
}

/** "recipe-20250114-093015": the name with the time, unique enough and still a valid snapshot name. */
function recoveryName(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${name.slice(0, 64 - stamp.length - 1)}-${stamp}`;
}

/**
 * saveSnapshot, and when it fails, the same result saved in a recovery folder instead: the error
 * then says what failed, where the model is kept and how to get it back. Only when even that fails
 * is the result lost, and the error says so.
 */
export async function saveSnapshotOrKeep(
  name: string,
  result: TrainResult,
  opts: { dir: string; force?: boolean; recoveryDirs?: string[] },
): Promise<SnapshotSummary> {
  try {
    return await saveSnapshot(name, result, opts);
  } catch (err) {
    const first = err instanceof SnapshotError ? err.message : String(err);
    const reason = first.replace(/; nothing was saved$/, '');
    const tried: string[] = [];
    for (const dir of opts.recoveryDirs ?? recoveryDirs()) {
      if (path.resolve(dir) === path.resolve(opts.dir)) continue;
      let kept: SnapshotSummary;
      try {
        kept = await saveSnapshot(recoveryName(name), result, { dir });
      } catch (keepErr) {
        tried.push(`${dir} (${keepErr instanceof Error ? keepErr.message.replace(/^cannot save snapshot "[^"]*": /, '') : String(keepErr)})`);
        continue;
      }
      throw new SnapshotKeptElsewhere(
        `${reason}; the trained model is kept as snapshot "${kept.name}" in ${dir}: use it with --snapshots ${dir} --snapshot ${kept.name}, ` +
          `or move that folder into ${opts.dir} once it can take it`,
        /failed: (.*)$/.exec(reason)?.[1] ?? reason,
        dir,
        kept.name,
      );
    }
    throw new SnapshotError(`${reason}; keeping it elsewhere failed too: ${tried.join('; ')}; the trained model is lost`);
  }
}
