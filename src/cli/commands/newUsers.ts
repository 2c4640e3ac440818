/** `factorlens eval --new-users`: how well a model kind recommends to people it never saw. */
import { loadDataset, resolveDataDir } from '../../data/index.js';
import { loadSnapshot, NEW_USER_DEFAULTS, newUserBenchmark, presetOptions, snapshotsDir, type NewUserReport, type RevealMode, type TrainOptions, type UserRole } from '../../model/index.js';
import { UsageError, info, out, printJson } from '../common.js';
import { formatTable } from './data.js';

export interface NewUserFlags {
  snapshot?: string;
  snapshots?: string;
  data?: string;
  model?: string;
  preset?: string;
  reveal?: string;
  revealMode?: string;
  users?: string;
  questionnaire?: boolean;
  answersFrom?: string;
  json?: boolean;
}

function list<T extends string | number>(value: string | undefined, fallback: T[], parse: (s: string) => T, what: string): T[] {
  if (value === undefined) return fallback;
  const parts = value.split(',').map((s) => s.trim());
  if (!parts.length || parts.some((s) => s === '')) throw new UsageError(`${what} takes a comma-separated list, got "${value}"`);
  return parts.map(parse);
}

export async function runNewUsers(f: NewUserFlags): Promise<void> {
  const reveal = list(f.reveal, NEW_USER_DEFAULTS.reveal, (s) => {
    const min = f.questionnaire ? 0 : 1;
    if (!/^[0-9]{1,3}$/.test(s) || Number(s) < min) throw new UsageError(`--reveal takes counts of ratings from ${min} to 999 like 5,10,20${f.questionnaire ? '' : ' (0, the questionnaire alone, with --questionnaire)'}, got "${s}"`);
    return Number(s);
  }, '--reveal');
  const answersFrom = (f.answersFrom ?? 'half') as 'hidden' | 'half';
  if (answersFrom !== 'hidden' && answersFrom !== 'half') throw new UsageError(`--answers-from is hidden or half, got "${f.answersFrom}"`);
  if (f.answersFrom && !f.questionnaire) throw new UsageError('--answers-from goes with --questionnaire');
  const modes = list(f.revealMode, NEW_USER_DEFAULTS.modes, (s) => {
    if (s !== 'earliest' && s !== 'random') throw new UsageError(`--reveal-mode takes earliest and/or random, got "${s}"`);
    return s as RevealMode;
  }, '--reveal-mode');
  const role = (f.users ?? 'report') as UserRole;
  if (role !== 'report' && role !== 'validation') throw new UsageError(`--users is report (what to quote) or validation (what to tune on), got "${f.users}"`);
  const ds = await loadDataset(resolveDataDir(f.data));
  // the model is retrained for each group of held-out users: a snapshot gives its options, not its weights
  let options: Partial<TrainOptions> = f.preset ? presetOptions(f.preset) : {};
  if (f.snapshot) options = (await loadSnapshot(f.snapshot, { dir: snapshotsDir(f.snapshots) })).options;
  if (f.model) options = { ...options, model: f.model as TrainOptions['model'] };
  const report = await newUserBenchmark(ds, options, { reveal, modes, role, questionnaire: !!f.questionnaire, answersFrom }, (what) => info(`new-user benchmark: ${what}`));
  if (f.json) return printJson(report);
  out(newUserTable(report));
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function newUserTable(r: NewUserReport): string {
  const o = r.options;
  const lines = [
    `${r.users} ${o.role} users with ≥ ${o.minRatings} ratings, never in training (model ${r.model}, retrained without each group of ${o.groupSize}); ` +
      `top ${o.k} of the whole catalogue, relevant = a hidden rating ≥ ${o.relevant}`,
  ];
  if (o.questionnaire) {
    lines.push(
      o.answersFrom === 'half'
        ? 'questionnaire: each answers from a random half of their hidden ratings; only the other half is scored (so P, R and NDCG are of half the hidden ratings)'
        : 'questionnaire: each answers from all their hidden ratings, the ones that are scored (a person who knows their own taste; the answers echo what is scored)',
    );
  }
  for (const c of r.cells) {
    lines.push('', `${c.reveal} ${c.mode} ratings revealed`);
    lines.push(
      formatTable(
        ['method', `P@${o.k}`, `R@${o.k}`, `NDCG@${o.k}`, '95% interval', 'coverage', 'popularity', 'ms/user'],
        c.rows.map((x) => [x.method, x.precision.toFixed(3), x.recall.toFixed(3), x.ndcg.toFixed(3), `${x.ndcgInterval.low.toFixed(3)}–${x.ndcgInterval.high.toFixed(3)}`, pct(x.coverage), x.meanPopularity.toFixed(0), x.msPerUser.toFixed(1)]),
        'lrrrrrrr',
      ),
    );
    const ratio = (x: NewUserReport['cells'][number]['vsPopularity']) => `${x.ratio.toFixed(2)}× ${x.against} [95% ${x.low.toFixed(2)}–${x.high.toFixed(2)}]`;
    lines.push(`${c.ours} NDCG: ${ratio(c.vsPopularity)}${c.vsBestBaseline.against !== 'popularity' ? `, ${ratio(c.vsBestBaseline)}` : ''}${c.vsWithoutAnswers ? `, ${ratio(c.vsWithoutAnswers)} (the same ranking without answers)` : ''}`);
  }
  lines.push('', `${r.seconds.toFixed(1)} s; intervals from resampling the users 1000 times (paired for the ratios)`);
  return lines.join('\n');
}

export function noteNewUsersIgnored(f: { split?: string; seed?: number; validPct?: number }): void {
  if (f.split || f.seed !== undefined || f.validPct !== undefined) info('note: --new-users holds out whole users; --split, --seed and --valid-pct do not apply');
}
