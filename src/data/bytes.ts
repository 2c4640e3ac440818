/**
 * Byte-level helpers for the rating files: a chunked line reader and number parsers that work on
 * Buffer ranges. ML-25M has 25M lines; making a string and an object per line would cost minutes
 * and gigabytes, so readers look at bytes and only build strings for error messages.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { DataError } from './types.js';

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
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const chunk = opts.chunkSize ?? 4 << 20;
    let buf = Buffer.allocUnsafe(chunk * 2);
    let carry = 0; // bytes of an unfinished line kept at the start of buf
    let lineNo = 0;
    let read = 0;
    let lastReport = 0;
    for (;;) {
      if (buf.length - carry < chunk) {
        // a single line longer than the buffer: grow rather than fail
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, carry, chunk, null);
      const end = carry + bytesRead;
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
  } finally {
    await fh.close();
  }
}

/**
 * forEachLine, synchronously (for makeSplit, which callers use as a plain function): the same
 * chunked reads, so a split file of ML-25M size never sits in memory whole.
 */
export function forEachLineSync(file: string, onLine: (buf: Buffer, start: number, end: number, lineNo: number) => void, chunk = 4 << 20): number {
  const fd = openSync(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(chunk * 2);
    let carry = 0;
    let lineNo = 0;
    for (;;) {
      if (buf.length - carry < chunk) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const bytesRead = readSync(fd, buf, carry, chunk, null);
      const end = carry + bytesRead;
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
  const oneLine = JSON.stringify(text).slice(1, -1); // shows tabs and control bytes as escapes
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

/** Typed arrays that grow by 1.5x; `trim()` returns exactly-sized arrays. */
export class RatingColumns {
  users: Int32Array;
  items: Int32Array;
  ratings: Float32Array;
  timestamps: Float64Array;
  length = 0;

  constructor(capacity = 1 << 16) {
    capacity = Math.max(16, Math.ceil(capacity));
    this.users = new Int32Array(capacity);
    this.items = new Int32Array(capacity);
    this.ratings = new Float32Array(capacity);
    this.timestamps = new Float64Array(capacity);
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
    const u = new Int32Array(cap);
    u.set(this.users);
    this.users = u;
    const i = new Int32Array(cap);
    i.set(this.items);
    this.items = i;
    const r = new Float32Array(cap);
    r.set(this.ratings);
    this.ratings = r;
    const t = new Float64Array(cap);
    t.set(this.timestamps);
    this.timestamps = t;
  }

  /**
   * Exact-length arrays. A few spare slots (a header or blank lines) are kept as views rather than
   * copying hundreds of MB; more than that is copied so no one holds a mostly empty buffer.
   */
  trim(): { users: Int32Array; items: Int32Array; ratings: Float32Array; timestamps: Float64Array; n: number } {
    const n = this.length;
    const waste = this.users.length - n > 1024;
    const cut = <T extends Int32Array | Float32Array | Float64Array>(a: T): T =>
      (waste ? a.slice(0, n) : a.subarray(0, n)) as T;
    const out = { users: cut(this.users), items: cut(this.items), ratings: cut(this.ratings), timestamps: cut(this.timestamps), n };
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
