/** A character-cell scatter plot with labels placed where they fit, and arrow-key navigation between points. */

export interface ScatterPoint {
  x: number;
  y: number;
  label: string;
  /** Drawn instead of • (a colour group's glyph, so groups read apart without colour too). */
  glyph?: string;
  /** The colour group (an index into the legend). */
  group?: number;
  /** Highlighted: one of the cursor's neighbours, the folded-in user, one of their recommendations. */
  mark?: 'neighbour' | 'you' | 'rec';
}

export interface Viewport {
  cx: number;
  cy: number;
  /** Half the visible data range on each axis. */
  hx: number;
  hy: number;
}

export interface ScatterCell {
  ch: string;
  kind: 'empty' | 'point' | 'label' | 'cursor' | 'axis' | 'neighbour' | 'you' | 'rec';
  group?: number;
}

/** Glyphs of the colour groups, in legend order (NO_COLOR still tells them apart); the last one for the rest. */
export const GROUP_GLYPHS = ['o', 'x', '+', '*', '#', '%', '@', '&', '=', '~'];
export const MARK_GLYPHS = { neighbour: '▲', you: '★', rec: '♦' } as const;

export function fitViewport(points: readonly { x: number; y: number }[], zoom: number, center?: { x: number; y: number }): Viewport {
  if (points.length === 0) return { cx: 0, cy: 0, hx: 1, hy: 1 };
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    maxX = Math.max(maxX, p.x);
    minY = Math.min(minY, p.y);
    maxY = Math.max(maxY, p.y);
  }
  const hx = Math.max(1e-9, (maxX - minX) / 2) * 1.02;
  const hy = Math.max(1e-9, (maxY - minY) / 2) * 1.02;
  const whole = { cx: (minX + maxX) / 2, cy: (minY + maxY) / 2 };
  const c = zoom > 1 && center ? { cx: center.x, cy: center.y } : whole;
  return { ...c, hx: hx / zoom, hy: hy / zoom };
}

/** Screen cell of a point (may be outside the grid). */
export function toCell(p: { x: number; y: number }, v: Viewport, width: number, height: number): { col: number; row: number } {
  const col = Math.round(((p.x - (v.cx - v.hx)) / (2 * v.hx)) * (width - 1));
  const row = Math.round((1 - (p.y - (v.cy - v.hy)) / (2 * v.hy)) * (height - 1));
  return { col, row };
}

export function renderScatter(points: readonly ScatterPoint[], cursor: number, v: Viewport, width: number, height: number, maxLabels: number, zeroLines = true): ScatterCell[][] {
  const grid: ScatterCell[][] = Array.from({ length: height }, () => Array.from({ length: width }, () => ({ ch: ' ', kind: 'empty' as const })));
  const inside = (c: { col: number; row: number }) => c.col >= 0 && c.col < width && c.row >= 0 && c.row < height;
  // Zero lines: where the principal component is 0, i.e. the average movie.
  const origin = zeroLines ? toCell({ x: 0, y: 0 }, v, width, height) : { row: -1, col: -1 };
  if (origin.row >= 0 && origin.row < height) for (let c = 0; c < width; c++) grid[origin.row][c] = { ch: '─', kind: 'axis' };
  if (origin.col >= 0 && origin.col < width) for (let r = 0; r < height; r++) grid[r][origin.col] = { ch: grid[r][origin.col].ch === '─' ? '┼' : '│', kind: 'axis' };

  const cells = points.map((p) => toCell(p, v, width, height));
  cells.forEach((c, i) => {
    const p = points[i];
    if (inside(c) && i !== cursor && !p.mark) grid[c.row][c.col] = { ch: p.glyph ?? '•', kind: 'point', group: p.group };
  });
  // marked points after the plain ones, so a crowded cell shows the highlight
  cells.forEach((c, i) => {
    const m = points[i].mark;
    if (inside(c) && i !== cursor && m) grid[c.row][c.col] = { ch: MARK_GLYPHS[m], kind: m };
  });
  // The cursor goes in before the labels, so no label is ever written under it (or next to it:
  // a label touching ◉ would read as the cursor's own).
  const cc = cells[cursor];
  if (cc && inside(cc)) grid[cc.row][cc.col] = { ch: '◉', kind: 'cursor' };
  // Labels for the first points (the caller sorts them most-rated first), only into free cells, with
  // a free cell after each so two labels never run together.
  let placed = 0;
  for (let i = 0; i < points.length && placed < maxLabels; i++) {
    const c = cells[i];
    if (!inside(c) || i === cursor || grid[c.row][c.col].kind === 'cursor') continue;
    const text = points[i].label;
    const start = c.col + 1;
    if (start + text.length + 1 > width) continue;
    let free = true;
    for (let k = start; k <= start + text.length && free; k++) free = grid[c.row][k].kind === 'empty' || grid[c.row][k].kind === 'axis';
    if (!free) continue;
    for (let k = 0; k < text.length; k++) grid[c.row][start + k] = { ch: text[k], kind: 'label' };
    placed++;
  }
  return grid;
}

/**
 * The nearest point from `from` in an arrow's direction, in screen units (a row is about two
 * columns tall). Points off to the side count extra, so → means "mostly to the right".
 */
export function nearestInDirection(points: readonly ScatterPoint[], from: number, dir: 'left' | 'right' | 'up' | 'down', v: Viewport, width: number, height: number): number {
  const origin = points[from];
  if (!origin) return from;
  const o = toCell(origin, v, width, height);
  let best = from;
  let bestScore = Infinity;
  points.forEach((p, i) => {
    if (i === from) return;
    const c = toCell(p, v, width, height);
    const dx = c.col - o.col;
    const dy = (c.row - o.row) * 2;
    const along = dir === 'right' ? dx : dir === 'left' ? -dx : dir === 'down' ? dy : -dy;
    const side = dir === 'left' || dir === 'right' ? Math.abs(dy) : Math.abs(dx);
    if (along <= 0 || side > 2 * along) return;
    const score = along + 2 * side;
    if (score < bestScore) {
      bestScore = score;
      best = i;
    }
  });
  return best;
}
