/**
 * Keeps a training run's loss curve in bounded memory, whatever the number of batches: recent raw
 * losses in a ring buffer, and fastai's debiased moving average folded into a fixed number of buckets
 * over the planned run, which is all a chart a hundred columns wide can show anyway.
 */
import type { EpochRow } from '../services.js';
import { RingBuffer } from './ringBuffer.js';

const BETA = 0.98;
export const LOSS_BUCKETS = 512;

export interface LossView {
  /** Smoothed loss per bucket that has data, oldest first. */
  smoothed: number[];
  /** Buckets of the planned run (smoothed.length / buckets = how far the chart has come). */
  buckets: number;
  /** Batches per bucket, to place epoch ends on the same axis. */
  batchesPerBucket: number;
  epochs: EpochRow[];
  batchesSeen: number;
  lastLoss: number | null;
}

export class LossTracker {
  readonly recent = new RingBuffer(1024);
  private avg = 0;
  private seen = 0;
  private sums = new Float64Array(LOSS_BUCKETS);
  private counts = new Uint32Array(LOSS_BUCKETS);
  private perBucket = 1;
  private epochRows: EpochRow[] = [];

  /** plannedBatches sizes the buckets; losses past it stretch into the last bucket. */
  constructor(plannedBatches: number) {
    this.perBucket = Math.max(1, Math.ceil(plannedBatches / LOSS_BUCKETS));
  }

  static fromHistory(batchLosses: readonly number[], epochs: readonly EpochRow[]): LossTracker {
    const t = new LossTracker(batchLosses.length);
    for (const l of batchLosses) t.addBatch(l);
    for (const row of epochs) t.addEpoch(row);
    return t;
  }

  addBatch(loss: number): void {
    this.recent.push(loss);
    if (!Number.isFinite(loss)) return;
    this.seen++;
    this.avg = BETA * this.avg + (1 - BETA) * loss;
    const smooth = this.avg / (1 - Math.pow(BETA, this.seen));
    const b = Math.min(LOSS_BUCKETS - 1, Math.floor((this.seen - 1) / this.perBucket));
    this.sums[b] += smooth;
    this.counts[b]++;
  }

  addEpoch(row: EpochRow): void {
    this.epochRows = [...this.epochRows, row];
  }

  view(): LossView {
    const smoothed: number[] = [];
    for (let b = 0; b < LOSS_BUCKETS && this.counts[b] > 0; b++) smoothed.push(this.sums[b] / this.counts[b]);
    return {
      smoothed,
      buckets: LOSS_BUCKETS,
      batchesPerBucket: this.perBucket,
      epochs: this.epochRows,
      batchesSeen: this.seen,
      lastLoss: this.recent.last() ?? null,
    };
  }
}

/** Averages a series down to at most `width` points (chart columns). */
export function downsample(series: readonly number[], width: number): number[] {
  if (series.length <= width) return series.slice();
  const out: number[] = [];
  for (let c = 0; c < width; c++) {
    const from = Math.floor((c * series.length) / width);
    const to = Math.max(from + 1, Math.floor(((c + 1) * series.length) / width));
    let s = 0;
    for (let i = from; i < to; i++) s += series[i];
    out.push(s / (to - from));
  }
  return out;
}
