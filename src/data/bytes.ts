/**
 * Byte-level helpers for the rating files: a chunked line reader and number parsers that work on
 * Buffer ranges. ML-25M has 25M lines; making a string and an object per line would cost minutes
 * and gigabytes, so readers look at bytes and only build strings for error messages.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import fsp, { type FileHandle } from 'node:fs/promises';
import { DataError } from './types.js';
import { jsonForTerminal } from './terminalText.js';
import { describeFsError, errCode } from './fsErrors.js';

/** No line of a ratings file comes near this: past it the file is binary, or one enormous line. */
export const MAX_LINE_BYTES = 1 << 20;
/** The first bytes of a file that are looked at before it is parsed (a binary file shows there). */
export const SNIFF_BYTES = 1 << 16;

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** A data file must be a regular file: a FIFO would block the read, a device (/dev/zero) never end it. */
function checkRegular(file: string, st: Stats): void {
  if (!st.isFile()) throw new DataError(`${file} is ${kindOf(st)}, not a regular file: point --data at a folder of ordinary files`);
}

/** fs failures while reading data, in words: "cannot read X: permission denied (EACCES)". */
export function dataFsError(err: unknown, file: string): unknown {
  if (err instanceof DataError || !errCode(err)) return err;
  return new DataError(describeFsError(err, `cannot read ${file}`));
}

/** stat of a data file that must be a regular file (checkRegular), fs failures in words. */
export async function statDataFile(file: string): Promise<Stats> {
  try {
    const st = await fsp.stat(file);
    checkRegular(file, st);
    return st;
  } catch (err) {
    throw dataFsError(err, file);
  }
}

/** Opens a data file for reading, never blocking: regular files only (symlinks to one are fine). */
export async function openDataFile(file: string): Promise<{ fh: FileHandle; size: number }> {
  try {
    checkRegular(file, await fsp.stat(file));
    const fh = await fsp.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = await fh.stat();
    try {
      checkRegular(file, st);
    } catch (err) {
      await fh.close();
      throw err;
    }
    return { fh, size: st.size };
  } catch (err) {
    throw dataFsError(err, file);
  }
}

/**
 * A whole (small) text file, bounded: a regular file of at most `maxBytes`, its first bytes shown to
 * `sniff` before the rest is read, so a 2 GB binary file is refused after 64 KB, not after 2 GB.
 */
export async function readDataFile(file: string, what: string, maxBytes: number, sniff?: (head: Buffer) => void): Promise<Buffer> {
  const { fh, size } = await openDataFile(file);
  try {
    if (size > maxBytes) throw new DataError(`${file} has ${formatBytes(size)}: more than ${what} can be (at most ${formatBytes(maxBytes)}); is it the right file?`);
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const first = got === 0;
      const { bytesRead } = await fh.read(buf, got, first ? Math.min(size, SNIFF_BYTES) : size - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (first) sniff?.(buf.subarray(0, got));
    }
    return buf.subarray(0, got);
  } catch (err) {
    throw dataFsError(err, file);
  } finally {
    await fh.close();
  }
}

export function formatBytes(n: number): string {
  if (n < 1 << 20) return `${Math.max(1, Math.round(n / 1024))} KB`;
  if (n < 1 << 30) return `${(n / (1 << 20)).toFixed(1)} MB`;
  return `${(n / (1 << 30)).toFixed(1)} GB`;
}

/**
 * Refuses a ratings file whose first bytes hold a NUL (binary, UTF-16/32, or a sparse file of zeros)
 * with binaryLineError's message for the line it is on: before a single line is parsed or counted.
 */
export function refuseBinaryHead(file: string, head: Buffer): void {
  const nul = head.indexOf(0);
  if (nul < 0) return;
  let lineNo = 1;
  let lineStart = 0;
  for (let p = head.indexOf(10); p >= 0 && p < nul; p = head.indexOf(10, p + 1)) {
    lineNo++;
    lineStart = p + 1;
  }
  const lineEnd = head.indexOf(10, nul);
  throw binaryLineError(file, lineNo, head, lineStart, lineEnd < 0 ? head.length : lineEnd) ?? new DataError(`${file} holds NUL bytes: it is not a text file`);
}

const NL = 10;
const CR = 13;

