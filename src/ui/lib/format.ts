/** Small text helpers: every cell of the screen is counted, so widths are explicit. */

export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width === 1) return '…';
  return text.slice(0, width - 1) + '…';
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

export function stars(rating: number): string {
  const r = Math.round(rating);
  return '★'.repeat(r) + '☆'.repeat(Math.max(0, 5 - r));
}
