/**
 * Pane 8 — Loop: the feedback loop the chapter warns about, live. Rounds in which real users are shown
 * their top 10, watch what they had rated, and the model is retrained on it; per round the coverage of
 * the catalogue, the popularity of what is shown, one genre's share and the average user's NDCG. The
 * what-if adds fans of the genre and a mitigation; the same world without them runs after, to compare.
 */
import React, { memo, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import { useKeyCapture } from '../../hooks/useKeyCapture.js';
import { Explain, KeyHints } from '../../components/Explain.js';
import { EmptyState, NO_DATASET } from '../../components/EmptyState.js';
import { useHue } from '../../lib/theme.js';
import { fixed, padEnd } from '../../lib/format.js';
import type { PaneProps } from '../paneProps.js';
import { LOOP_FIELDS, defaultLoopSettings, settingText, stepSetting } from './loopFields.js';
import { LoopCharts } from './LoopCharts.js';
import { useSimulation, type LoopRun } from './useSimulation.js';

export interface LoopPaneProps extends PaneProps {
  datasetReady: boolean;
  modelVersion: number;
}

const FORM_WIDTH = 26;

export const LoopPane = memo(function LoopPane({ services, width, height, active, datasetReady, modelVersion }: LoopPaneProps) {
  const hue = useHue();
  const [settings, setSettings] = useState(defaultLoopSettings);
  const [field, setField] = useState(0);
  const sim = useSimulation(services);
  useKeyCapture('loop', 'nav');
  // the catalogue's genres: the model's vocabulary, or the dataset's before there is a model
  const genres = useMemo(() => services.genres(), [services, modelVersion, datasetReady]);

  useKeys(
    (input, key) => {
      if (key.escape) return sim.cancel();
      if (sim.running) return;
      if (key.upArrow) return setField((f) => Math.max(0, f - 1));
      if (key.downArrow) return setField((f) => Math.min(LOOP_FIELDS.length - 1, f + 1));
      if (key.leftArrow || key.rightArrow) return setSettings((s) => stepSetting(s, LOOP_FIELDS[field].key, key.rightArrow ? 1 : -1, genres));
      if (key.return || input === 's') return void sim.start(settings);
    },
    { isActive: active },
  );

  if (!datasetReady) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <EmptyState>{NO_DATASET}</EmptyState>
      </Box>
    );
  }
  const bodyHeight = height - 3;
  const chartWidth = width - FORM_WIDTH - 2;
  const runs = [sim.whatIf?.rounds ?? [], sim.baseline?.rounds ?? []];
  const shownGenre = sim.whatIf?.settings.genre ?? settings.genre;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Explain width={width}>Each round users see their top 10, watch what they really rated, and the model retrains on it: the loop. What-if: a genre's fans rate all of it 5★.</Explain>
      <Box flexDirection="row" height={bodyHeight}>
        <Box flexDirection="column" width={FORM_WIDTH} marginRight={2}>
          {LOOP_FIELDS.map((f, i) => {
            const on = i === field && !sim.running;
            return (
              <Text key={f.key} inverse={on} wrap="truncate-end">
                {on ? '›' : ' '} {padEnd(f.label, 9)} {on ? '‹ ' : '  '}
                {settingText(settings, f.key)}
                {on ? ' ›' : ''}
              </Text>
            );
          })}
          <Box height={2} overflow="hidden">
            <Text color={hue('muted')} wrap="wrap">
              {LOOP_FIELDS[field].help}
            </Text>
          </Box>
          <RunLine label="1 what-if" run={sim.whatIf} hueName="chart" />
          <RunLine label="2 without" run={sim.baseline} hueName="valid" />
          <Latest run={sim.whatIf} baseline={sim.baseline} genre={shownGenre} />
        </Box>
        <LoopCharts genre={shownGenre} runs={runs} width={chartWidth} height={bodyHeight} />
      </Box>
      <KeyHints width={width}>{sim.running ? 'Esc stop (the rounds so far stay)' : '↑/↓ setting · ←/→ change · Enter run (then the world without fans or mitigation)'}</KeyHints>
    </Box>
  );
});

function RunLine({ label, run, hueName }: { label: string; run: LoopRun | null; hueName: 'chart' | 'valid' }) {
  const hue = useHue();
  const state = !run
    ? 'not run'
    : run.status === 'running'
      ? `round ${run.rounds.length + 1}/${run.settings.rounds}…`
      : run.status === 'error'
        ? run.message
        : run.status === 'cancelled'
          ? `stopped at ${run.rounds.length}`
          : `${run.rounds.length} rounds`;
  return (
    <Text wrap="truncate-end">
      <Text color={hue(hueName)}>{label}</Text>
      <Text color={run?.status === 'error' ? hue('bad') : undefined}> {state}</Text>
    </Text>
  );
}

/** The last round's numbers, beside the baseline's same round when there is one. */
function Latest({ run, baseline, genre }: { run: LoopRun | null; baseline: LoopRun | null; genre: string }) {
  const hue = useHue();
  const a = run?.rounds.at(-1);
  if (!a) return null;
  const b = baseline?.rounds[a.round - 1];
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const row = (name: string, x: string, y?: string) => (
    <Text key={name} wrap="truncate-end">
      {padEnd(name, 10)}
      {x.padStart(7)}
      {y !== undefined ? <Text color={hue('valid')}>{y.padStart(8)}</Text> : null}
    </Text>
  );
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        round {a.round}
      </Text>
      {row('coverage', pct(a.coverage), b && pct(b.coverage))}
      {row('popularity', a.meanPopularity.toFixed(0), b && b.meanPopularity.toFixed(0))}
      {row(genre.slice(0, 10), pct(a.genreShare), b && pct(b.genreShare))}
      {row('NDCG@10', fixed(a.ndcg), b && fixed(b.ndcg))}
      {row('RMSE', fixed(a.rmse), b && fixed(b.rmse))}
      {row('watched', String(a.watched), b && String(b.watched))}
    </Box>
  );
}
