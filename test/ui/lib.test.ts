import { describe, expect, it, vi } from 'vitest';
import type { Key } from 'ink';
import { RingBuffer } from '../../src/ui/lib/ringBuffer.js';
import { LossTracker, LOSS_BUCKETS, downsample } from '../../src/ui/lib/lossTracker.js';
import { lossChart, LABEL_WIDTH } from '../../src/ui/lib/chart.js';
import { fitViewport, nearestInDirection, renderScatter } from '../../src/ui/lib/scatter.js';
import { bar, duration, truncate } from '../../src/ui/lib/format.js';
import { editText } from '../../src/ui/lib/textInput.js';
import { colorEnabled } from '../../src/ui/lib/theme.js';
import { validate, initialValues } from '../../src/ui/panes/train/trainFields.js';
import { enterFullScreen, installRestoreHandlers, ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN } from '../../src/ui/terminal.js';
import { EventEmitter } from 'node:events';

const key = (over: Partial<Key> = {}): Key => ({ upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false, ...over }) as Key;

describe('RingBuffer', () => {
  it('keeps the newest values, oldest first', () => {
    const r = new RingBuffer(3);
    [1, 2, 3, 4, 5].forEach((x) => r.push(x));
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.length).toBe(3);
    expect(r.last()).toBe(5);
  });
});

describe('LossTracker', () => {
  it('smooths like fastai (debiased EMA) and stays bounded however many batches come', () => {
    const t = new LossTracker(100_000);
    for (let i = 0; i < 100_000; i++) t.addBatch(i % 2 === 0 ? 1 : 3);
    const v = t.view();
    expect(v.smoothed.length).toBeLessThanOrEqual(LOSS_BUCKETS);
    expect(v.smoothed.at(-1)).toBeCloseTo(2, 1);
    expect(v.batchesSeen).toBe(100_000);
    // the debiased first value equals the first loss
    const first = new LossTracker(10);
    first.addBatch(0.7);
    expect(first.view().smoothed[0]).toBeCloseTo(0.7, 6);
  });

  it('ignores NaN losses in the curve but reports the last raw loss', () => {
    const t = new LossTracker(10);
    t.addBatch(1);
    t.addBatch(Number.NaN);
    expect(t.view().batchesSeen).toBe(1);
    expect(t.view().lastLoss).toBeNaN();
  });

  it('downsamples by averaging', () => {
    expect(downsample([1, 3, 5, 7], 2)).toEqual([2, 6]);
    expect(downsample([1, 2], 5)).toEqual([1, 2]);
  });
});

describe('lossChart', () => {
  it('fits the width and puts a dot per epoch on the valid-loss row', () => {
    const t = new LossTracker(200);
    for (let i = 0; i < 200; i++) t.addBatch(2 - i / 200);
    t.addEpoch({ epoch: 0, trainLoss: 1.5, validLoss: 1.6, validRmse: 1.2, validMae: 1, seconds: 1 });
    t.addEpoch({ epoch: 1, trainLoss: 1.1, validLoss: 1.2, validRmse: 1.1, validMae: 0.9, seconds: 1 });
    const c = lossChart(t.view(), { epochsPlanned: 2, batchesPerEpoch: 100 }, 60, 10);
    expect(c.lines.length).toBe(10);
    for (const l of c.lines) expect([...l].length).toBeLessThanOrEqual(60);
    expect(c.dots.flat().length).toBe(2);
    // the later epoch's dot is further right and lower
    const pos = c.dots.flatMap((cols, r) => cols.map((col) => ({ r, col })));
    pos.sort((a, b) => a.col - b.col);
    expect(pos[1].r).toBeGreaterThan(pos[0].r);
    expect(pos[0].col).toBeGreaterThan(LABEL_WIDTH);
  });

  it('a long run (45 epochs, the accurate preset) on a narrow chart: the axis stays, one dot per cell, nothing spills', () => {
    const t = new LossTracker(1000);
    for (let i = 0; i < 900; i++) t.addBatch(1.5 - i / 1000);
    for (let e = 0; e < 45; e++) t.addEpoch({ epoch: e, trainLoss: 1, validLoss: 0.9 - e * 0.002, validRmse: 0.9, validMae: 0.7, seconds: 1 });
    const c = lossChart(t.view(), { epochsPlanned: 45, batchesPerEpoch: 20 }, 40, 8);
    c.lines.forEach((line, r) => {
      expect([...line].length).toBeLessThanOrEqual(40);
      expect(line[LABEL_WIDTH]).toMatch(/[┤┼]/); // a dot never covers the y-axis
      expect(new Set(c.dots[r]).size).toBe(c.dots[r].length);
      for (const col of c.dots[r]) expect(line[col]).toBe('●');
    });
    expect(c.dots.flat().length).toBeGreaterThan(20);
  });

  it('draws only the part of the run that is done', () => {
    const t = new LossTracker(1000);
    for (let i = 0; i < 250; i++) t.addBatch(1);
    const c = lossChart(t.view(), { epochsPlanned: 4, batchesPerEpoch: 250 }, 48, 5);
    const width = Math.max(...c.lines.map((l) => l.trimEnd().length));
    expect(width).toBeLessThan(LABEL_WIDTH + 1 + 20);
  });
});

