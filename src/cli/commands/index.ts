/** Every subcommand, in help order. One import per command module. */
import type { Command } from 'commander';
import { registerTrain } from './train.js';
import { registerEval } from './evaluate.js';
import { registerData } from './data.js';
import { registerSearch } from './search.js';
import { registerAnalysis } from './analysis.js';
import { registerSnapshots } from './snapshots.js';
import { registerLrFind } from './lrFind.js';
import { registerCompare } from './compare.js';
import { registerExport } from './export.js';
import { registerOneHot } from './onehot.js';
import { registerAddMovie } from './addMovie.js';
import { registerSimulate } from './simulate.js';
import { registerTune } from './tune.js';
import { registerLeaderboard } from './leaderboard.js';
import { registerMap } from './map.js';

export function registerAll(program: Command): void {
  registerData(program);
  registerSearch(program);
  registerTrain(program);
  registerTune(program);
  registerEval(program);
  registerLeaderboard(program);
  registerAnalysis(program);
  registerAddMovie(program);
  registerSimulate(program);
  registerMap(program);
  registerSnapshots(program);
  registerLrFind(program);
  registerCompare(program);
  registerExport(program);
  registerOneHot(program);
}
