/** The feedback-loop simulation's settings and their defaults, as plain values (the app's form reads them through catalog.ts). */
import type { WorldOptions } from './simulationWorld.js';

export type Mitigation = 'none' | 'cap' | 'diversity';
export const MITIGATIONS: Mitigation[] = ['none', 'cap', 'diversity'];
export type SimulationRanking = 'pick-like' | 'stars';

export interface SimulationOptions extends WorldOptions {
  rounds: number;
  mitigation: Mitigation;
  /** 'cap': ratings kept per user. */
  cap: number;
  /** 'diversity': the genre-repeat penalty, in standard deviations of the candidates' scores. */
  diversity: number;
  ranking: SimulationRanking;
  k: number;
  relevant: number;
}

export const SIMULATION_DEFAULTS: SimulationOptions = {
  rounds: 10,
  users: 200,
  measure: 200,
  known: 10,
  minRatings: 40,
  testShare: 0.1,
  enthusiasts: 0,
  genre: 'Horror',
  seed: 19,
  mitigation: 'none',
  cap: 50,
  diversity: 0.5,
  ranking: 'pick-like',
  k: 10,
  relevant: 4,
};

