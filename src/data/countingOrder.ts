/** A counting sort of row indices by an integer key (a user or item index): O(rows + keys), no comparisons. */

/** Row indices ordered by `key`, stable over `within` (or over 0..n-1 when null), with each key's start offset. */
export function countingOrder(key: Int32Array, nKeys: number, within: Int32Array | null): { order: Int32Array; start: Int32Array } {
  const start = new Int32Array(nKeys + 1);
  for (let r = 0; r < key.length; r++) start[key[r] + 1]++;
  for (let k = 0; k < nKeys; k++) start[k + 1] += start[k];
  const next = start.slice(0, nKeys);
  const order = new Int32Array(key.length);
  for (let k = 0; k < key.length; k++) {
    const r = within ? within[k] : k;
    order[next[key[r]]++] = r;
  }
  return { order, start };
}
