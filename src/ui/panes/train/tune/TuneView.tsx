/** The Tune view: where the search is, its best so far against time, and the trials (live). */
import React from 'react';
import { Box, Text } from 'ink';
import { useHue } from '../../../lib/theme.js';
import { bestChart } from '../../../lib/bestChart.js';
import { wrapWords } from '../../../lib/format.js';
import { Para } from '../../../components/Para.js';
import { ProgressBar } from '../../../components/ProgressBar.js';
import type { TuneView as TuneState } from './useTuning.js';
import { orderTrials, trialLine } from './trialTable.js';

const CHART_LINES = 5;

export function TuneView({ view, width, height }: { view: TuneState; width: number; height: number }) {
  const hue = useHue();
  const r = view.request;
  if (!r) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text bold>Tune</Text>
        <Para color={hue('muted')} width={width}>
          {"Successive halving over lr, wd, factors, epochs and batch size (a baseline: its own settings; all: the kind too): trials run in parallel, one per core, each judged on a tenth of the training ratings; those that cannot win stop early. The winner is retrained on all training ratings and tested once on the split's test ratings."}
        </Para>
        <Text color={hue('muted')}>Enter starts · Esc back to training</Text>
      </Box>
    );
  }
  const better = r.metric === 'rmse' ? 'lower' : 'higher';
  const best = view.best.at(-1);
  const done = view.trials.filter((t) => t.state !== 'queued' && t.state !== 'running').length;
  const status =
    view.phase === 'search' || view.phase === 'stopping'
      ? `${view.phase === 'stopping' ? 'stopping · ' : ''}${view.elapsed.toFixed(0)}/${r.budgetSeconds} s · ${done}/${view.trials.length} trials`
      : view.phase === 'final'
        ? `retraining the winner · ${view.elapsed.toFixed(0)}/${r.budgetSeconds} s`
        : view.phase === 'done'
          ? `done in ${view.elapsed.toFixed(0)} s · ${view.trials.length} trials`
          : 'failed';
  const chart = bestChart(view.best, r.budgetSeconds, Math.max(view.elapsed, 1), width, CHART_LINES);
  const res = view.result;
  const footer = res ? 2 : view.phase === 'final' ? 1 : 0;
  // an error is said whole, wrapped at words (a refusal names the kind and what to do instead)
  const errorLines = view.error ? wrapWords(view.error, width) : [];
  const tableRows = Math.max(1, height - 2 - CHART_LINES - 1 - footer - errorLines.length);
  const withKind = r.model === 'all' || r.model.includes(',');
  const rows = orderTrials(view.trials, better);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold wrap="truncate-end">
        Tune · {r.model} · {r.metric} · {status}
        {best ? <Text color={hue('good')}>{` · best ${best.metric.toFixed(4)} (#${best.trial})`}</Text> : null}
      </Text>
      {chart.length ? (
        chart.map((line, i) => (
          <Text key={i} color={hue('chart')} wrap="truncate-end">
            {line}
          </Text>
        ))
      ) : (
        <Box height={CHART_LINES} flexDirection="column">
          <Text color={hue('muted')} wrap="truncate-end">
            best so far vs time: after the first whole run
          </Text>
        </Box>
      )}
      <Text color={hue('muted')} wrap="truncate-end">
        {trialLine(null, width, withKind)}
      </Text>
      {rows.slice(0, tableRows).map((t) => (
        <Text key={t.id} color={t.state === 'running' ? hue('accent') : t.state === 'stopped' || t.state === 'skipped' ? hue('muted') : undefined} wrap="truncate-end">
          {trialLine(t, width, withKind)}
        </Text>
      ))}
      {rows.length > tableRows ? <Text color={hue('muted')}>{`… ${rows.length - tableRows} more`}</Text> : null}
      {view.phase === 'final' && view.final ? <ProgressBar fraction={view.final.epochs ? view.final.epoch / view.final.epochs : 0} width={width} label="final run" /> : null}
      {errorLines.map((l, i) => (
        <Text key={`e${i}`} color={hue('bad')}>
          {l}
        </Text>
      ))}
      {res?.winner ? (
        <>
          <Text wrap="truncate-end">
            winner #{res.winner.trial} {res.winner.candidate}: {res.winner.config}
          </Text>
          <Text wrap="truncate-end">
            valid {res.metric} <Text bold>{res.winner.validMetric.toFixed(4)}</Text>
            {res.test && Number.isFinite(res.test.rmse) ? (
              <>
                {' · test RMSE '}
                <Text bold color={hue('good')}>
                  {res.test.rmse.toFixed(4)}
                </Text>
              </>
            ) : null}
            {res.test?.ndcg !== undefined ? (
              <>
                {' · test NDCG@10 '}
                <Text bold color={hue('good')}>
                  {res.test.ndcg.toFixed(4)}
                </Text>
              </>
            ) : null}
            {res.finalFrom === 'trial' ? ' (trial model: no time to retrain)' : (res.winner.options.members ?? 1) > 1 ? ` (${res.winner.options.members} seeds averaged)` : ''}
          </Text>
        </>
      ) : res ? (
        <Text color={hue('warn')} wrap="truncate-end">{res.message}</Text>
      ) : null}
    </Box>
  );
}
