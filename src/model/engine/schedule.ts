/**
 * fastai's fit_one_cycle, step for step as PyTorch's OneCycleLR computes it (cosine, pct_start 0.25,
 * div 25, final div 1e5, momentum 0.95 -> 0.85 -> 0.95), plus a constant schedule.
 */
import type { Schedule } from '../types.js';

export interface StepHyper {
  lr: number;
  beta1: number;
}

const cosAnneal = (start: number, end: number, pct: number) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);

export function makeSchedule(kind: Schedule, lrMax: number, totalSteps: number): (step: number) => StepHyper {
  if (kind === 'constant') return () => ({ lr: lrMax, beta1: 0.9 });
  const initial = lrMax / 25;
  const min = initial / 1e5;
  const end1 = 0.25 * totalSteps - 1;
  const end2 = totalSteps - 1;
  return (step) => {
    if (step <= end1 && end1 > 0) {
      const pct = step / end1;
      return { lr: cosAnneal(initial, lrMax, pct), beta1: cosAnneal(0.95, 0.85, pct) };
    }
    const span = end2 - Math.max(end1, 0);
    const pct = span > 0 ? Math.min(1, (step - Math.max(end1, 0)) / span) : 1;
    return { lr: cosAnneal(lrMax, min, pct), beta1: cosAnneal(0.85, 0.95, pct) };
  };
}
