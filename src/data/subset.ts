/** A dataset without some of its users: what a model trained "before they arrived" sees. */
import { createHash } from 'node:crypto';
import type { Dataset } from './types.js';

/**
 * The same dataset with every rating of `users` (dense indices) removed. The remaining users are
 * re-indexed densely in their old order; movies keep their indices (a movie whose only raters left
 * stays in the catalogue, with no ratings), so movie indices mean the same in both.
 */
export function withoutUsers(ds: Dataset, users: readonly number[]): Dataset {
  const out = new Uint8Array(ds.nUsers);
  for (const u of users) out[u] = 1;
  const newIndex = new Int32Array(ds.nUsers).fill(-1);
  const userIds: string[] = [];
  for (let u = 0; u < ds.nUsers; u++) if (!out[u]) newIndex[u] = userIds.push(ds.userIds[u]) - 1;
  let n = 0;
  for (let r = 0; r < ds.nRatings; r++) if (!out[ds.users[r]]) n++;
  const cols = { users: new Int32Array(n), items: new Int32Array(n), ratings: new Float32Array(n), timestamps: new Float64Array(n) };
  const nUsers = userIds.length;
  const itemCount = new Int32Array(ds.nItems);
  const itemSum = new Float64Array(ds.nItems);
  const userCount = new Int32Array(nUsers);
  const userSum = new Float64Array(nUsers);
  for (let r = 0, k = 0; r < ds.nRatings; r++) {
    if (out[ds.users[r]]) continue;
    const u = newIndex[ds.users[r]];
    const i = ds.items[r];
    cols.users[k] = u;
    cols.items[k] = i;
    cols.ratings[k] = ds.ratings[r];
    cols.timestamps[k] = ds.timestamps[r];
    itemCount[i]++;
    itemSum[i] += ds.ratings[r];
    userCount[u]++;
    userSum[u] += ds.ratings[r];
    k++;
  }
  return {
    ...ds,
    name: `${ds.name} without ${users.length} users`,
    nRatings: n,
    nUsers,
    ...cols,
    userIds,
    userIndex: new Map(userIds.map((id, k) => [id, k])),
    itemCount,
    itemMean: Float32Array.from(itemSum, (s, i) => (itemCount[i] ? s / itemCount[i] : 0)),
    userCount,
    userMean: Float32Array.from(userSum, (s, u) => (userCount[u] ? s / userCount[u] : 0)),
    hash: createHash('sha256').update(ds.hash).update(`without ${[...users].sort((a, b) => a - b).join(',')}`).digest('hex'),
    userInfo: ds.userInfo?.filter((_, u) => !out[u]),
    duplicatesDropped: 0,
  };
}
