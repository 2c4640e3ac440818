/**
 * Fetches a MovieLens zip from GroupLens (or a mirror), unzips, verifies, and only then moves the
 * folder into place: whatever fails, the cache holds either the old complete dataset or nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, existsSync, lstatSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { cacheRoot } from './cache.js';
import { loadDataset } from './load.js';

export type DownloadableDataset = 'ml-100k' | 'ml-latest-small' | 'ml-1m' | 'ml-25m';

interface DatasetSpec {
  /** Files that must be in the zip's folder. */
  files: string[];
  /** sha256 of file contents where GroupLens' data is fixed (our test zip differs byte-wise, content doesn't). */
  sha256?: Record<string, string>;
  approxMB: number;
}

export const DOWNLOADABLE: Record<DownloadableDataset, DatasetSpec> = {
  'ml-100k': {
    files: ['u.data', 'u.item'],
    sha256: {
      'u.data': '06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490',
      'u.item': '553841ebc7de3a0fd0d6b62a204ea30c1e651aacfb2814c7a6584ac52f2c5701',
    },
    approxMB: 5,
  },
  'ml-latest-small': { files: ['ratings.csv', 'movies.csv'], approxMB: 1 },
  'ml-1m': { files: ['ratings.dat', 'movies.dat'], approxMB: 6 },
  'ml-25m': { files: ['ratings.csv', 'movies.csv'], approxMB: 262 },
};

/** The URL fastai's untar_data uses for these zips. */
export const DEFAULT_BASE_URL = 'https://files.grouplens.org/datasets/movielens/';

export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

export interface DownloadOptions {
  /** Folder holding "<name>.zip"; default $FACTORLENS_DOWNLOAD_URL, else GroupLens. */
  baseUrl?: string;
  /** Parent folder: the dataset lands in <dest>/<name>. Default: the cache ($XDG_CACHE_HOME/factorlens). */
  dest?: string;
  onProgress?: (received: number, total: number | null) => void;
  signal?: AbortSignal;
  /** Replace a dataset that is already there (default: return it untouched). */
  force?: boolean;
  /** Give up when no byte arrives for this long (a stalled connection would otherwise hang forever). */
  idleTimeoutMs?: number;
}

export const DOWNLOAD_DEFAULTS = { idleTimeoutMs: 30_000 } as const;

export function isDownloadable(name: string): name is DownloadableDataset {
  return Object.hasOwn(DOWNLOADABLE, name);
}

export function datasetUrl(name: DownloadableDataset, baseUrl?: string): string {
  const base = baseUrl ?? process.env.FACTORLENS_DOWNLOAD_URL ?? DEFAULT_BASE_URL;
  return `${base.endsWith('/') ? base : base + '/'}${name}.zip`;
}

