/** The Tune form: what to search, for how long, judged how, on which split. */
import { TUNE_CANDIDATES, type TuneRequest } from '../../../services.js';
import { SPLITS } from '../trainFields.js';

export type TuneFieldKey = 'model' | 'budget' | 'metric' | 'split' | 'seed';

export interface TuneFieldSpec {
  key: TuneFieldKey;
  label: string;
  kind: 'choice' | 'number';
  choices?: readonly string[];
  help: string;
}

export type TuneValues = Record<TuneFieldKey, string>;

export const TUNE_FIELDS: readonly TuneFieldSpec[] = [
  { key: 'model', label: 'model', kind: 'choice', choices: ['all', ...TUNE_CANDIDATES], help: 'one kind, autorec (dotbias + an I-AutoRec: the most accurate, slow), or all the metric can judge (rmse: the kinds that predict ratings, ndcg: those that rank)' },
  { key: 'budget', label: 'budget s', kind: 'number', help: 'seconds for everything: the search, then the winner retrained on all training ratings and tested once' },
  { key: 'metric', label: 'metric', kind: 'choice', choices: ['rmse', 'ndcg'], help: 'what the search judges trials by, on a tenth of the training ratings held out (never the test split)' },
  { key: 'split', label: 'split', kind: 'choice', choices: SPLITS, help: "the train/test split: the search sees only its training ratings; the test ratings score the winner once" },
  { key: 'seed', label: 'seed', kind: 'number', help: 'the same seed gives the same configurations, decisions and holdout' },
];

export const TUNE_DEFAULT_VALUES: TuneValues = { model: 'dotbias', budget: '60', metric: 'rmse', split: 'u1', seed: '42' };

export interface TuneValidation {
  errors: Partial<Record<TuneFieldKey, string>>;
  request: TuneRequest | null;
}

export function validateTune(v: TuneValues): TuneValidation {
  const errors: Partial<Record<TuneFieldKey, string>> = {};
  const budget = Number(v.budget.trim());
  if (v.budget.trim() === '' || !Number.isFinite(budget) || budget < 5 || budget > 86400) errors.budget = `budget must be 5 to 86400 seconds, got "${v.budget}"`;
  const seed = Number(v.seed.trim());
  if (v.seed.trim() === '' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) errors.seed = `seed must be a whole number from 0 to 4294967295, got "${v.seed}"`;
  if (Object.keys(errors).length) return { errors, request: null };
  return { errors, request: { model: v.model, budgetSeconds: budget, metric: v.metric as TuneRequest['metric'], split: v.split, seed } };
}
