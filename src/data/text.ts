/** Title files: encoding checks and a small CSV field splitter (titles are few; strings are fine here). */
import { DataError } from './types.js';
import { readDataFile, truncate } from './bytes.js';

/** The largest MovieLens titles file (ML-32M's movies.csv) is ~4 MB; sixty times that is still one. */
export const MAX_TITLE_FILE_BYTES = 256 << 20;

/**
 * Reads and decodes a titles / genres / users file, bounded (readDataFile): a binary or UTF-16 file is
 * refused from its first 64 KB, before the rest is read.
 */
export async function readTitleFile(file: string, declared: DeclaredEncoding, warnings: string[]): Promise<string> {
  const bytes = await readDataFile(file, 'a titles file', MAX_TITLE_FILE_BYTES, (head) => {
    decodeTitleFile(head, file, declared, []);
  });
  return decodeTitleFile(bytes, file, declared, warnings);
}

export type DeclaredEncoding = 'latin1' | 'utf8';

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/**
 * Decodes a title file. UTF-16/32 and binary files are refused (they would parse into nonsense
 * titles silently). A latin-1 file that is in fact valid UTF-8 with accents was re-encoded by
 * someone; reading it as UTF-8 gives the right titles, so we do that and say so.
 */
export function decodeTitleFile(bytes: Uint8Array, file: string, declared: DeclaredEncoding, warnings: string[]): string {
  if (bytes.length === 0) throw new DataError(`${file} is empty`);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new DataError(
      `${file} is UTF-16 text (it starts with a UTF-16 byte-order mark); expected ${encodingName(declared)}: ` +
        `convert it, e.g. \`iconv -f UTF-16 -t ${declared === 'latin1' ? 'ISO-8859-1' : 'UTF-8'}\``,
    );
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new DataError(
      `${file} contains a NUL byte at offset ${nul}: it is binary or UTF-16/UTF-32, not ${encodingName(declared)} text`,
    );
  }
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3; // UTF-8 BOM
  const body = bytes.subarray(start);
  let utf8: string | null = null;
  try {
    utf8 = utf8Strict.decode(body);
  } catch {
    utf8 = null;
  }
  if (declared === 'utf8') {
    if (utf8 !== null) return utf8;
    warnings.push(`${file} is not valid UTF-8; read it as latin-1`);
    return latin1.decode(body);
  }
  if (start === 3 || (utf8 !== null && hasHighBytes(body))) {
    if (utf8 === null) throw new DataError(`${file} starts with a UTF-8 byte-order mark but is not valid UTF-8`);
    warnings.push(`${file} is UTF-8, not the latin-1 MovieLens ships; read it as UTF-8`);
    return utf8;
  }
  return latin1.decode(body);
}

function hasHighBytes(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] >= 0x80) return true;
  return false;
}

function encodingName(e: DeclaredEncoding): string {
  return e === 'latin1' ? 'ISO-8859-1 (latin-1)' : 'UTF-8';
}

/** Splits text into lines with 1-based numbers, dropping a final empty line. */
export function textLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * One CSV record (RFC 4180 quoting: "a, b" and doubled quotes ""), within one line:
 * MovieLens titles never span lines. Returns null on an unterminated quote.
 */
export function parseCsvLine(line: string, sep = ','): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return null;
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      // tolerate stray text after the closing quote by appending it
      const next = line.indexOf(sep, i);
      const rest = next < 0 ? line.slice(i) : line.slice(i, next);
      out.push(value + rest);
      if (next < 0) return out;
      i = next + sep.length;
    } else {
      const next = line.indexOf(sep, i);
      if (next < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, next));
      i = next + sep.length;
    }
    if (i > n) return out;
  }
}

/** `file line N: what: "text"` for string-based parsers. */
export function textLineError(file: string, lineNo: number, what: string, line: string): DataError {
  return new DataError(`${file} line ${lineNo}: ${what}: "${truncate(line)}"`);
}

/** "Toy Story (1995)" -> 1995; also "(2006-2007)"; null when the title carries no year. */
export function yearFromTitle(title: string): number | null {
  const m = /\((\d{4})(?:[-–]\d{0,4})?\)\s*$/.exec(title);
  if (!m) return null;
  const y = Number(m[1]);
  return y >= 1800 && y <= 2200 ? y : null;
}
