/** The Leaderboard pane against a scripted session: rows as they come, sorting, bars, opening a row, 80 columns. */
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, KEYS, type RenderedApp } from './renderApp.js';
import { FakeServices } from './fakeServices.js';
import { resolveOptions } from '../../src/model/train/defaults.js';
import type { LeaderboardRow, MeanSd, MetricKey } from '../../src/ui/services.js';
import type { ModelKind } from '../../src/model/types.js';

let app: RenderedApp | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

const v = (mean: number | null, sd = 0): MeanSd | null => (mean === null ? null : { mean, sd });

function row(model: string, kind: ModelKind, m: Partial<Record<MetricKey, number | null>>, opts: { cached?: boolean; folds?: number; sd?: number; cold?: boolean } = {}): LeaderboardRow {
  const metrics = Object.fromEntries(
    (['rmse', 'mae', 'p10', 'recall20', 'ndcg10', 'coverage', 'popularityLift', 'seconds'] as MetricKey[]).map((k) => [k, v(m[k] ?? null, opts.sd ?? 0)]),
  ) as LeaderboardRow['metrics'];
  const splits = Array.from({ length: opts.folds ?? 1 }, (_, i) => (opts.folds ? `u${i + 1}` : 'u1'));
  return {
    model,
    description: model,
    kind,
    options: resolveOptions({ model: kind, split: 'u1' }),
    protocol: opts.folds ? 'cv5' : 'u1',
    splits,
    folds: [],
    metrics,
    cold: opts.cold ? { ...metrics, ndcg10: v(0.05) } : null,
    warmRatings: 2952,
    coldRatings: opts.cold ? 15000 : 0,
    coldUsers: opts.cold ? 300 : 0,
    reason: 'completed',
    cached: opts.cached ?? false,
  };
}

const EASE = row('ease', 'ease', { p10: 0.3781, recall20: 0.3536, ndcg10: 0.4485, coverage: 0.234, popularityLift: 5.18, seconds: 5.3 });
const POP = row('popularity', 'popularity', { p10: 0.2136, recall20: 0.1769, ndcg10: 0.2451, coverage: 0.048, popularityLift: 7.48, seconds: 0 }, { cached: true });
const RECIPE = row('recipe', 'dotbias', { rmse: 0.9156, mae: 0.725, p10: 0.1746, recall20: 0.1312, ndcg10: 0.1904, coverage: 0.211, popularityLift: 3.93, seconds: 0.9 });
const MEAN = row('mean', 'mean', { rmse: 1.1537, mae: 0.968, seconds: 0.1 }, { cached: true });

