/** One line: a notice if any, then dataset, model, backend, snapshot and training state. */
import React from 'react';
import { Text } from 'ink';
import type { AppState } from '../state/appReducer.js';
import type { TrainingView } from '../hooks/useTraining.js';
import { useHue } from '../lib/theme.js';
import { bar, count } from '../lib/format.js';

export function datasetText(d: AppState['dataset']): string {
  switch (d.state) {
    case 'loading':
      return d.fraction === undefined ? 'loading data…' : `loading data ${bar(d.fraction, 10)} ${Math.floor(d.fraction * 100)}%`;
    case 'ready':
      return `${d.name} (${count(d.nRatings)})`;
    case 'missing':
      return 'no dataset';
    case 'error':
      return 'data error';
  }
}

export function trainingText(state: AppState, view: TrainingView): string {
  const s = state.training.status;
  if (s !== 'training') return s;
  const planned = view.epochsPlanned * view.batchesPerEpoch;
  if (planned === 0) return 'training (starting)';
  const pct = Math.floor((100 * Math.min(planned, view.loss.batchesSeen)) / planned);
  const epoch = Math.min(view.epochsPlanned, Math.floor(view.loss.batchesSeen / view.batchesPerEpoch) + 1);
  return `training ${pct}% ep ${epoch}/${view.epochsPlanned}`;
}

/** Order of importance, since a narrow terminal cuts the end: data, model, training, backend, snapshot. */
export function StatusBar({ state, view, width }: { state: AppState; view: TrainingView; width: number }) {
  const hue = useHue();
  const m = state.model;
  // Below 100 columns the labels go; the values still read in context.
  const label = (l: string) => (width >= 100 ? `${l} ` : '');
  const sep = <Text color={hue('muted')}> │ </Text>;
  const trainingHue = state.training.status === 'error' ? hue('bad') : state.training.status === 'training' ? hue('warn') : undefined;
  return (
    <Text wrap="truncate-end">
      {/* A notice stands in for the dataset for a few seconds: it must be read in full. */}
      {state.notice ? (
        <Text color={hue('warn')} bold>
          {state.notice}
        </Text>
      ) : (
        <Text>
          {label('data')}
          {datasetText(state.dataset)}
        </Text>
      )}
      {sep}
      <Text>
        {label('model')}
        {m ? m.label : 'no model'}
      </Text>
      {m && !m.saved ? <Text color={hue('warn')}> (unsaved)</Text> : null}
      {sep}
      <Text color={trainingHue}>{trainingText(state, view)}</Text>
      {state.notice ? null : (
        <>
          {sep}
          <Text>
            {label('backend')}
            {m?.backend ?? view.backend ?? '—'}
          </Text>
        </>
      )}
      {sep}
      <Text>snapshot {m?.snapshot ?? '—'}</Text>
    </Text>
  );
}
