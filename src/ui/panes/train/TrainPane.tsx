/** Pane 1 — Train: the form on the left; progress, chart and epoch table on the right; save offer after. */
import React, { useEffect, useRef, type Dispatch } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import type { AppServices } from '../../services.js';
import type { AppAction, ModelState, TrainingStatus } from '../../state/appReducer.js';
import type { Training } from '../../hooks/useTraining.js';
import { useSaveSnapshot } from '../../hooks/useSaveSnapshot.js';
import { useKeyCapture } from '../../hooks/useKeyCapture.js';
import { Explain, KeyHints } from '../../components/Explain.js';
import { SavePrompt } from '../../components/SavePrompt.js';
import { useHue } from '../../lib/theme.js';
import { useTrainState } from './useTrainState.js';
import { TrainForm } from './TrainForm.js';
import { TrainProgress } from './TrainProgress.js';
import { FIELDS, suggestSnapshotName } from './trainFields.js';
import { resolveOptions } from '../../../model/defaults.js';

const FORM_WIDTH = 30;

export interface TrainPaneProps {
  services: AppServices;
  dispatch: Dispatch<AppAction>;
  training: Training;
  status: TrainingStatus;
  message: string | null;
  model: ModelState | null;
  modelVersion: number;
  datasetReady: boolean;
  width: number;
  height: number;
  active: boolean;
}

export function TrainPane({ services, dispatch, training, status, message, model, modelVersion, datasetReady, width, height, active }: TrainPaneProps) {
  const hue = useHue();
  const form = useTrainState();
  const save = useSaveSnapshot(services, dispatch);
  const prompting = save.phase !== 'closed';
  const focusSpec = FIELDS.find((f) => f.key === form.focus);
  // Digits type numbers into number fields; on a choice field they switch panes like anywhere else.
  useKeyCapture('train', prompting ? 'text' : focusSpec?.kind === 'choice' && form.editing === null ? 'nav' : 'digits');

  // Offer to save as soon as a run ends with weights worth keeping (a new model version, unsaved).
  const seenVersion = useRef(modelVersion);
  useEffect(() => {
    if (seenVersion.current === modelVersion) return;
    seenVersion.current = modelVersion;
    if ((status === 'done' || status === 'cancelled') && model && !model.saved) {
      const info = services.modelInfo();
      if (info) save.open(suggestSnapshotName(info.options));
    }
  }, [modelVersion, status, model, services, save]);

  useKeys(
    (input, key) => {
      if (status === 'training' && key.escape) return training.cancel();
      if (form.handleKey(input, key)) return;
      if (key.return || input === 's') {
        if (status === 'training') return;
        if (!datasetReady) return dispatch({ type: 'notice', text: 'no dataset yet: download it in the Data pane (7)' });
        if (!form.validation.options) return dispatch({ type: 'notice', text: 'fix the field marked ✗ first' });
        // Fill defaults here so the worker gets a complete, checked set of options.
        training.start(resolveOptions(form.validation.options));
      }
    },
    { isActive: active && !prompting },
  );

  const error = form.validation.errors[form.focus] ?? Object.values(form.validation.errors)[0];
  const rightWidth = Math.max(20, width - FORM_WIDTH - 2);
  const bodyHeight = Math.max(4, height - 4 - (prompting ? 2 : 0));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Explain>Train a model on the ratings: falling train loss with rising valid loss means overfitting — raise wd. Defaults are fastai's recipe.</Explain>
      <Box flexDirection="row" height={bodyHeight}>
        <Box width={FORM_WIDTH} marginRight={2} flexDirection="column">
          <TrainForm values={form.values} focus={form.focus} editing={form.editing} validation={form.validation} width={FORM_WIDTH} focused={!prompting} />
        </Box>
        <TrainProgress view={training.view} status={status} message={message} width={rightWidth} height={bodyHeight} />
      </Box>
      {prompting ? <SavePrompt flow={save} width={width} active={active} /> : null}
      {error ? (
        <Text color={hue('bad')} wrap="truncate-end">
          ✗ {error}
        </Text>
      ) : (
        <Text color={hue('muted')} wrap="truncate-end">
          {focusSpec?.help ?? ''}
        </Text>
      )}
      <KeyHints>
        {status === 'training'
          ? 'Esc cancel (weights kept) · ↑/↓ field · you can switch panes while it trains'
          : '↑/↓ field · ←/→ choose · type a number · Enter/s start training' + (model && !model.saved ? ' · save: Snapshots (6) → s' : '')}
      </KeyHints>
    </Box>
  );
}