describe('scatter', () => {
  const pts = [
    { x: 0, y: 0, label: 'centre' },
    { x: 1, y: 0.1, label: 'right' },
    { x: -1, y: 0, label: 'left' },
    { x: 0, y: 1, label: 'up' },
    { x: 0.1, y: -1, label: 'down' },
  ];
  it('moves the cursor to the nearest point in the arrow direction', () => {
    const v = fitViewport(pts, 1);
    expect(nearestInDirection(pts, 0, 'right', v, 40, 20)).toBe(1);
    expect(nearestInDirection(pts, 0, 'left', v, 40, 20)).toBe(2);
    expect(nearestInDirection(pts, 0, 'up', v, 40, 20)).toBe(3);
    expect(nearestInDirection(pts, 0, 'down', v, 40, 20)).toBe(4);
    expect(nearestInDirection(pts, 1, 'right', v, 40, 20)).toBe(1);
  });
  it('never writes a label over the cursor or against it', () => {
    // "Star Wars" sits left of the cursor on its row: its label would run over ◉
    const row = [
      { x: 0, y: 0, label: 'Star Wars' },
      { x: 0.25, y: 0, label: 'cursor' },
      { x: 1, y: 1, label: 'far' },
      { x: -1, y: -1, label: 'other' },
    ];
    const v = fitViewport(row, 1);
    const g = renderScatter(row, 1, v, 40, 10, 10);
    const line = g.find((r) => r.some((c) => c.kind === 'cursor'))!;
    const at = line.findIndex((c) => c.kind === 'cursor');
    expect(line[at].ch).toBe('◉');
    expect(line[at - 1]?.kind).not.toBe('label');
    expect(line.map((c) => c.ch).join('')).not.toContain('Star Wars');
  });

  it('draws the cursor, points and some labels inside the grid', () => {
    const v = fitViewport(pts, 1);
    const g = renderScatter(pts, 0, v, 40, 20, 10);
    expect(g.length).toBe(20);
    expect(g.every((row) => row.length === 40)).toBe(true);
    const text = g.map((row) => row.map((c) => c.ch).join('')).join('\n');
    expect(text).toContain('◉');
    expect(text).toContain('up');
  });
  it('zooms around the cursor', () => {
    const v = fitViewport(pts, 4, pts[1]);
    expect(v.cx).toBe(1);
    expect(v.hx).toBeLessThan(fitViewport(pts, 1).hx);
  });
});

