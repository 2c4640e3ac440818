/**
 * One trial's rung: train the configuration (its epochs scaled to the rung) on the holdout's training
 * rows and judge it on the holdout's validation rows — never on the split's test rows, which this module
 * is never given. The blend trains its dotbias part and its AutoRec apart, exactly as trainModel's
 * 'autorec' solver would, and picks the blend weight on the validation rows.
 */
import type { Dataset } from '../../data/types.js';
import { evaluateColumns, selectRows, type Columns } from '../evaluate/metrics.js';
import { rankingFromColumns } from '../evaluate/ranking.js';
import { predictRows } from '../models/forward.js';
import { AUTOREC_DEFAULTS, blendDotbias, trainAutoRec } from '../train/solvers/autorec.js';
import { optionsFor, trainModel } from '../train/train.js';
import type { DotBiasWeights, ModelWeights, TrainOptions } from '../types.js';
import { holdoutSplit, type Holdout } from './holdout.js';
import type { JobOutcome } from './scheduler.js';
import { BLEND_CANDIDATE, rungOptions, type TuneConfig } from './space.js';

export type TuneMetric = 'rmse' | 'ndcg';

export interface TrialOutcome extends JobOutcome<TuneConfig> {
  /** The model of a whole run (fraction 1), so the search's winner exists even if no retrain can follow. */
  weights?: ModelWeights;
}

/** The blend weights tried: every 0.05 for RMSE (cheap), every 0.2 for NDCG (each a full ranking). */
const BLEND_GRID = { rmse: 20, ndcg: 5 };

export class TrialRunner {
  private readonly train: Columns;
  private readonly valid: Columns;
  /** The same rung options give the same model: a rung whose epochs equal the previous one's reuses it. */
  private readonly outcomes = new Map<string, TrialOutcome>();
  /** The blend's dotbias parts, trained once per configuration. */
  private readonly bases = new Map<string, DotBiasWeights>();

  constructor(
    private readonly ds: Dataset,
    private readonly holdout: Holdout,
    private readonly metric: TuneMetric,
  ) {
    this.train = selectRows(ds, holdout.train);
    this.valid = selectRows(ds, holdout.valid);
  }

  async run(config: TuneConfig, fraction: number, signal: AbortSignal): Promise<TrialOutcome> {
    const t0 = performance.now();
    const options = rungOptions(config, fraction);
    const key = JSON.stringify([config.candidate, options]);
    const seen = this.outcomes.get(key);
    if (seen) return { ...seen, seconds: 0, weights: fraction === 1 ? seen.weights : undefined, detail: 'same epochs as the rung before' };
    const out = config.candidate === BLEND_CANDIDATE ? await this.blend(config, options, signal) : await this.single(options, signal);
    const outcome: TrialOutcome = { ...out, seconds: (performance.now() - t0) / 1000 };
    if (outcome.state === 'done') this.outcomes.set(key, outcome);
    // a rung below the whole run hands on no weights (nobody will use them)
    return fraction === 1 ? outcome : { ...outcome, weights: undefined };
  }

  private score(w: ModelWeights): number {
    return this.metric === 'rmse' ? evaluateColumns(w, this.valid).rmse : rankingFromColumns(w, this.train, this.valid).ndcg;
  }

  private async single(options: Partial<TrainOptions>, signal: AbortSignal): Promise<Omit<TrialOutcome, 'seconds'>> {
    const r = await trainModel(this.ds, holdoutSplit('random', this.holdout), { ...options, members: undefined }, { signal });
    if (r.reason !== 'completed') return { state: r.reason === 'cancelled' ? 'cancelled' : 'diverged', metric: NaN, detail: r.message };
    return { state: 'done', metric: this.score(r.weights), weights: r.weights };
  }

  private async blend(config: TuneConfig, options: Partial<TrainOptions>, signal: AbortSignal): Promise<Omit<TrialOutcome, 'seconds'>> {
    const full = optionsFor(this.ds, options);
    const ar = full.autorec!;
    const baseOptions: Partial<TrainOptions> = { ...options, solver: undefined, autorec: undefined, members: undefined };
    const baseKey = JSON.stringify(baseOptions);
    let base = this.bases.get(baseKey);
    if (!base) {
      const r = await trainModel(this.ds, holdoutSplit('random', this.holdout), baseOptions, { signal });
      if (r.reason !== 'completed') return { state: r.reason === 'cancelled' ? 'cancelled' : 'diverged', metric: NaN, detail: `dotbias part: ${r.message}` };
      base = r.weights as DotBiasWeights;
      this.bases.set(baseKey, base);
    }
    // the settings train.ts's AutoRec stage uses, so the final run reproduces this AutoRec exactly
    const settings = { ...AUTOREC_DEFAULTS, hidden: ar.hidden, epochs: ar.epochs, lr: ar.lr, wd: ar.wd, bs: ar.bs, schedule: full.schedule, yRange: full.yRange, seed: full.seed };
    const a = await trainAutoRec(this.ds.nUsers, this.ds.nItems, this.train, settings, undefined, { signal });
    if (a.cancelled) return { state: 'cancelled', metric: NaN };
    const w = this.chooseBlend(a.weights, base);
    if (!Number.isFinite(w.metric)) return { state: 'diverged', metric: NaN, detail: 'the AutoRec part predicts no numbers' };
    const chosen: TuneConfig = { ...config, options: { ...config.options, autorec: { ...config.options.autorec!, blend: w.weight } } };
    return { state: 'done', metric: w.metric, config: chosen, weights: blendDotbias(a.weights, base, w.weight) };
  }

  /** The blend weight with the best validation metric (ties to the smaller weight). */
  private chooseBlend(autorec: DotBiasWeights, base: DotBiasWeights): { weight: number; metric: number } {
    const steps = BLEND_GRID[this.metric];
    let best = { weight: 0, metric: NaN };
    if (this.metric === 'rmse') {
      // RMSE of a blend straight from the two models' logits: no model is built per weight
      const [lo, hi] = base.yRange;
      const za = logits(predictRows(autorec, this.valid), lo, hi);
      const zb = logits(predictRows(base, this.valid), lo, hi);
      for (let s = 0; s <= steps; s++) {
        const w = s / steps;
        let se = 0;
        for (let i = 0; i < za.length; i++) {
          const p = lo + (hi - lo) / (1 + Math.exp(-(w * za[i] + (1 - w) * zb[i])));
          se += (p - this.valid.ratings[i]) ** 2;
        }
        const rmse = Math.sqrt(se / Math.max(1, za.length));
        if (!(rmse >= best.metric)) best = { weight: Number(w.toFixed(2)), metric: rmse };
      }
      return best;
    }
    for (let s = 0; s <= steps; s++) {
      const w = Number((s / steps).toFixed(2));
      const ndcg = this.score(blendDotbias(autorec, base, w));
      if (!(ndcg <= best.metric)) best = { weight: w, metric: ndcg };
    }
    return best;
  }
}

/** Inverse sigmoid_range, clipped just inside the range (float32 predictions saturate). */
function logits(pred: Float32Array, lo: number, hi: number): Float64Array {
  const out = new Float64Array(pred.length);
  for (let i = 0; i < pred.length; i++) {
    const q = Math.min(1 - 1e-7, Math.max(1e-7, (pred[i] - lo) / (hi - lo)));
    out[i] = Math.log(q / (1 - q));
  }
  return out;
}
