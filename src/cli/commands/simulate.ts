/** `factorlens simulate`: the feedback loop, round by round — and what a few enthusiasts and a mitigation do to it. */
import { Command, Option } from 'commander';
import { loadDataset, resolveDataDir } from '../../data/index.js';
import { MITIGATIONS, presetOptions, simulate, SIMULATION_DEFAULTS, type Mitigation, type RoundStats, type SimulationReport, type TrainOptions } from '../../model/index.js';
import { UsageError, dataOption, info, jsonOption, out, parseFloatArg, parseIntArg, printJson } from '../common.js';
import { formatTable } from './data.js';

/** x to d decimals; — for a number that is not one (the RMSE of a model that only ranks). */
const fix = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : '—');

interface Flags {
  data?: string;
  rounds: number;
  users: number;
  enthusiasts: number;
  genre: string;
  mitigation: Mitigation;
  cap: number;
  diversity: number;
  ranking: 'pick-like' | 'stars';
  seed: number;
  model?: string;
  preset?: string;
  baseline?: boolean;
  json?: boolean;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('the feedback loop, live: rounds in which real users (answering from their own held-out ratings) are shown their top 10, watch what they would, and the model is retrained on it; per round the catalogue coverage, the popularity of what is shown, one genre\'s share and the average user\'s accuracy; --enthusiasts adds fans of --genre, --mitigation what might counter them')
    .addOption(dataOption())
    .addOption(new Option('--rounds <n>', 'rounds').default(SIMULATION_DEFAULTS.rounds).argParser(parseIntArg('--rounds', 1, 100)))
    .addOption(new Option('--users <n>', 'simulated users, drawn from the real ones with ≥ 40 ratings').default(SIMULATION_DEFAULTS.users).argParser(parseIntArg('--users', 1, 100_000)))
    .addOption(new Option('--enthusiasts <n>', 'the what-if: extra users who have rated every movie of --genre 5★ and nothing else').default(0).argParser(parseIntArg('--enthusiasts', 0, 100_000)))
    .addOption(new Option('--genre <name>', 'the genre whose share of everyone\'s lists is followed (and the enthusiasts love)').default(SIMULATION_DEFAULTS.genre))
    .addOption(new Option('--mitigation <how>', 'none | cap (at most --cap ratings per user in training) | diversity (re-rank each list against repeating genres)').default('none').choices(MITIGATIONS))
    .addOption(new Option('--cap <n>', 'with --mitigation cap: ratings kept per user').default(SIMULATION_DEFAULTS.cap).argParser(parseIntArg('--cap', 1, 1_000_000)))
    .addOption(new Option('--diversity <x>', 'with --mitigation diversity: the penalty per genre already on the list, in standard deviations of the scores').default(SIMULATION_DEFAULTS.diversity).argParser(parseFloatArg('--diversity')))
    .addOption(new Option('--ranking <how>', 'pick-like (what recommend shows) or stars').default(SIMULATION_DEFAULTS.ranking).choices(['pick-like', 'stars']))
    .addOption(new Option('--seed <n>', 'the seed of everything (who is simulated, held out, and the training)').default(SIMULATION_DEFAULTS.seed).argParser(parseIntArg('--seed', 0, 0xffffffff)))
    .addOption(new Option('--model <kind>', 'the model kind retrained each round (default dotbias)'))
    .addOption(new Option('--preset <name>', 'the training preset retrained each round'))
    .addOption(new Option('--baseline', 'also run the same world without enthusiasts or mitigation, and show the difference'))
    .addOption(jsonOption())
    .action(async (f: Flags) => {
      if (f.diversity < 0) throw new UsageError(`--diversity must be 0 or more, got ${f.diversity}`);
      const ds = await loadDataset(resolveDataDir(f.data));
      let train: Partial<TrainOptions> = f.preset ? presetOptions(f.preset) : {};
      if (f.model) train = { ...train, model: f.model as TrainOptions['model'] };
      train = { ...train, seed: f.seed };
      const options = { rounds: f.rounds, users: f.users, enthusiasts: f.enthusiasts, genre: f.genre, mitigation: f.mitigation, cap: f.cap, diversity: f.diversity, ranking: f.ranking, seed: f.seed };
      const progress = (what: string) => info(`simulate: ${what}`);
      const report = await simulate(ds, train, options, { onProgress: progress, onRound: (r) => info(`simulate: round ${r.round} done in ${r.seconds.toFixed(1)} s`) });
      const whatIf = f.enthusiasts > 0 || f.mitigation !== 'none';
      const baseline = f.baseline && whatIf ? await simulate(ds, train, { ...options, enthusiasts: 0, mitigation: 'none' }, { onProgress: (w) => progress(`baseline ${w}`) }) : null;
      if (f.baseline && !whatIf) info('note: --baseline compares against the world without enthusiasts or mitigation; this run has neither');
      if (f.json) return printJson({ ...report, ...(baseline ? { baseline } : {}) });
      out(simulationText(report, baseline));
    });
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function roundsTable(rounds: RoundStats[], k: number, genre: string): string {
  return formatTable(
    ['round', 'coverage', 'popularity', `${genre} share`, `NDCG@${k}`, 'RMSE', 'watched', 's'],
    rounds.map((r) => [String(r.round), pct(r.coverage), r.meanPopularity.toFixed(0), pct(r.genreShare), r.ndcg.toFixed(3), fix(r.rmse, 3), String(r.watched), r.seconds.toFixed(1)]),
    'rrrrrrrr',
  ).trimEnd();
}

export function simulationText(r: SimulationReport, baseline: SimulationReport | null): string {
  const o = r.options;
  const what = [
    o.enthusiasts ? `${o.enthusiasts} enthusiasts who rated every ${o.genre} movie 5★` : 'no enthusiasts',
    o.mitigation === 'cap' ? `each user capped at ${o.cap} ratings in training` : o.mitigation === 'diversity' ? `lists re-ranked against repeated genres (${o.diversity} sd per repeat)` : 'no mitigation',
  ].join('; ');
  const lines = [
    `${o.users} simulated users (their first ${o.known} ratings known; shown a movie they rated, they watch it and rate it as they did), ${r.ordinaryUsers} ordinary users (10 % held out; ${r.measuredUsers} of their lists measured); model ${r.model} retrained each round, lists ranked by ${o.ranking}`,
    `${what}; ${o.genre}: ${r.genreMovies} movies, ${pct(r.genreCatalogueShare)} of the catalogue`,
    '',
    roundsTable(r.rounds, o.k, o.genre),
    '',
    'coverage, popularity (training ratings per listed movie) and genre share are of the simulated and measured users\' lists; NDCG and RMSE are the ordinary users\' held-out ratings',
  ];
  if (baseline) {
    lines.push('', 'the same world without enthusiasts or mitigation:', roundsTable(baseline.rounds, o.k, o.genre));
    const a = r.rounds.at(-1);
    const b = baseline.rounds.at(-1);
    if (a && b) {
      lines.push(
        '',
        `after round ${a.round}: ${o.genre} share ${pct(a.genreShare)} vs ${pct(b.genreShare)}, coverage ${pct(a.coverage)} vs ${pct(b.coverage)}, popularity ${a.meanPopularity.toFixed(0)} vs ${b.meanPopularity.toFixed(0)}, ` +
          `NDCG@${o.k} ${a.ndcg.toFixed(3)} vs ${b.ndcg.toFixed(3)}, RMSE ${fix(a.rmse, 3)} vs ${fix(b.rmse, 3)}`,
      );
    }
  }
  lines.push('', `${r.seconds.toFixed(1)} s${baseline ? ` (+ ${baseline.seconds.toFixed(1)} s for the baseline)` : ''}`);
  return lines.join('\n');
}
