/**
 * The Loop pane's runs: the world as set (the what-if) and the same world without it (the baseline),
 * each in the session's simulation worker, their rounds arriving one by one. A finished baseline is kept
 * while the settings it stands for stay the same, so changing the fans or the mitigation reruns only
 * the what-if.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppServices, SimulationHandle, SimulationRound, SimulationSettings } from '../../services.js';
import { messageOf } from '../../hooks/useAsync.js';
import { baselineOf, sameSettings } from './loopFields.js';

export type RunStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export interface LoopRun {
  settings: SimulationSettings;
  rounds: SimulationRound[];
  status: RunStatus;
  message: string;
}

export function useSimulation(services: AppServices) {
  const [whatIf, setWhatIf] = useState<LoopRun | null>(null);
  const [baseline, setBaseline] = useState<LoopRun | null>(null);
  const handle = useRef<SimulationHandle | null>(null);
  const latestBaseline = useRef<LoopRun | null>(null);
  latestBaseline.current = baseline;

  const runOne = useCallback(
    (settings: SimulationSettings, set: (f: (r: LoopRun | null) => LoopRun | null) => void): Promise<boolean> => {
      set(() => ({ settings, rounds: [], status: 'running', message: '' }));
      let h: SimulationHandle;
      try {
        h = services.simulate(settings, (round) => set((r) => (r && r.settings === settings ? { ...r, rounds: [...r.rounds, round] } : r)));
      } catch (err) {
        set((r) => (r ? { ...r, status: 'error', message: messageOf(err) } : r));
        return Promise.resolve(false);
      }
      handle.current = h;
      return h.result.then(
        (report) => {
          const complete = report.rounds.length === settings.rounds;
          set((r) => (r && r.settings === settings ? { ...r, rounds: report.rounds, status: complete ? 'done' : 'cancelled' } : r));
          return complete;
        },
        (err: unknown) => {
          set((r) => (r && r.settings === settings ? { ...r, status: 'error', message: messageOf(err) } : r));
          return false;
        },
      );
    },
    [services],
  );

  /** Runs the what-if, then its baseline unless one for these settings is already there. */
  const start = useCallback(
    async (settings: SimulationSettings) => {
      if (handle.current) return;
      const ok = await runOne(settings, setWhatIf);
      const base = baselineOf(settings);
      const have = latestBaseline.current;
      const needed = !sameSettings(base, settings) && !(have && have.status === 'done' && sameSettings(have.settings, base));
      if (ok && needed) await runOne(base, setBaseline);
      handle.current = null;
    },
    [runOne],
  );

  const cancel = useCallback(() => handle.current?.cancel(), []);
  useEffect(() => () => handle.current?.cancel(), []);
  const running = whatIf?.status === 'running' || baseline?.status === 'running';
  // a baseline is shown only beside the what-if it belongs to
  const shownBaseline = whatIf && baseline && sameSettings(baseline.settings, baselineOf(whatIf.settings)) && !sameSettings(whatIf.settings, baseline.settings) ? baseline : null;
  return { whatIf, baseline: shownBaseline, running, start, cancel };
}
