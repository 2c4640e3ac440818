/** The right side of the Train pane: progress with ETA, the loss chart, the epoch table, the outcome. */
import React from 'react';
import { Box, Text } from 'ink';
import type { TrainingView } from '../../hooks/useTraining.js';
import type { TrainingStatus } from '../../state/appReducer.js';
import { LossChart } from '../../components/LossChart.js';
import { EpochTable } from '../../components/EpochTable.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { Para } from '../../components/Para.js';
import { Spinner } from '../../components/Spinner.js';
import { duration, fixed } from '../../lib/format.js';
import { useHue } from '../../lib/theme.js';

/** The label for a bar of `width` cells: in a narrow pane the words go and the numbers (ETA) stay. */
export function progressOf(view: TrainingView, width = Infinity): { fraction: number; label: string } {
  const planned = view.epochsPlanned * view.batchesPerEpoch;
  if (planned === 0) return { fraction: 0, label: 'starting: loading data, building the model…' };
  const fraction = planned > 0 ? Math.min(1, view.loss.batchesSeen / planned) : 0;
  const epoch = view.batchesPerEpoch > 0 ? Math.min(view.epochsPlanned, Math.floor(view.loss.batchesSeen / view.batchesPerEpoch) + 1) : 0;
  const eta = fraction > 0 && fraction < 1 ? (view.elapsed / fraction) * (1 - fraction) : 0;
  const etaText = fraction < 1 ? ` · ETA ${fraction > 0 ? duration(eta) : '…'}` : '';
  const label = `epoch ${epoch}/${view.epochsPlanned} · ${duration(view.elapsed)} elapsed${etaText}`;
  // the bar keeps at least 10 cells and the percentage 6
  if (label.length + 16 <= width) return { fraction, label };
  return { fraction, label: `${epoch}/${view.epochsPlanned} · ${duration(view.elapsed)}${etaText}` };
}

/** The chart keeps this many lines (its legend and four of plot); below that a curve is unreadable. */
export const CHART_MIN = 5;

/**
 * The pane's lines under the progress line: the epoch table gets every epoch (a 5-epoch run shows all
 * five) as long as the chart keeps CHART_MIN lines; the chart gets the rest.
 */
export function splitHeight(height: number, epochs: number): { tableRows: number; chartHeight: number } {
  const room = Math.max(0, height - 1);
  const tableRows = Math.min(epochs + 1, Math.max(2, room - CHART_MIN));
  return { tableRows, chartHeight: Math.max(CHART_MIN - 1, room - tableRows) };
}

export function TrainProgress({ view, status, message, width, height }: {
  view: TrainingView;
  status: TrainingStatus;
  message: string | null;
  width: number;
  height: number;
}) {
  const hue = useHue();
  if (view.source === 'empty') {
    return (
      <Box flexDirection="column" width={width}>
        <Para width={width}>No training yet. Pick a model and hyperparameters on the left (the defaults are the fastai recipe) and press Enter.</Para>
        <Text> </Text>
        <Para width={width} color={hue('muted')}>While it trains: the smoothed loss per batch and the validation loss per epoch are drawn here, and the epoch table fills in.</Para>
      </Box>
    );
  }
  const { tableRows, chartHeight } = splitHeight(height, view.loss.epochs.length);
  const p = progressOf(view, width);
  const last = view.loss.epochs[view.loss.epochs.length - 1];
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {view.source === 'history' && status === 'cancelled' && message ? (
        // a run stopped before its first epoch: the chart is the model that stayed, the line says why
        <Text color={hue('warn')} wrap="truncate-end">{fitting(width, [message, 'Cancelled at 0 %: the model you had stays'])}</Text>
      ) : view.source === 'history' ? (
        <Text wrap="truncate-end">{fitting(width, [
          `Loaded model · ${view.loss.epochs.length} epochs · backend ${view.backend ?? '—'} · final valid RMSE ${fixed(last?.validRmse, 4)}`,
          `Loaded · valid RMSE ${fixed(last?.validRmse, 4)} · ${view.loss.epochs.length} epochs · ${view.backend ?? '—'}`,
        ])}</Text>
      ) : status === 'training' && view.epochsPlanned * view.batchesPerEpoch === 0 ? (
        <Spinner label={p.label} hue="warn" />
      ) : status === 'training' ? (
        <ProgressBar fraction={p.fraction} width={width} label={p.label} />
      ) : (
        <Outcome status={status} message={message} rmse={last?.validRmse} mae={last?.validMae} seconds={view.elapsed} width={width} />
      )}
      <LossChart loss={view.loss} plan={view} width={width} height={chartHeight} />
      <EpochTable rows={view.loss.epochs} maxRows={tableRows} width={width} />
    </Box>
  );
}

function Outcome({ status, message, rmse, mae, seconds, width }: { status: TrainingStatus; message: string | null; rmse?: number; mae?: number; seconds: number; width: number }) {
  const hue = useHue();
  if (status === 'error') return <Text color={hue('bad')} wrap="truncate-end">Training failed: {message ?? 'unknown error'}</Text>;
  const cancelled = status === 'cancelled';
  const text = fitting(width, [
    `${cancelled ? 'Cancelled (weights kept)' : 'Done'} in ${duration(seconds)} · valid RMSE ${fixed(rmse, 4)} · MAE ${fixed(mae, 4)}`,
    `${cancelled ? 'Cancelled, kept' : 'Done'} · RMSE ${fixed(rmse, 4)} · MAE ${fixed(mae, 4)} · ${duration(seconds)}`,
  ]);
  return (
    <Text color={cancelled ? hue('warn') : hue('good')} wrap="truncate-end">
      {text}
    </Text>
  );
}

/** The first text that fits the width, else the last (shortest) one. */
function fitting(width: number, texts: string[]): string {
  return texts.find((t) => t.length <= width) ?? texts[texts.length - 1];
}
