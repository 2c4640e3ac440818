/**
 * One trial's rung: train the configuration (its epochs scaled to the rung) on the holdout's training
 * rows and judge it on the holdout's validation rows — never on the split's test rows, which this module
 * is never given. The blend trains its dotbias part and its AutoRecs apart, exactly as trainModel's
 * 'autorec' solver would, and fits its stacking weights (an RMSE search) or picks its blend weight (an
 * NDCG search) on the validation rows.
 */
import type { Dataset } from '../../data/types.js';
import { evaluateColumns, selectRows, type Columns } from '../evaluate/metrics.js';
import { rankingFromColumns } from '../evaluate/ranking.js';
import { predictRows } from '../models/forward.js';
import { blendDotbias, stackDotbias, trainAutoRec } from '../train/solvers/autorec.js';
import { fitStack, logitsOf } from '../train/stack.js';
import { autorecSettings, optionsFor, trainModel } from '../train/train.js';
import type { DotBiasWeights, ModelWeights, TrainOptions } from '../types.js';
import { holdoutSplit, type Holdout } from './holdout.js';
import type { JobOutcome } from './scheduler.js';
import { BLEND_CANDIDATE, rungOptions, type TuneConfig } from './space.js';

export type TuneMetric = 'rmse' | 'ndcg';

export interface TrialOutcome extends JobOutcome<TuneConfig> {
  /** The model of a whole run (fraction 1), so the search's winner exists even if no retrain can follow. */
  weights?: ModelWeights;
}

/** An NDCG search's blend weights: every 0.2 (each a full ranking). */
const NDCG_BLEND_STEPS = 5;

export class TrialRunner {
  private readonly train: Columns;
  private readonly valid: Columns;
  /** The same rung options give the same model: a rung whose epochs equal the previous one's reuses it. */
  private readonly outcomes = new Map<string, TrialOutcome>();
  /** The blend's dotbias parts, trained once per configuration. */
  private readonly bases = new Map<string, DotBiasWeights>();
  /** The blend's U-AutoRecs (not searched: usually one for the whole search), trained once per configuration. */
  private readonly userParts = new Map<string, DotBiasWeights>();

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
    // the settings train.ts's AutoRec stages use, so the final run reproduces these AutoRecs exactly
    const a = await trainAutoRec(this.ds.nUsers, this.ds.nItems, this.train, autorecSettings(full, ar), undefined, { signal });
    if (a.cancelled) return { state: 'cancelled', metric: NaN };
    if (this.metric === 'rmse') {
      let users: DotBiasWeights | undefined;
      if (ar.users) {
        const settings = autorecSettings(full, ar.users);
        const key = JSON.stringify(settings);
        users = this.userParts.get(key);
        if (!users) {
          const u = await trainAutoRec(this.ds.nUsers, this.ds.nItems, this.train, settings, undefined, { signal }, true);
          if (u.cancelled) return { state: 'cancelled', metric: NaN };
          users = u.weights;
          this.userParts.set(key, users);
        }
      }
      const parts = users ? [base, a.weights, users] : [base, a.weights];
      const fit = fitStack(parts.map((m) => logitsOf(predictRows(m, this.valid), full.yRange)), this.valid.ratings, full.yRange);
      const round = (x: number) => Number(x.toFixed(4));
      const stack = { dotbias: round(fit.weights[0]), items: round(fit.weights[1]), users: users ? round(fit.weights[2]) : 0, bias: round(fit.bias) };
      const model = stackDotbias(parts, users ? [stack.dotbias, stack.items, stack.users] : [stack.dotbias, stack.items], stack.bias);
      const metric = this.score(model);
      if (!Number.isFinite(metric)) return { state: 'diverged', metric: NaN, detail: 'the AutoRec parts predict no numbers' };
      const chosen: TuneConfig = { ...config, options: { ...config.options, autorec: { ...config.options.autorec!, stack } } };
      return { state: 'done', metric, config: chosen, weights: model };
    }
    const w = this.chooseBlend(a.weights, base);
    if (!Number.isFinite(w.metric)) return { state: 'diverged', metric: NaN, detail: 'the AutoRec part predicts no numbers' };
    const chosen: TuneConfig = { ...config, options: { ...config.options, autorec: { ...config.options.autorec!, blend: w.weight } } };
    return { state: 'done', metric: w.metric, config: chosen, weights: blendDotbias(a.weights, base, w.weight) };
  }

  /** The blend weight with the best validation NDCG (ties to the smaller weight). */
  private chooseBlend(autorec: DotBiasWeights, base: DotBiasWeights): { weight: number; metric: number } {
    const steps = NDCG_BLEND_STEPS;
    let best = { weight: 0, metric: NaN };
    for (let s = 0; s <= steps; s++) {
      const w = Number((s / steps).toFixed(2));
      const ndcg = this.score(blendDotbias(autorec, base, w));
      if (!(ndcg <= best.metric)) best = { weight: w, metric: ndcg };
    }
    return best;
  }
}
