/** The right side of the Train pane: progress with ETA, the loss chart, the epoch table, the outcome. */
import React from 'react';
import { Box, Text } from 'ink';
import type { TrainingView } from '../../hooks/useTraining.js';
import type { TrainingStatus } from '../../state/appReducer.js';
import { LossChart } from '../../components/LossChart.js';
import { EpochTable } from '../../components/EpochTable.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { duration, fixed } from '../../lib/format.js';
import { useHue } from '../../lib/theme.js';

export function progressOf(view: TrainingView): { fraction: number; label: string } {
  const planned = view.epochsPlanned * view.batchesPerEpoch;
  if (planned === 0) return { fraction: 0, label: 'starting (loading data, building the model)…' };
  const fraction = planned > 0 ? Math.min(1, view.loss.batchesSeen / planned) : 0;
  const epoch = view.batchesPerEpoch > 0 ? Math.min(view.epochsPlanned, Math.floor(view.loss.batchesSeen / view.batchesPerEpoch) + 1) : 0;
  const eta = fraction > 0 && fraction < 1 ? (view.elapsed / fraction) * (1 - fraction) : 0;
  const label = `epoch ${epoch}/${view.epochsPlanned} · ${duration(view.elapsed)} elapsed${fraction < 1 ? ` · ETA ${fraction > 0 ? duration(eta) : '…'}` : ''}`;
  return { fraction, label };
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
        <Text wrap="wrap">No training yet. Pick a model and hyperparameters on the left (the defaults are the fastai recipe) and press Enter.</Text>
        <Text> </Text>
        <Text color={hue('muted')} wrap="wrap">While it trains: the smoothed loss per batch and the validation loss per epoch are drawn here, and the epoch table fills in.</Text>
      </Box>
    );
  }
  const tableRows = Math.min(view.loss.epochs.length + 1, Math.max(2, Math.floor(height / 3)));
  const chartHeight = Math.max(4, height - tableRows - 2);
  const p = progressOf(view);
  const last = view.loss.epochs[view.loss.epochs.length - 1];
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {view.source === 'history' ? (
        <Text wrap="truncate-end">Loaded model · {view.loss.epochs.length} epochs · backend {view.backend ?? '—'} · final valid RMSE {fixed(last?.validRmse, 4)}</Text>
      ) : status === 'training' ? (
        <ProgressBar fraction={p.fraction} width={width} label={p.label} />
      ) : (
        <Outcome status={status} message={message} rmse={last?.validRmse} mae={last?.validMae} seconds={view.elapsed} />
      )}
      <LossChart loss={view.loss} plan={view} width={width} height={chartHeight} />
      <EpochTable rows={view.loss.epochs} maxRows={tableRows} width={width} />
    </Box>
  );
}

function Outcome({ status, message, rmse, mae, seconds }: { status: TrainingStatus; message: string | null; rmse?: number; mae?: number; seconds: number }) {
  const hue = useHue();
  if (status === 'error') return <Text color={hue('bad')} wrap="truncate-end">Training failed: {message ?? 'unknown error'}</Text>;
  const head = status === 'cancelled' ? 'Cancelled (weights kept)' : 'Done';
  return (
    <Text color={status === 'cancelled' ? hue('warn') : hue('good')} wrap="truncate-end">
      {head} in {duration(seconds)} · valid RMSE {fixed(rmse, 4)} · MAE {fixed(mae, 4)}
    </Text>
  );
}
