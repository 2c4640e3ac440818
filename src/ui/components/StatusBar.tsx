/** One line: a notice if any, then dataset, model, backend, snapshot and training state. */
import React from 'react';
import { Text } from 'ink';
import type { AppState } from '../state/appReducer.js';
import type { TrainingView } from '../hooks/useTraining.js';
import { useHue, type Hue } from '../lib/theme.js';
import { bar, count, truncate } from '../lib/format.js';
import { useSpinnerFrame } from './Spinner.js';

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

interface Segment {
  text: string;
  hue?: Hue;
  bold?: boolean;
  /** A second part in its own colour, e.g. " (unsaved)". */
  tail?: { text: string; hue: Hue };
}

/**
 * The segments that fit the width, whole, in order of importance: a segment that does not fit is
 * left out with all after it, never cut inside (a notice longer than the line is cut between words).
 */
export function fitSegments(segments: Segment[], width: number, sep = ' │ '): Segment[] {
  const out: Segment[] = [];
  let used = 0;
  for (const seg of segments) {
    const len = seg.text.length + (seg.tail?.text.length ?? 0) + (out.length ? sep.length : 0);
    if (used + len > width) {
      if (out.length === 0) out.push({ ...seg, text: truncate(seg.text, width), tail: undefined });
      break;
    }
    out.push(seg);
    used += len;
  }
  return out;
}

/** Order of importance, since a narrow terminal drops the end: data (or a notice), model, training, backend, snapshot. */
export function StatusBar({ state, view, width }: { state: AppState; view: TrainingView; width: number }) {
  const hue = useHue();
  const m = state.model;
  // motion while something takes a moment: the data loading, a run starting, the profile being reopened
  const waiting = state.dataset.state === 'loading' || state.profile === null || trainingText(state, view) === 'training (starting)';
  const spin = useSpinnerFrame(waiting);
  const moving = (text: string) => `${spin} ${text}`;
  // The labels ("data", "model", …) only when everything fits with them; the values read in context.
  const trainingHue: Hue | undefined = state.training.status === 'error' ? 'bad' : state.training.status === 'training' ? 'warn' : undefined;
  const segmentsWith = (label: (l: string) => string): Segment[] => [
    // A notice stands in for the dataset for a few seconds: it must be read in full.
    state.notice
      ? { text: state.notice, hue: 'warn', bold: true }
      : { text: `${label('data')}${state.dataset.state === 'loading' ? moving(datasetText(state.dataset)) : datasetText(state.dataset)}` },
    { text: `${label('model')}${m ? m.label : state.profile === null ? moving('reopening your last model…') : 'no model'}`, ...(m && !m.saved ? { tail: { text: ' (unsaved)', hue: 'warn' as Hue } } : {}) },
    { text: trainingText(state, view) === 'training (starting)' ? moving('training (starting)') : trainingText(state, view), hue: trainingHue },
    // which snapshot holds the model matters more than the backend that trained it
    { text: `snapshot ${m?.snapshot ?? '—'}` },
    ...(state.notice ? [] : [{ text: `${label('backend')}${m?.backend ?? view.backend ?? '—'}` }]),
  ];
  const labelled = segmentsWith((l) => `${l} `);
  const all = labelled.length === fitSegments(labelled, width).length ? labelled : segmentsWith(() => '');
  const shown = fitSegments(all, width);
  return (
    <Text wrap="truncate-end">
      {shown.map((seg, i) => (
        <Text key={i}>
          {i > 0 ? <Text color={hue('muted')}> │ </Text> : null}
          <Text color={seg.hue ? hue(seg.hue) : undefined} bold={seg.bold}>
            {seg.text}
          </Text>
          {seg.tail ? <Text color={hue(seg.tail.hue)}>{seg.tail.text}</Text> : null}
        </Text>
      ))}
    </Text>
  );
}
