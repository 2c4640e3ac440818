/** Pane 1 — Train: the form on the left; progress, chart, table, lr-find or a comparison on the right. */
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import type { TrainOptions } from '../../services.js';
import type { ModelState, TrainingStatus } from '../../state/appReducer.js';
import type { Training } from '../../hooks/useTraining.js';
import { useAsync } from '../../hooks/useAsync.js';
import { useSaveSnapshot } from '../../hooks/useSaveSnapshot.js';
import { useKeyCapture } from '../../hooks/useKeyCapture.js';
import { Explain, KeyHints } from '../../components/Explain.js';
import { SavePrompt, savePromptLines } from '../../components/SavePrompt.js';
import { Confirm } from '../../components/Confirm.js';
import { useHue } from '../../lib/theme.js';
import { useTrainState } from './useTrainState.js';
import { useLrFind } from './useLrFind.js';
import { useWd0Compare } from './useWd0Compare.js';
import { TrainForm } from './TrainForm.js';
import { TrainSide } from './TrainSide.js';
import { FIELDS } from './trainFields.js';
import { resolveOptions } from '../../services.js';
import type { PaneProps } from '../paneProps.js';
import { useTuneMode } from './tune/useTuneMode.js';
import { TuneForm } from './tune/TuneForm.js';
import { TuneView } from './tune/TuneView.js';
import { TUNE_FIELDS } from './tune/tuneFields.js';
import { NamePrompt } from '../../components/NamePrompt.js';

const FORM_WIDTH = 30;

export interface TrainPaneProps extends PaneProps {
  training: Training;
  status: TrainingStatus;
  message: string | null;
  model: ModelState | null;
  modelVersion: number;
  datasetReady: boolean;
  wd0Requested: boolean;
}

