/** Small text helpers: every cell of the screen is counted, so widths are explicit. */

/**
 * The text in at most `width` cells, '…' marking a cut. The cut falls between words when one is near
 * the end ("Shawshank Redemption, …", not "Shawshank Redemption, Th…"); only a long word is cut inside.
 */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width === 1) return '…';
  const room = text.slice(0, width - 1);
  const space = room.lastIndexOf(' ');
  if (space >= Math.ceil(width * 0.6)) return room.slice(0, space + 1) + '…';
  return room + '…';
}

export function padEnd(text: string, width: number): string {
  const t = truncate(text, width);
  return t + ' '.repeat(width - t.length);
}

export function padStart(text: string, width: number): string {
  const t = truncate(text, width);
  return ' '.repeat(width - t.length) + t;
}

/** m:ss, or h:mm:ss past an hour (fastai's epoch table shows mm:ss). */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${String(m).padStart(2, '0')}:${ss}`;
}

export function fixed(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A bar of `width` cells, filled to `fraction` (eighths for a smooth edge). */
export function bar(fraction: number, width: number): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  const part = eighths % 8;
  const partial = part > 0 ? ' ▏▎▍▌▋▊▉'[part] : '';
  return ('█'.repeat(full) + partial).padEnd(width, '·').slice(0, width);
}

/** ★★★★½ for 4.5: whole stars, a half when the rating has one, the rest hollow (out of 5). */
export function stars(rating: number): string {
  const twice = Math.round(rating * 2);
  const full = Math.floor(twice / 2);
  const half = twice % 2 === 1;
  return '★'.repeat(full) + (half ? '½' : '') + '☆'.repeat(Math.max(0, 5 - full - (half ? 1 : 0)));
}

/** A rating as typed: 4, 4.5. */
export function ratingText(rating: number): string {
  return Number.isInteger(rating) ? String(rating) : rating.toFixed(1);
}

/**
 * As many whole items as fit in `width`, joined by ' · ', in their order; when some had to go, the
 * `more` item (e.g. "? all keys") takes the end. Nothing is ever cut inside an item.
 */
export function fitItems(items: readonly string[], width: number, more = ''): string {
  const sep = ' · ';
  const all = items.join(sep);
  if (all.length <= width) return all;
  const tail = more ? sep + more : '';
  const kept: string[] = [];
  let used = 0;
  for (const item of items) {
    const add = (kept.length ? sep.length : 0) + item.length;
    if (used + add + tail.length > width) break;
    kept.push(item);
    used += add;
  }
  return kept.length ? kept.join(sep) + tail : more.length <= width ? more : '';
}

/**
 * Splits text into lines of at most `width` at spaces (a word longer than a line is cut there, the
 * only place a cut can happen). What Ink's wrap does, but countable: callers size boxes by it.
 */
export function wrapWords(text: string, width: number): string[] {
  if (width <= 0) return [];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let w = word;
    while (w.length > width) {
      if (line) lines.push(line);
      lines.push(w.slice(0, width));
      w = w.slice(width);
      line = '';
    }
    if (!line) line = w;
    else if (line.length + 1 + w.length <= width) line += ' ' + w;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** The longest start of `text` that ends at a word boundary and fits `width` with an ellipsis. */
export function cutAtWord(text: string, width: number): string {
  if (text.length <= width) return text;
  const room = text.slice(0, Math.max(0, width - 1));
  const at = room.lastIndexOf(' ');
  return (at > 0 ? room.slice(0, at) : room).replace(/[\s,;:·—-]+$/, '') + '…';
}