export interface LineReadOptions {
  onProgress?: (fraction: number) => void;
  /** Bytes per read; 4 MiB keeps RSS flat while amortising syscalls. */
  chunkSize?: number;
}

/**
 * Calls `onLine(buf, start, end, lineNo)` for every line of `file` (1-based line numbers, the
 * newline and a trailing CR excluded). The buffer is reused: copy anything you keep.
 */
export async function forEachLine(
  file: string,
  onLine: (buf: Buffer, start: number, end: number, lineNo: number) => void,
  opts: LineReadOptions = {},
): Promise<{ lines: number; bytes: number }> {
  const { fh, size } = await openDataFile(file);
  try {
    const chunk = opts.chunkSize ?? 4 << 20;
    let buf = Buffer.allocUnsafe(chunk * 2);
    let carry = 0; // bytes of an unfinished line kept at the start of buf
    let lineNo = 0;
    let read = 0;
    let lastReport = 0;
    for (;;) {
      if (carry > MAX_LINE_BYTES) {
        // one line past any ratings line: binary without NULs, or no line breaks at all; stop before it eats memory
        throw binaryLineError(file, lineNo + 1, buf, 0, Math.min(carry, SNIFF_BYTES)) ??
          new DataError(`${file} line ${lineNo + 1} runs past ${formatBytes(MAX_LINE_BYTES)} without a line break: it is not a file of ratings lines`);
      }
      if (buf.length - carry < chunk) {
        // a line longer than the chunk (rare, bounded above): grow rather than fail
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, carry, chunk, null);
      const end = carry + bytesRead;
      if (read === 0) refuseBinaryHead(file, buf.subarray(0, Math.min(end, SNIFF_BYTES)));
      read += bytesRead;
      let start = 0;
      if (bytesRead === 0) {
        if (carry > 0) {
          lineNo++;
          onLine(buf, 0, carry > 0 && buf[carry - 1] === CR ? carry - 1 : carry, lineNo);
        }
        break;
      }
      for (;;) {
        const nl = buf.indexOf(NL, start);
        if (nl < 0 || nl >= end) break;
        lineNo++;
        onLine(buf, start, nl > start && buf[nl - 1] === CR ? nl - 1 : nl, lineNo);
        start = nl + 1;
      }
      carry = end - start;
      if (carry > 0) buf.copy(buf, 0, start, end);
      if (opts.onProgress && size > 0 && read - lastReport > size / 100) {
        lastReport = read;
        opts.onProgress(Math.min(1, read / size));
      }
    }
    opts.onProgress?.(1);
    return { lines: lineNo, bytes: read };
  } catch (err) {
    throw dataFsError(err, file);
  } finally {
    await fh.close();
  }
}

/**
 * forEachLine, synchronously (for makeSplit, which callers use as a plain function): the same
 * chunked reads, so a split file of ML-25M size never sits in memory whole.
 */
export function forEachLineSync(file: string, onLine: (buf: Buffer, start: number, end: number, lineNo: number) => void, chunk = 4 << 20): number {
  // the same guards as forEachLine: a regular file opened without blocking, a binary head refused, lines bounded
  let fd: number;
  try {
    checkRegular(file, statSync(file));
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    checkRegular(file, fstatSync(fd));
  } catch (err) {
    throw dataFsError(err, file);
  }
  try {
    let buf = Buffer.allocUnsafe(chunk * 2);
    let carry = 0;
    let lineNo = 0;
    let read = 0;
    for (;;) {
      if (carry > MAX_LINE_BYTES) {
        throw binaryLineError(file, lineNo + 1, buf, 0, Math.min(carry, SNIFF_BYTES)) ??
          new DataError(`${file} line ${lineNo + 1} runs past ${formatBytes(MAX_LINE_BYTES)} without a line break: it is not a file of ratings lines`);
      }
      if (buf.length - carry < chunk) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      let bytesRead: number;
      try {
        bytesRead = readSync(fd, buf, carry, chunk, null);
      } catch (err) {
        throw dataFsError(err, file);
      }
      const end = carry + bytesRead;
      if (read === 0) refuseBinaryHead(file, buf.subarray(0, Math.min(end, SNIFF_BYTES)));
      read += bytesRead;
      if (bytesRead === 0) {
        if (carry > 0) onLine(buf, 0, buf[carry - 1] === CR ? carry - 1 : carry, ++lineNo);
        return lineNo;
      }
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(NL, start);
        if (nl < 0 || nl >= end) break;
        onLine(buf, start, nl > start && buf[nl - 1] === CR ? nl - 1 : nl, ++lineNo);
        start = nl + 1;
      }
      carry = end - start;
      if (carry > 0) buf.copy(buf, 0, start, end);
    }
  } finally {
    closeSync(fd);
  }
}

