/** A progress bar with ETA on stderr for training: redrawn in place on a TTY, sparse lines otherwise. */
import type { TrainEvent } from '../model/index.js';

export function formatBar(fraction: number, width = 30): string {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.round(f * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

export class ProgressLine {
  private total = 0;
  private lastDraw = 0;
  private readonly tty = Boolean(process.stderr.isTTY);

  onTrainEvent(e: TrainEvent): void {
    if (e.type === 'start') this.total = e.epochs * e.batchesPerEpoch;
    if (e.type !== 'batch' || !this.total) return;
    const done = e.epoch * e.batchesPerEpoch + e.batch + 1;
    const now = performance.now();
    const interval = this.tty ? 100 : 5000;
    if (now - this.lastDraw < interval && done < this.total) return;
    this.lastDraw = now;
    const frac = done / this.total;
    const eta = (e.elapsed / frac) * (1 - frac);
    const line = `epoch ${e.epoch + 1} ${formatBar(frac)} ${(frac * 100).toFixed(0).padStart(3)}%  loss ${e.loss.toFixed(3)}  eta ${formatEta(eta)}`;
    process.stderr.write(this.tty ? `\r${line}\x1b[K` : line + '\n');
  }

  /** Clears the in-place line so the next output starts clean. */
  finish(): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
  }
}