describe('format and text input', () => {
  it('formats', () => {
    expect(truncate('Star Wars (1977)', 6)).toBe('Star …');
    expect(duration(65)).toBe('01:05');
    expect(duration(3725)).toBe('1:02:05');
    expect(bar(0.5, 4)).toBe('██··');
  });
  it('edits text and leaves other keys alone', () => {
    expect(editText('sta', 'r', key())).toBe('star');
    expect(editText('star', '', key({ backspace: true }))).toBe('sta');
    expect(editText('x', '', key({ upArrow: true }))).toBeNull();
    expect(editText('1', 'a', key(), (c) => /\d/.test(c))).toBeNull();
    // backspaces that arrive together (key repeat, a busy moment) erase, in order, even in a number field
    expect(editText('star warss', '\x7f\x7f', key())).toBe('star war');
    expect(editText('99', '\x7f\x7f5', key(), (c) => /\d/.test(c))).toBe('5');
    expect(editText('ab', 'c\x7fd', key())).toBe('abd');
    expect(editText('', 'star wars', key())).toBe('star wars');
  });
  it('honours NO_COLOR', () => {
    expect(colorEnabled({ NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({})).toBe(true);
  });
});

describe('train form validation', () => {
  it('accepts the defaults', () => {
    const v = validate(initialValues());
    expect(v.errors).toEqual({});
    expect(v.options).toMatchObject({ model: 'dotbias', factors: 50 });
    // y_range is left to the data's rule in the model (0,5.5 for 1–5 stars, 0,5.45 for half stars), not decided here
    expect(v.options?.yRange).toBeUndefined();
  });
  it('puts resolveOptions messages on the field they are about', () => {
    const v = validate({ ...initialValues(), factors: '0', lr: 'abc' });
    expect(v.options).toBeNull();
    expect(v.errors.factors).toMatch(/factors must be a whole number from 1 to 1024, got 0/);
    expect(v.errors.lr).toMatch(/lr must be a number/);
  });
  it('checks layers only for nn and valid % only for a random split', () => {
    expect(validate({ ...initialValues(), layers: 'x' }).errors).toEqual({});
    expect(validate({ ...initialValues(), model: 'nn', layers: 'x' }).errors.layers).toMatch(/layers/);
    expect(validate({ ...initialValues(), split: 'u1', validPct: '7' }).errors).toEqual({});
    expect(validate({ ...initialValues(), yRange: '5,1' }).errors.yRange).toMatch(/y_range/);
  });
});

describe('terminal restore', () => {
  it('enters the alternate screen and restores it exactly once', () => {
    const out: string[] = [];
    const restore = enterFullScreen({ write: (s: string) => out.push(s) });
    restore();
    restore();
    expect(out).toEqual([ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN]);
    expect(LEAVE_ALT_SCREEN).toContain('\x1b[?1049l');
    expect(LEAVE_ALT_SCREEN).toContain('\x1b[?25h');
    // the alternate screen is emptied, cursor home, before switching back (tmux keeps rows above the cursor otherwise)
    expect(LEAVE_ALT_SCREEN.indexOf('\x1b[2J\x1b[H')).toBeLessThan(LEAVE_ALT_SCREEN.indexOf('\x1b[?1049l'));
  });

  it('clears the screen on every resize until restored', () => {
    const out: string[] = [];
    const stdout = Object.assign(new EventEmitter(), { write: (s: string) => out.push(s) });
    const restore = enterFullScreen(stdout);
    stdout.emit('resize');
    expect(out).toEqual([ENTER_ALT_SCREEN, '\x1b[2J\x1b[H']);
    restore();
    stdout.emit('resize');
    expect(out).toEqual([ENTER_ALT_SCREEN, '\x1b[2J\x1b[H', LEAVE_ALT_SCREEN]);
  });

  it('restores before printing a crash, and on SIGTERM', () => {
    const proc = Object.assign(new EventEmitter(), { exit: vi.fn(), stderr: { write: vi.fn() } });
    const order: string[] = [];
    const restore = vi.fn(() => order.push('restore'));
    proc.stderr.write.mockImplementation(() => order.push('print'));
    const uninstall = installRestoreHandlers(proc, restore);
    proc.emit('uncaughtException', new Error('boom'));
    expect(order).toEqual(['restore', 'print']);
    expect(proc.stderr.write.mock.calls[0][0]).toContain('boom');
    expect(proc.exit).toHaveBeenCalledWith(1);
    proc.emit('SIGTERM', 'SIGTERM');
    expect(proc.exit).toHaveBeenLastCalledWith(143);
    uninstall();
    expect(proc.listenerCount('SIGTERM')).toBe(0);
    expect(proc.listenerCount('unhandledRejection')).toBe(0);
  });
});
