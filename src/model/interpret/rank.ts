/** Top-k selection shared by the interpretation helpers. */

/**
 * Indices of the k largest scores (descending), skipping those `skip` rejects. A bounded
 * insertion list: O(n·k) with k ≈ 10 beats sorting all 1682 (or 60k) items on every keystroke.
 */
export function topK(scores: ArrayLike<number>, k: number, skip?: (i: number) => boolean): number[] {
  const idx: number[] = [];
  if (k <= 0) return idx;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (Number.isNaN(s) || (skip && skip(i))) continue;
    if (idx.length === k && s <= scores[idx[k - 1]]) continue;
    let pos = idx.length < k ? idx.length : k - 1;
    if (idx.length < k) idx.push(i);
    while (pos > 0 && scores[idx[pos - 1]] < s) {
      idx[pos] = idx[pos - 1];
      pos--;
    }
    idx[pos] = i;
  }
  return idx;
}

/** Indices of the k smallest scores (ascending). */
export function bottomK(scores: ArrayLike<number>, k: number, skip?: (i: number) => boolean): number[] {
  const neg = Float64Array.from(scores as ArrayLike<number>, (x) => -x);
  return topK(neg, k, skip);
}

/**
 * topK, keeping only the first index of each key: ML-100K lists some movies twice under two ids
 * ("Chasing Amy (1997)"), and a list should not show one film twice.
 */
export function topKDistinct(scores: ArrayLike<number>, k: number, skip: (i: number) => boolean, key: (i: number) => string): number[] {
  for (let want = k + 8; ; want *= 2) {
    const idx = topK(scores, want, skip);
    const seen = new Set<string>();
    const out: number[] = [];
    for (const i of idx) {
      const name = key(i);
      if (seen.has(name)) continue;
      seen.add(name);
      out.push(i);
      if (out.length === k) return out;
    }
    if (idx.length < want) return out;
  }
}