export function TrainPane({ services, dispatch, training, status, message, model, modelVersion, datasetReady, wd0Requested, width, height, active }: TrainPaneProps) {
  const hue = useHue();
  const form = useTrainState();
  const lr = useLrFind(services);
  const wd0 = useWd0Compare(services, dispatch, modelVersion, status);
  const save = useSaveSnapshot(services, dispatch);
  const tune = useTuneMode(services, dispatch, training.showHistory);
  // A run waiting for "replace the unsaved model?"; null when nobody is asking.
  const [confirm, setConfirm] = useState<TrainOptions | null>(null);
  const prompting = save.phase !== 'closed' || confirm !== null || tune.naming;
  const focusSpec = FIELDS.find((f) => f.key === form.focus);
  const tuneFocus = TUNE_FIELDS.find((f) => f.key === tune.form.focus);
  const onChoice = tune.open ? tune.tuning.running || (tuneFocus?.kind === 'choice' && tune.form.editing === null) : focusSpec?.kind === 'choice' && form.editing === null;
  // Digits type numbers into number fields; on a choice field (or while a search runs) they switch panes like anywhere else.
  useKeyCapture('train', prompting ? 'text' : onChoice ? 'nav' : 'digits');

  const notice = (text: string) => dispatch({ type: 'notice', text });
  const run = (options: TrainOptions) => {
    lr.close();
    if (model && !model.saved) return setConfirm(options);
    training.start(options);
  };
  const startWd0 = () => {
    const info = services.modelInfo();
    if (!info) return notice('no model yet: train one first, then w retrains it with wd 0');
    const plan = wd0.begin(info);
    if ('refused' in plan) return notice(plan.refused);
    run(plan.options);
  };

  // Offer to save as soon as a run ends with weights worth keeping (a new model version, unsaved).
  const seenVersion = useRef(modelVersion);
  useEffect(() => {
    if (seenVersion.current === modelVersion) return;
    seenVersion.current = modelVersion;
    if ((status === 'done' || status === 'cancelled') && model && !model.saved) {
      const info = services.modelInfo();
      if (info) save.open(wd0.suggestedName ?? info.suggestedName);
    }
  }, [modelVersion, status, model, services, save, wd0.suggestedName]);

  // The Snapshots pane's w: the snapshot is loaded, now retrain it with wd 0 here.
  useEffect(() => {
    if (!wd0Requested || status === 'training') return;
    dispatch({ type: 'wd0Taken' });
    startWd0();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [wd0Requested]);

  const showRanking = datasetReady && model !== null && status !== 'training' && training.view.source !== 'empty';
  const ranking = useAsync(showRanking && active ? () => services.ranking() : null, [services, modelVersion, showRanking, active], modelVersion);

  useKeys(
    (input, key) => {
      if (tune.open) {
        tune.handleKey(input, key, { datasetReady });
        return;
      }
      if (status === 'training' && key.escape) return training.cancel();
      if (lr.phase === 'running' && key.escape) return lr.close();
      if (form.handleKey(input, key)) return;
      if (lr.phase === 'done' && lr.result && (input === 'u' || key.return)) {
        const value = String(Number(lr.result.suggestions.valley.toPrecision(2)));
        form.setField('lr', value);
        lr.close();
        return notice(`lr set to ${value} (lr-find's valley)`);
      }
      if (key.escape && lr.phase !== 'closed') return lr.close();
      if (key.escape && wd0.comparison) return wd0.close();
      if (input === 't') {
        if (status === 'training') return notice('wait for this run to finish (or Esc it)');
        lr.close();
        return tune.show();
      }
      if (input === 'f' || input === 'w' || key.return || input === 's') {
        if (status === 'training') return input === 'f' || input === 'w' ? notice('wait for this run to finish (or Esc it)') : undefined;
        if (!datasetReady) return notice('no dataset yet: download it in the Data pane (7)');
        if (input === 'w') return startWd0();
        if (!form.validation.options) return notice('fix the field marked ✗ first');
        // Fill defaults here so the worker gets a complete, checked set of options.
        const options = resolveOptions(form.validation.options);
        if (input === 'f') return lr.start(options);
        run(options);
      }
    },
    { isActive: active && !prompting },
  );

  const error = form.validation.errors[form.focus] ?? Object.values(form.validation.errors)[0];
  const rightWidth = Math.max(20, width - FORM_WIDTH - 2);
  const promptLines = save.phase !== 'closed' ? savePromptLines(save, width) : prompting ? 2 : 0;
  const bodyHeight = Math.max(4, height - 4 - promptLines);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Explain>Train a model on the ratings: falling train loss with rising valid loss means overfitting — raise wd. Defaults are fastai's recipe.</Explain>
      <Box flexDirection="row" height={bodyHeight}>
        <Box width={FORM_WIDTH} marginRight={2} flexDirection="column">
          {tune.open ? (
            <TuneForm form={tune.form} width={FORM_WIDTH} focused={!prompting && !tune.tuning.running} />
          ) : (
            <TrainForm values={form.values} focus={form.focus} editing={form.editing} validation={form.validation} width={FORM_WIDTH} focused={!prompting} />
          )}
        </Box>
        {tune.open ? (
          <TuneView view={tune.tuning.view} width={rightWidth} height={bodyHeight} />
        ) : (
          <TrainSide view={training.view} status={status} message={message} lr={lr} comparison={wd0.comparison} ranking={showRanking ? ranking : null} width={rightWidth} height={bodyHeight} />
        )}
      </Box>
      {confirm ? (
        <Box flexDirection="column" height={2}>
          <Confirm
            question="The current model is not saved. Replace the unsaved model?"
            active={active}
            onAnswer={(yes) => {
              const options = confirm;
              setConfirm(null);
              if (yes) training.start(options);
            }}
          />
        </Box>
      ) : null}
      {save.phase !== 'closed' ? <SavePrompt flow={save} width={width} active={active && confirm === null} /> : null}
      {tune.naming && save.phase === 'closed' ? (
        <NamePrompt label="save the winner's configuration as preset" initial="tuned" width={width} active={active} error={tune.presetError} onSubmit={tune.savePreset} onCancel={tune.cancelNaming} />
      ) : null}
      {tune.open ? (
        <Text color={tune.help().bad ? hue('bad') : hue('muted')} wrap="truncate-end">
          {tune.help().bad ? `✗ ${tune.help().text}` : tune.help().text}
        </Text>
      ) : error ? (
        <Text color={hue('bad')} wrap="truncate-end">
          ✗ {error}
        </Text>
      ) : (
        <Text color={hue('muted')} wrap="truncate-end">
          {focusSpec?.help ?? ''}
        </Text>
      )}
      <KeyHints>{tune.open ? tune.hints() : hints(status, lr.phase, wd0.comparison !== null, model)}</KeyHints>
    </Box>
  );
}

function hints(status: TrainingStatus, lrPhase: string, comparing: boolean, model: ModelState | null): string {
  if (status === 'training') return 'Esc cancel (weights kept) · ↑/↓ field · you can switch panes while it trains';
  if (lrPhase === 'running') return 'Esc stop lr-find';
  if (lrPhase === 'done') return 'u/Enter use the valley lr · Esc close · f run again · ↑/↓ field';
  const after = model ? ' · w same with wd 0' : '';
  return `↑/↓ field · ←/→ choose · Enter/s train · f lr-find · t tune${after}${comparing ? ' · Esc back to the run' : ''}${model && !model.saved ? ' · save: 6 → s' : ''}`;
}