export async function downloadDataset(name: DownloadableDataset, opts: DownloadOptions = {}): Promise<string> {
  if (!isDownloadable(name)) {
    throw new DownloadError(`unknown dataset "${name}": choose one of ${Object.keys(DOWNLOADABLE).join(', ')}`);
  }
  const parent = path.resolve(opts.dest ?? cacheRoot());
  const final = path.join(parent, name);
  if (existsSync(final) && !opts.force) return final;
  const url = datasetUrl(name, opts.baseUrl);
  const howTo =
    `To proceed: download ${url} by hand, unzip it, and pass --data <the unzipped ${name} folder> ` +
    `(or set FACTORLENS_DATA to it)`;
  const fail = (what: string) => new DownloadError(`${what}${/[.?!]$/.test(what) ? '' : '.'} ${howTo}`);

  try {
    mkdirSync(parent, { recursive: true });
  } catch (err) {
    throw fail(`cannot create ${parent} (${errCode(err)})`);
  }
  // temporary names beside the target, so the final rename stays on one file system (atomic)
  const tag = `.${name}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  const zipPath = path.join(parent, `${tag}.zip`);
  const work = path.join(parent, tag);
  try {
    await fetchToFile(url, zipPath, opts, fail);
    await unzipTo(zipPath, work, name, fail);
    await verify(work, name, fail);
    await moveIntoPlace(work, final, fail);
    return final;
  } finally {
    await rm(zipPath, { force: true });
    await rm(work, { recursive: true, force: true });
  }
}

async function fetchToFile(
  url: string,
  file: string,
  opts: DownloadOptions,
  fail: (what: string) => DownloadError,
): Promise<void> {
  const idleMs = opts.idleTimeoutMs ?? DOWNLOAD_DEFAULTS.idleTimeoutMs;
  const ctl = new AbortController();
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      ctl.abort();
    }, idleMs);
  };
  const onAbort = () => ctl.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) ctl.abort();
  const why = (err: unknown) =>
    opts.signal?.aborted ? 'cancelled' : stalled ? `stalled: no data for ${Math.round(idleMs / 1000)} s` : describe(err);

  let received = 0;
  let total: number | null = null;
  try {
    arm();
    let res: Response;
    try {
      res = await fetch(url, { signal: ctl.signal, redirect: 'follow' });
    } catch (err) {
      throw fail(`could not reach ${hostOf(url)} (${why(err)}); are you offline?`);
    }
    if (!res.ok || !res.body) {
      throw fail(`the server answered HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''} for ${url}`);
    }
    const len = Number(res.headers.get('content-length'));
    total = Number.isFinite(len) && len > 0 ? len : null;
    opts.onProgress?.(0, total);
    let fh;
    try {
      fh = await open(file, 'w');
    } catch (err) {
      throw fail(`cannot write ${file} (${errCode(err)})`);
    }
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        arm();
        await fh.write(chunk);
        received += chunk.length;
        opts.onProgress?.(received, total);
      }
    } catch (err) {
      if (err instanceof DownloadError) throw err;
      if (isFsError(err)) throw fail(`cannot write ${file} (${errCode(err)})`);
      throw fail(`download interrupted after ${mb(received)}${total ? ` of ${mb(total)}` : ''} (${why(err)})`);
    } finally {
      await fh.close();
    }
    if (total !== null && received < total) {
      throw fail(`download interrupted after ${mb(received)} of ${mb(total)} (the connection closed early)`);
    }
    if (received === 0) throw fail(`the server sent an empty file for ${url}`);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Streams the zip through fflate so ML-25M (1.1 GB unzipped) never sits in memory. Entries lose
 * the zip's top folder ("ml-100k/u.data" -> "u.data"); anything escaping the folder is refused.
 */
async function unzipTo(zipPath: string, dir: string, name: string, fail: (what: string) => DownloadError): Promise<void> {
  await mkdir(dir, { recursive: true });
  // fflate's streaming Unzip does not check CRCs: read the expected ones from the central directory
  const expected = await readCentralDirectory(zipPath);
  if (typeof expected === 'string') throw fail(`the downloaded zip is corrupt (${expected})`);
  const pending = new Map<string, number>(); // entry -> fd, until its final chunk
  const written: string[] = [];
  let problem: string | null = null;
  const unzip = new Unzip((file) => {
    if (problem) return;
    const rel = entryPath(file.name, name);
    if (rel === null) return; // folders, __MACOSX and other clutter
    if (rel === false) {
      problem = `it contains an unsafe path "${file.name}"`;
      return;
    }
    const target = path.join(dir, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    const want = expected.get(file.name);
    if (!want) {
      problem = `${file.name} is not in the zip's directory`;
      return;
    }
    const fd = openSync(target, 'w');
    pending.set(file.name, fd);
    let crc = 0;
    let size = 0;
    file.ondata = (err, data, final) => {
      if (err) {
        problem ??= `${file.name}: ${err.message}`;
        return;
      }
      crc = crc32(data, crc);
      size += data.length;
      writeSync(fd, data);
      if (final) {
        closeSync(fd);
        pending.delete(file.name);
        if (crc !== want.crc || size !== want.size) problem ??= `${file.name} fails its CRC check`;
        written.push(rel);
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  try {
    for await (const chunk of createReadStream(zipPath, { highWaterMark: 1 << 20 })) {
      unzip.push(chunk as Buffer, false);
      if (problem) break;
    }
    if (!problem) unzip.push(new Uint8Array(0), true);
  } catch (err) {
    problem ??= describe(err);
  } finally {
    for (const fd of pending.values()) closeSync(fd);
  }
  if (!problem && pending.size > 0) problem = `${[...pending.keys()][0]} is cut short`;
  const missing = [...expected.keys()].filter((n) => !n.endsWith('/') && !written.includes(entryPath(n, name) as string));
  if (!problem && missing.length > 0 && written.length > 0) problem = `${missing[0]} is missing from the data`;
  if (!problem && written.length === 0) problem = 'it holds no files';
  if (problem) throw fail(`the downloaded zip is corrupt (${problem})`);
}

/**
 * Entry name -> CRC-32 and size, from the zip's central directory at its end; a string says why
 * it cannot be read (a truncated download loses the directory first).
 */
async function readCentralDirectory(zipPath: string): Promise<Map<string, { crc: number; size: number }> | string> {
  const fh = await open(zipPath, 'r');
  try {
    const fileSize = (await fh.stat()).size;
    const tailLen = Math.min(fileSize, 65_557); // EOCD (22) + longest comment
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, fileSize - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) return 'it has no zip directory: not a zip, or cut short';
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset === 0xffffffff || count === 0xffff) return 'it is a ZIP64 archive, which is not supported';
    if (cdOffset + cdSize > fileSize) return 'its directory points past the end of the file';
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const out = new Map<string, { crc: number; size: number }>();
    let p = 0;
    for (let k = 0; k < count; k++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) return 'its directory is damaged';
      const nameLen = cd.readUInt16LE(p + 28);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
      out.set(name, { crc: cd.readUInt32LE(p + 16), size: cd.readUInt32LE(p + 24) });
      p += 46 + nameLen + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    }
    return out;
  } finally {
    await fh.close();
  }
}

