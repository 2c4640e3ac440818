import { describe, expect, it } from 'vitest';
import { easeFoldIn, easeTrainedUser, fitEase, scoreEase } from '../../../src/model/models/baselines/ease.js';
import { spdInverse } from '../../../src/model/interpret/linalg.js';
import { matrix, rated } from './helpers.js';

describe('EASE^R', () => {
  // X (binary): u0 {i0, i1}, u1 {i1, i2}, u2 {i0}; ratings are ignored.
  // XᵀX + λI with λ = 1 = [[3,1,0],[1,3,1],[0,1,2]], det 13, inverse P = [[5,−2,1],[−2,6,−3],[1,−3,8]] / 13
  // B_ij = −P_ij / P_jj:  B = [[0, 1/3, −1/8], [2/5, 0, 3/8], [−1/5, 1/2, 0]]
  const m = matrix([[0, 0, 5], [0, 1, 1], [1, 1, 3], [1, 2, 4], [2, 0, 2]], 3, 3);
  const ease = fitEase(m, { lambda: 1 });
  const B = [
    [0, 1 / 3, -1 / 8],
    [2 / 5, 0, 3 / 8],
    [-1 / 5, 1 / 2, 0],
  ];

  it('B = I − P·diag(1/diag P) by hand, zero diagonal', () => {
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(ease.weights[i * 3 + j]).toBeCloseTo(B[i][j], 6);
  });

  it("a user's scores are the sum of B's rows of their items; a new user's the same", () => {
    expect([...scoreEase(ease, easeTrainedUser(m, 2))].map((v) => +v.toFixed(6))).toEqual(B[0].map((v) => +v.toFixed(6)));
    // new user with i0 and i2: rows 0 + 2 = [−1/5, 5/6, −1/8]
    const s = scoreEase(ease, easeFoldIn(ease, rated([[0, 4], [2, 1]])));
    expect(s[0]).toBeCloseTo(-1 / 5, 6);
    expect(s[1]).toBeCloseTo(5 / 6, 6);
    expect(s[2]).toBeCloseTo(-1 / 8, 6);
  });

  it('refuses λ ≤ 0', () => {
    expect(() => fitEase(m, { lambda: 0 })).toThrow(/lambda must be above 0/);
  });
});

describe('spdInverse', () => {
  it('inverts SPD matrices of every size around the 4-row blocks', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 13]) {
      const g = Float64Array.from({ length: n * n }, rnd);
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        for (let k = 0; k < n; k++) a[i * n + j] += g[i * n + k] * g[j * n + k];
        if (i === j) a[i * n + j] += 0.1;
      }
      const p = spdInverse(a, n)!;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k] * p[k * n + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 8);
      }
    }
    expect(spdInverse(Float64Array.of(1, 2, 2, 1), 2)).toBeNull();
  });
});
