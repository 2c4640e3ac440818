/** The Loop pane's settings form as plain data: each field, its allowed values, and how ←/→ step it. */
import { MITIGATIONS, SIMULATION_DEFAULTS, type Mitigation, type SimulationRanking, type SimulationSettings } from '../../services.js';

export type LoopField = 'rounds' | 'users' | 'enthusiasts' | 'genre' | 'mitigation' | 'ranking';

export const LOOP_FIELDS: readonly { key: LoopField; label: string; help: string }[] = [
  { key: 'rounds', label: 'rounds', help: 'each: top 10 shown, watched, retrained' },
  { key: 'users', label: 'users', help: 'real users who watch what they rated' },
  { key: 'enthusiasts', label: 'fans', help: 'what if: fans rated every movie of the genre 5★' },
  { key: 'genre', label: 'genre', help: 'the genre followed (and the fans love)' },
  { key: 'mitigation', label: 'mitigate', help: 'cap: ≤ 50 ratings a user; diversity: re-rank' },
  { key: 'ranking', label: 'ranking', help: 'pick × like (as in Rate) or predicted stars' },
];

const RANKINGS: SimulationRanking[] = ['pick-like', 'stars'];
const ROUNDS = [2, 3, 5, 10, 15, 20];
const USERS = [50, 100, 200, 300, 400];
const FANS = [0, 5, 10, 20, 30, 50, 100];

export function defaultLoopSettings(): SimulationSettings {
  const d = SIMULATION_DEFAULTS;
  return { rounds: d.rounds, users: d.users, enthusiasts: 30, genre: d.genre, mitigation: d.mitigation, cap: d.cap, diversity: d.diversity, ranking: d.ranking, seed: d.seed };
}

function cycle<T>(values: readonly T[], now: T, delta: number): T {
  const at = Math.max(0, values.indexOf(now));
  return values[(at + delta + values.length) % values.length];
}

/** The next value of a numeric ladder (clamped at its ends; a value off the ladder moves to its neighbour). */
function ladder(values: readonly number[], now: number, delta: number): number {
  if (delta > 0) return values.find((v) => v > now) ?? values[values.length - 1];
  return [...values].reverse().find((v) => v < now) ?? values[0];
}

export function stepSetting(s: SimulationSettings, key: LoopField, delta: number, genres: readonly string[]): SimulationSettings {
  switch (key) {
    case 'rounds':
      return { ...s, rounds: ladder(ROUNDS, s.rounds, delta) };
    case 'users':
      return { ...s, users: ladder(USERS, s.users, delta) };
    case 'enthusiasts':
      return { ...s, enthusiasts: ladder(FANS, s.enthusiasts, delta) };
    case 'genre':
      return genres.length ? { ...s, genre: cycle(genres, s.genre, delta) } : s;
    case 'mitigation':
      return { ...s, mitigation: cycle<Mitigation>(MITIGATIONS, s.mitigation, delta) };
    case 'ranking':
      return { ...s, ranking: cycle(RANKINGS, s.ranking, delta) };
  }
}

export function settingText(s: SimulationSettings, key: LoopField): string {
  switch (key) {
    case 'mitigation':
      return s.mitigation === 'cap' ? `cap ${s.cap}` : s.mitigation;
    case 'ranking':
      return s.ranking === 'pick-like' ? 'pick × like' : 'stars';
    default:
      return String(s[key]);
  }
}

/** The world without the what-if, that the run is compared with: no fans, no mitigation, everything else the same. */
export function baselineOf(s: SimulationSettings): SimulationSettings {
  return { ...s, enthusiasts: 0, mitigation: 'none' };
}

export function sameSettings(a: SimulationSettings, b: SimulationSettings): boolean {
  return (Object.keys(a) as (keyof SimulationSettings)[]).every((k) => a[k] === b[k]);
}