let CRC_TABLE: Int32Array | undefined;

/** CRC-32 (zip's polynomial), continued from `crc`; unsigned result. */
export function crc32(data: Uint8Array, crc = 0): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c;
    }
  }
  const t = CRC_TABLE;
  let c = ~crc;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** null: skip the entry; false: unsafe; else the path inside the dataset folder. */
function entryPath(entry: string, name: string): string | null | false {
  if (entry.endsWith('/') || entry.startsWith('__MACOSX/')) return null;
  const parts = entry.split(/[\\/]+/);
  if (entry.startsWith('/') || /^[A-Za-z]:/.test(entry) || parts.includes('..')) return false;
  if (parts.length > 1 && parts[0] === name) parts.shift();
  return parts.join('/');
}

async function verify(dir: string, name: DownloadableDataset, fail: (what: string) => DownloadError): Promise<void> {
  const spec = DOWNLOADABLE[name];
  const missing = spec.files.filter((f) => !existsSync(path.join(dir, f)));
  if (missing.length > 0) throw fail(`the downloaded zip lacks ${missing.join(' and ')}: it is not ${name} or it is corrupt`);
  for (const [file, want] of Object.entries(spec.sha256 ?? {})) {
    const got = await sha256File(path.join(dir, file));
    if (got !== want) throw fail(`the downloaded ${file} failed verification (sha256 ${got.slice(0, 12)}…, expected ${want.slice(0, 12)}…): the download is corrupt`);
  }
  if (!spec.sha256) {
    try {
      await loadDataset(dir);
    } catch (err) {
      throw fail(`the downloaded data does not parse (${(err as Error).message})`);
    }
  }
}

/** Every entry below `dir`, relative, with "/" for folders; symlinks and special files marked as such. */
function entriesBelow(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(`${r}/`, ...entriesBelow(dir, r));
    else out.push(e.isFile() ? r : `${r} (${e.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'})`);
  }
  return out;
}

/**
 * A forced download replaces the folder only when it holds nothing the new download does not: then
 * it is an older copy of this dataset. Anything else there (someone's notes, their own files, a
 * symlink to their copy) would be deleted with it, so it is refused and left as it is.
 */
function checkReplaceable(final: string, work: string): void {
  const fail = (what: string) => new DownloadError(what);
  const st = lstatSync(final);
  if (st.isSymbolicLink()) throw fail(`${final} is a symbolic link, which factorlens does not replace; remove it yourself or choose another --dest`);
  if (!st.isDirectory()) throw fail(`${final} is a file, not a dataset folder; factorlens leaves it as it is: choose another --dest`);
  const ours = new Set(entriesBelow(work));
  const extra = entriesBelow(final).filter((e) => !ours.has(e));
  if (extra.length > 0) {
    const shown = extra.slice(0, 3).map((e) => JSON.stringify(e)).join(', ') + (extra.length > 3 ? ` and ${extra.length - 3} more` : '');
    throw fail(`${final} holds ${shown}, which the dataset does not: factorlens replaces only a copy of the dataset and left this folder as it is (move those out, or choose another --dest)`);
  }
}

async function moveIntoPlace(work: string, final: string, fail: (what: string) => DownloadError): Promise<void> {
  const exists = existsSync(final) || lstatSync(final, { throwIfNoEntry: false }) !== undefined;
  if (exists) checkReplaceable(final, work);
  const old = exists ? `${work}.old` : null;
  try {
    if (old) await rename(final, old);
    await rename(work, final);
  } catch (err) {
    if (old && !existsSync(final)) await rename(old, final).catch(() => undefined);
    throw fail(`cannot move the dataset into ${final} (${errCode(err)})`);
  }
  if (old) await rm(old, { recursive: true, force: true });
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function describe(err: unknown): string {
  const e = err as { message?: string; code?: string; cause?: { code?: string; message?: string } };
  const code = e?.cause?.code ?? e?.code;
  const msg = e?.cause?.message ?? e?.message ?? String(err);
  return code && !msg.includes(code) ? `${code}: ${msg}` : msg;
}

function errCode(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e?.code ?? e?.message ?? String(err);
}

function isFsError(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return typeof code === 'string' && /^E(ACCES|NOSPC|ROFS|PERM|DQUOT|IO)$/.test(code);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function mb(bytes: number): string {
  return bytes < 1 << 20 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / (1 << 20)).toFixed(1)} MB`;
}