/** Positions of up to `max` fields split by a one- or two-byte separator; returns the field count. */
export function splitFields(
  buf: Buffer,
  start: number,
  end: number,
  sep: number,
  sep2: number, // second byte of a two-byte separator ("::"), or -1
  starts: Int32Array,
  ends: Int32Array,
): number {
  let n = 0;
  let fieldStart = start;
  const max = starts.length;
  for (let i = start; i < end; i++) {
    if (buf[i] === sep && (sep2 < 0 || (i + 1 < end && buf[i + 1] === sep2))) {
      if (n < max) {
        starts[n] = fieldStart;
        ends[n] = i;
      }
      n++;
      if (sep2 >= 0) i++;
      fieldStart = i + 1;
    }
  }
  if (n < max) {
    starts[n] = fieldStart;
    ends[n] = end;
  }
  return n + 1;
}

/** A non-negative integer (surrounding spaces allowed), or NaN. */
export function parseUint(buf: Buffer, start: number, end: number): number {
  while (start < end && buf[start] === 32) start++;
  while (end > start && buf[end - 1] === 32) end--;
  if (start === end || end - start > 15) return NaN;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

/** A decimal like "4", "3.5", "-1.25" (no exponent), or NaN. Exact for halves. */
export function parseDecimal(buf: Buffer, start: number, end: number): number {
  while (start < end && buf[start] === 32) start++;
  while (end > start && buf[end - 1] === 32) end--;
  if (start === end) return NaN;
  let neg = false;
  if (buf[start] === 45 /* - */) {
    neg = true;
    start++;
  } else if (buf[start] === 43 /* + */) start++;
  let intPart = 0;
  let frac = 0;
  let scale = 1;
  let digits = 0;
  let i = start;
  for (; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) break;
    intPart = intPart * 10 + d;
    digits++;
  }
  if (i < end) {
    if (buf[i] !== 46 /* . */) return NaN;
    for (i++; i < end; i++) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) return NaN;
      if (scale < 1e15) {
        frac = frac * 10 + d;
        scale *= 10;
      }
      digits++;
    }
  }
  if (digits === 0) return NaN;
  const v = intPart + frac / scale;
  return neg ? -v : v;
}

/** The line as text for an error message, shortened so one message stays one readable line. */
export function lineText(buf: Buffer, start: number, end: number, encoding: BufferEncoding = 'utf8'): string {
  // raw (bounded) text: lineError escapes and shortens it once
  return buf.toString(encoding, start, Math.min(end, start + 400));
}

export function truncate(text: string, max = 80): string {
  // tabs and control bytes as JSON escapes, and what JSON leaves as it is (C1, bidi) too
  const oneLine = jsonForTerminal(JSON.stringify(text).slice(1, -1));
  return oneLine.length > max ? oneLine.slice(0, max - 1) + '…' : oneLine;
}

/** `file line N: what: "text"` — the shape of every parse error. */
export function lineError(file: string, lineNo: number, what: string, text: string): DataError {
  return new DataError(`${file} line ${lineNo}: ${what}: "${truncate(text)}"`);
}

/**
 * A line with NUL or other control bytes (TAB and CR aside) is not text: the file is binary, or
 * UTF-16/UTF-32. Saying so beats complaining about its fields. Only called on lines already refused.
 */