describe('Leaderboard pane', () => {
  it('r runs it on the current split; rows appear as they come, best NDCG@10 first, bars longest for the best', async () => {
    const services = new FakeServices();
    app = await renderApp({ services, pane: 'leaderboard', columns: 80, rows: 24 });
    await app.waitFor('r runs the leaderboard on split random');
    await app.press('p');
    await app.waitFor('split u1');
    await app.press('r');
    await app.waitFor('0/4 rows');
    expect(services.boardRequests).toEqual([{ protocol: 'u1' }]);
    services.emitBoardRow(MEAN);
    services.emitBoardRow(RECIPE);
    services.emitBoardProgress('ease', 0.5);
    let f = await app.waitFor('2/4 rows · ease');
    expect(f).toMatch(/recipe[^\n]*0\.9156[^\n]*\n[^\n]*mean/);
    services.emitBoardRow(EASE);
    services.emitBoardRow(POP);
    services.finishBoard();
    f = await app.waitFor('done: 4 rows');
    const lines = f.split('\n');
    const order = ['ease', 'popularity', 'recipe', 'mean'].map((m) => lines.findIndex((l) => l.includes(` ${m}`) || l.includes(`·${m}`)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const barOf = (m: string) => (lines.find((l) => l.includes(m))!.match(/█+/) ?? [''])[0].length;
    expect(barOf('ease')).toBeGreaterThan(barOf('popularity'));
    expect(barOf('popularity')).toBeGreaterThan(barOf('recipe'));
    expect(f).toMatch(/·popularity/); // cached rows are marked
    // the frame fits: no line wider than the terminal, no metric cut
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    expect(f).toContain('0.4485');
  });

  it('the chosen row shows its 95 % intervals from resampling users, so a lead can be read as real or not', async () => {
    const services = new FakeServices();
    app = await renderApp({ services, pane: 'leaderboard', columns: 80, rows: 24 });
    await app.press('r');
    const withIntervals = row('recipe', 'dotbias', { rmse: 0.9156, mae: 0.725, ndcg10: 0.1904, seconds: 0.9 });
    withIntervals.metrics.rmse!.interval = { low: 0.9051, high: 0.9262 };
    withIntervals.metrics.ndcg10!.interval = { low: 0.172, high: 0.209 };
    services.emitBoardRow(withIntervals);
    services.emitBoardRow(MEAN);
    services.finishBoard();
    const f = await app.waitFor('recipe: RMSE 0.9156 [0.9051–0.9262] · NDCG@10 0.190 [0.172–0.209] (95 %)');
    for (const l of f.split('\n')) expect([...l].length).toBeLessThanOrEqual(80);
    // a row without intervals (cached by an older version) says so instead of showing none silently
    await app.press(KEYS.down);
    await app.waitFor('mean: no intervals (from the cache of an older version: r recomputes)');
  });

  it('←/→ sorts by another column, lower-is-better ones ascending', async () => {
    const services = new FakeServices();
    app = await renderApp({ services, pane: 'leaderboard', columns: 120, rows: 40 });
    await app.press('r');
    for (const r of [EASE, POP, RECIPE, MEAN]) services.emitBoardRow(r);
    services.finishBoard();
    await app.waitFor('done: 4 rows');
    // ndcg10 → coverage → popularityLift → seconds → rmse (wraps)
    await app.press(KEYS.right, KEYS.right, KEYS.right, KEYS.right);
    const f = await app.waitFor('RMSE↓');
    const lines = f.split('\n');
    expect(lines.findIndex((l) => l.includes('recipe'))).toBeLessThan(lines.findIndex((l) => l.includes('mean')));
    // the models without an RMSE go last
    expect(lines.findIndex((l) => l.includes('mean'))).toBeLessThan(lines.findIndex((l) => l.includes('ease')));
    // at 120 columns every column is there
    for (const head of ['RMSE', 'MAE', 'P@10', 'R@20', 'NDCG@10', 'cover', 'pop×', 'secs']) expect(f).toContain(head);
  });

  it('Enter opens a row trained this session; a cached row is retrained through the Train pane', async () => {
    const services = new FakeServices();
    services.boardTrained.add('recipe');
    app = await renderApp({ services, pane: 'leaderboard', columns: 80, rows: 24 });
    await app.press('p', 'r');
    services.emitBoardRow(RECIPE);
    services.emitBoardRow(POP);
    services.finishBoard();
    await app.waitFor('done: 2 rows');
    // popularity (NDCG 0.2451) is first, recipe second
    await app.press(KEYS.down, KEYS.enter);
    await app.waitFor('recipe (u1) is the current model');
    expect(services.opened).toEqual(['recipe']);
    await app.press(KEYS.up, KEYS.enter);
    await app.waitFor('retraining popularity');
    expect(services.lastOptions).toMatchObject({ model: 'popularity', split: 'u1' });
  });

  it('Esc stops a run; under cv5 cells read mean±sd and columns drop whole at 80 columns', async () => {
    const services = new FakeServices();
    app = await renderApp({ services, pane: 'leaderboard', columns: 80, rows: 24 });
    await app.press('p', 'p', 'p');
    await app.waitFor('split cv5');
    await app.press('r');
    services.emitBoardRow(row('recipe', 'dotbias', { rmse: 0.9446, mae: 0.74, p10: 0.17, recall20: 0.13, ndcg10: 0.19, coverage: 0.21, popularityLift: 3.9, seconds: 1.1 }, { folds: 5, sd: 0.0034 }));
    await app.press(KEYS.escape);
    expect(services.boardCancelled).toBe(true);
    const f = await app.waitFor('stopped: 1 rows');
    expect(f).toContain('0.945±.003');
    const header = f.split('\n').find((l) => l.includes('model') && l.includes('NDCG'))!;
    // some columns are gone, none is cut: every heading shown is whole
    expect(header.split(/\s+/).filter(Boolean).every((h) => ['model', 'RMSE', 'MAE', 'P@10', 'R@20', 'NDCG@10↑', 'cover', 'pop×', 'secs'].includes(h))).toBe(true);
    expect(header).not.toContain('pop×');
    for (const l of f.split('\n')) expect([...l].length).toBeLessThanOrEqual(80);
  });

  it('a time split shows the users with training ratings, n the ones who joined after the cut', async () => {
    const services = new FakeServices();
    app = await renderApp({ services, pane: 'leaderboard', columns: 80, rows: 24 });
    await app.press('r');
    services.emitBoardRow(row('recipe', 'dotbias', { rmse: 1.05, ndcg10: 0.12 }, { cold: true }));
    services.finishBoard();
    await app.waitFor('n: the 300 who joined after the cut');
    await app.press('n');
    const f = await app.waitFor('folded in from their first 5 ratings');
    expect(f).toContain('0.0500');
  });
});