export function binaryLineError(file: string, lineNo: number, buf: Buffer, start: number, end: number): DataError | null {
  let control = false;
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b === 0) {
      return new DataError(
        `${file} line ${lineNo}: the file holds NUL bytes: it is binary, or UTF-16/UTF-32 text, not plain text; ` +
          'convert UTF-16 with `iconv -f UTF-16 -t UTF-8`, or point --data at the real ratings file',
      );
    }
    if ((b < 32 && b !== 9 && b !== 13) || b === 127) control = true;
  }
  if (!control) return null;
  return new DataError(
    `${file} line ${lineNo}: the file holds control bytes: it is binary (compressed? another kind of file?), not plain text; ` +
      'unpack it or point --data at the real ratings file',
  );
}

/** Wraps a line callback so a refused line that is binary gets binaryLineError's message instead. */
export function refusingBinary(
  file: string,
  onLine: (buf: Buffer, start: number, end: number, lineNo: number) => void,
): (buf: Buffer, start: number, end: number, lineNo: number) => void {
  return (buf, start, end, lineNo) => {
    try {
      onLine(buf, start, end, lineNo);
    } catch (err) {
      throw (err instanceof DataError && binaryLineError(file, lineNo, buf, start, end)) || err;
    }
  };
}

/**
 * A typed array of n elements on a SharedArrayBuffer (a copy of `from` when given): the columns live in
 * shared memory from the start, so a worker thread (the app's training) is handed the very memory
 * instead of a copy — at ML-25M size, half a gigabyte it never holds twice.
 */
function sharedArray<T extends Int32Array | Float32Array | Float64Array>(make: new (b: SharedArrayBuffer) => T, n: number, bytesPer: number, from?: T): T {
  const a = new make(new SharedArrayBuffer(n * bytesPer));
  if (from) a.set(from.subarray(0, Math.min(n, from.length)) as never);
  return a;
}

/** Typed arrays (on SharedArrayBuffers) that grow by 1.5x; `trim()` returns exactly-sized arrays. */
export class RatingColumns {
  users: Int32Array;
  items: Int32Array;
  ratings: Float32Array;
  timestamps: Float64Array;
  length = 0;

  constructor(capacity = 1 << 16) {
    capacity = Math.max(16, Math.ceil(capacity));
    this.users = sharedArray(Int32Array, capacity, 4);
    this.items = sharedArray(Int32Array, capacity, 4);
    this.ratings = sharedArray(Float32Array, capacity, 4);
    this.timestamps = sharedArray(Float64Array, capacity, 8);
  }

  push(user: number, item: number, rating: number, timestamp: number): void {
    if (this.length === this.users.length) this.grow();
    const n = this.length++;
    this.users[n] = user;
    this.items[n] = item;
    this.ratings[n] = rating;
    this.timestamps[n] = timestamp;
  }

  private grow(): void {
    const cap = Math.ceil(this.users.length * 1.5);
    this.users = sharedArray(Int32Array, cap, 4, this.users);
    this.items = sharedArray(Int32Array, cap, 4, this.items);
    this.ratings = sharedArray(Float32Array, cap, 4, this.ratings);
    this.timestamps = sharedArray(Float64Array, cap, 8, this.timestamps);
  }

  /**
   * Exact-length arrays. A few spare slots (a header or blank lines) are kept as views rather than
   * copying hundreds of MB; more than that is copied so no one holds a mostly empty buffer.
   */
  trim(): { users: Int32Array; items: Int32Array; ratings: Float32Array; timestamps: Float64Array; n: number } {
    const n = this.length;
    const waste = this.users.length - n > 1024;
    const cut = <T extends Int32Array | Float32Array | Float64Array>(a: T, make: new (b: SharedArrayBuffer) => T): T =>
      waste ? sharedArray(make, n, a.BYTES_PER_ELEMENT, a) : (a.subarray(0, n) as T);
    const out = {
      users: cut(this.users, Int32Array),
      items: cut(this.items, Int32Array),
      ratings: cut(this.ratings, Float32Array),
      timestamps: cut(this.timestamps, Float64Array),
      n,
    };
    return out;
  }
}

/** Maps arbitrary id strings to small integer codes (generic files, where ids need not be numbers). */
export class Interner {
  readonly names: string[] = [];
  private readonly map = new Map<string, number>();
  code(name: string): number {
    let c = this.map.get(name);
    if (c === undefined) {
      c = this.names.length;
      this.names.push(name);
      this.map.set(name, c);
    }
    return c;
  }
  get(name: string): number | undefined {
    return this.map.get(name);
  }
}
