/** Pane 1 — Train: the form on the left; progress, chart, table, lr-find or a comparison on the right. */
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import { lrFindTrainsWorse, type ModelInfo, type TrainOptions } from '../../services.js';
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
import { FIELDS, initialValues, trainingWarnings, validate, type Pace } from './trainFields.js';
import { duration, wrapWords } from '../../lib/format.js';
import { defaultOptionsFor, LARGE_DATA_RATINGS } from '../../services.js';
import type { PaneProps } from '../paneProps.js';
import { NamePrompt } from '../../components/NamePrompt.js';
import { useTuneMode } from './tune/useTuneMode.js';
import { TuneForm } from './tune/TuneForm.js';
import { TuneView } from './tune/TuneView.js';
import { TUNE_FIELDS } from './tune/tuneFields.js';

const FORM_WIDTH = 30;

export interface TrainPaneProps extends PaneProps {
  training: Training;
  status: TrainingStatus;
  message: string | null;
  model: ModelState | null;
  modelVersion: number;
  datasetReady: boolean;
  /** The dataset is still being read (a train key pressed now waits for it instead of being refused). */
  datasetLoading: boolean;
  /** Ratings in the loaded dataset (0 until it is loaded): large data brings its own defaults. */
  datasetRatings?: number;
  wd0Requested: boolean;
  /** The y_range the data's rule gives (what 'auto' trains with), when the dataset is known. */
  autoYRange: [number, number] | null;
}

export function TrainPane({ services, dispatch, training, status, message, model, modelVersion, datasetReady, datasetLoading, datasetRatings = 0, wd0Requested, autoYRange, width, height, active }: TrainPaneProps) {
  const hue = useHue();
  const form = useTrainState();
  const { offerDefaults } = form;
  // on large data the form starts from the large-data recipe (every core, bs 8192, …), as `train` does
  useEffect(() => {
    if (datasetRatings >= LARGE_DATA_RATINGS) offerDefaults(initialValues(defaultOptionsFor(datasetRatings), { yRange: 'auto' }));
  }, [datasetRatings, offerDefaults]);
  const lr = useLrFind(services);
  const wd0 = useWd0Compare(services, dispatch, modelVersion, status);
  const save = useSaveSnapshot(services, dispatch);
  const tune = useTuneMode(services, dispatch, training.showHistory);
  // A run waiting for an answer: "replace the unsaved model?" and/or "this will take 8 minutes"; null when nobody is asking.
  const [confirm, setConfirm] = useState<{ options: Partial<TrainOptions>; question: string } | null>(null);
  const prompting = save.phase !== 'closed' || confirm !== null || tune.naming;
  const focusSpec = FIELDS.find((f) => f.key === form.focus);
  const tuneFocus = TUNE_FIELDS.find((f) => f.key === tune.form.focus);
  // An edit in progress is a text field; a number field you moved to types digits; on a choice field, a
  // field not aimed at (see useTrainState) or while a search runs, digits switch panes.
  const capture = tune.open
    ? tune.tuning.running || (tune.form.editing === null && (tuneFocus?.kind === 'choice' || !tune.form.aimed)) ? 'nav' : 'digits'
    : form.editing !== null ? 'text' : focusSpec?.kind === 'choice' || !form.aimed ? 'nav' : 'digits';
  const typing = prompting || capture === 'text';
  useKeyCapture('train', typing ? 'text' : capture);

  const notice = (text: string) => dispatch({ type: 'notice', text });
  const run = (options: Partial<TrainOptions>) => {
    lr.close();
    const questions: string[] = [];
    if (model && !model.saved) questions.push('The current model is not saved: replace it?');
    const warnings = trainingWarnings(options, paceOf(services.modelInfo()), duration, services.ratingScale());
    if (warnings.length > 0) questions.push(`${warnings.join('; ')}. Train anyway?`);
    if (questions.length > 0) return setConfirm({ options, question: questions.join(' ') });
    form.runStarted();
    training.start(options);
  };
  // back in the pane, keys go into a field only after ↑/↓ to it again
  const unaim = form.unaim;
  const unaimTune = tune.form.unaim;
  useEffect(() => {
    if (active) return;
    unaim();
    unaimTune();
  }, [active, unaim, unaimTune]);
  const startWd0 = () => {
    const info = services.modelInfo();
    if (!info) return notice('no model yet: train one first, then w retrains it with wd 0');
    const plan = wd0.begin(info);
    if ('refused' in plan) return notice(plan.refused);
    run(plan.options);
  };

  // Whenever the current model changes (a run ended, a snapshot was loaded), the form shows its
  // hyperparameters, and a save offer made for the model before is withdrawn; a run that ended with
  // weights worth keeping (unsaved) is offered for saving.
  const seenVersion = useRef(modelVersion);
  useEffect(() => {
    if (seenVersion.current === modelVersion) return;
    seenVersion.current = modelVersion;
    const info = services.modelInfo();
    // values you changed while it trained are for the next run: a run's end does not overwrite them
    const ranEnded = status === 'done' || status === 'cancelled';
    if (info && ranEnded && form.touched) notice('kept the values you changed during the run, for the next one');
    else if (info) form.load(info.options);
    if (save.phase === 'naming') save.cancel();
    if ((status === 'done' || status === 'cancelled') && model && !model.saved && info) {
      save.open(wd0.suggestedName ?? info.suggestedName);
    }
  }, [modelVersion, status, model, services, save, form, wd0.suggestedName]);

  // The Snapshots pane's w: the snapshot is loaded, now retrain it with wd 0 here.
  useEffect(() => {
    if (!wd0Requested || status === 'training') return;
    dispatch({ type: 'wd0Taken' });
    startWd0();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [wd0Requested]);

  // A run asked for while the data was still loading starts when it is ready.
  const waiting = useRef<{ options: Partial<TrainOptions>; lrFind: boolean } | null>(null);
  useEffect(() => {
    const w = waiting.current;
    if (!datasetReady || !w) return;
    waiting.current = null;
    if (w.lrFind) lr.start(w.options);
    else run(w.options);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [datasetReady]);

  const showRanking = datasetReady && model !== null && status !== 'training' && training.view.source !== 'empty';
  const ranking = useAsync(showRanking && active ? () => services.ranking() : null, [services, modelVersion, showRanking, active], modelVersion);

  useKeys(
    (input, key) => {
      if (tune.open) {
        tune.handleKey(input, key, { datasetReady });
        return;
      }
      if (status === 'training' && key.escape && form.editing === null) return training.cancel();
      if (lr.phase === 'running' && key.escape) return lr.close();
      // t opens the Tune view (no number has a t in it, so only an edit in progress keeps it)
      if (input === 't' && form.editing === null && !key.ctrl && !key.meta) {
        if (status === 'training') return notice('wait for this run to finish (or Esc it)');
        lr.close();
        return tune.show();
      }
      const used = form.handleKey(input, key);
      if (used.used) {
        if (used.notice) notice(used.notice);
        if (!used.train) return;
      }
      if (lr.phase === 'done' && lr.result && (input === 'u' || key.return)) {
        const value = String(Number(lr.result.suggestions.valley.toPrecision(2)));
        form.setField('lr', value);
        lr.close();
        // said plainly: on the embedding models the valley was measured to train worse than the recipe
        return notice(lrFindTrainsWorse(lr.result.model) ? `lr set to ${value} (lr-find's valley): on ML-100K 5e-3 trains ${lr.result.model} better` : `lr set to ${value} (lr-find's valley)`);
      }
      if (key.escape && lr.phase !== 'closed') return lr.close();
      if (key.escape && wd0.comparison) return wd0.close();
      if (input === 'f' || input === 'w' || key.return || input === 's') {
        if (status === 'training') return input === 'f' || input === 'w' || used.used ? notice('wait for this run to finish (or Esc it)') : undefined;
        // after an applied edit the form's validation is a render behind: validate what it now holds
        const options = used.used ? validate({ ...form.values }).options : form.validation.options;
        if (datasetLoading && input !== 'w' && options) {
          // kept, not refused: the run starts as soon as the data is read
          waiting.current = { options, lrFind: input === 'f' };
          return notice(input === 'f' ? 'lr-find starts once the data is loaded…' : 'training starts once the data is loaded…');
        }
        if (!datasetReady) return notice(datasetLoading ? 'the data is still loading: press w again in a moment' : 'no dataset yet: download it in the Data pane (7)');
        if (input === 'w') return startWd0();
        if (!options) return notice('fix the field marked ✗ first');
        // Only what the form says: defaults the form leaves open (y_range 'auto') are the model's to fill.
        if (input === 'f') return lr.start(options);
        run(options);
      }
    },
    { isActive: active && !prompting },
  );

  const error = form.validation.errors[form.focus] ?? Object.values(form.validation.errors)[0];
  const rightWidth = Math.max(20, width - FORM_WIDTH - 2);
  const promptLines = save.phase !== 'closed' ? savePromptLines(save, width) : confirm ? Math.min(3, wrapWords(`${confirm.question} [y/n]`, width).length) : tune.naming ? 2 : 0;
  const bodyHeight = Math.max(4, height - 2 - HELP_LINES - 1 - promptLines);
  const tuneHelp = tune.help();
  const helpText = tune.open ? (tuneHelp.bad ? `✗ ${tuneHelp.text}` : tuneHelp.text) : error ? `✗ ${error}` : focusSpec?.help ?? '';
  const helpBad = tune.open ? tuneHelp.bad : Boolean(error);
  const helpLines = wrapWords(helpText, width).slice(0, HELP_LINES);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Explain width={width}>Train a model on the ratings: falling train loss with rising valid loss means overfitting — raise wd. Defaults are fastai's recipe.</Explain>
      <Box flexDirection="row" height={bodyHeight}>
        <Box width={FORM_WIDTH} marginRight={2} flexDirection="column">
          {tune.open ? (
            <TuneForm form={tune.form} width={FORM_WIDTH} focused={!prompting && !tune.tuning.running} />
          ) : (
            <TrainForm values={form.values} focus={form.focus} editing={form.editing} validation={form.validation} width={FORM_WIDTH} focused={!prompting} autoYRange={autoYRange} />
          )}
        </Box>
        {tune.open ? (
          <TuneView view={tune.tuning.view} width={rightWidth} height={bodyHeight} />
        ) : (
          <TrainSide view={training.view} status={status} message={message} lr={lr} comparison={wd0.comparison} ranking={showRanking ? ranking : null} width={rightWidth} height={bodyHeight} />
        )}
      </Box>
      {confirm ? (
        <Box flexDirection="column" height={promptLines}>
          <Confirm
            question={confirm.question}
            active={active}
            onAnswer={(yes) => {
              const options = confirm.options;
              setConfirm(null);
              if (yes) training.start(options);
            }}
          />
        </Box>
      ) : null}
      {save.phase !== 'closed' ? <SavePrompt flow={save} width={width} active={active && confirm === null} /> : null}
      {tune.naming && save.phase === 'closed' && !confirm ? (
        <NamePrompt label="save the winner's configuration as preset" initial="tuned" width={width} active={active} error={tune.presetError} onSubmit={tune.savePreset} onCancel={tune.cancelNaming} />
      ) : null}
      <Box flexDirection="column" height={HELP_LINES}>
        {helpLines.map((l, i) => (
          <Text key={i} color={helpBad ? hue('bad') : hue('muted')}>
            {l}
          </Text>
        ))}
      </Box>
      <KeyHints width={width} typing={typing}>{save.phase === 'naming' ? SAVE_HINTS : tune.open ? tune.hints() : hints(status, lr.phase, wd0.comparison !== null, model, form.editing !== null, focusSpec?.kind === 'choice' ? 'choice' : form.aimed ? 'typed' : 'unaimed')}</KeyHints>
    </Box>
  );
}

/** The focused field's help (or its error) gets two lines: at 80 columns every help text fits in them. */
export const HELP_LINES = 2;

/** How long an epoch of the current model took, to estimate a new run from (null before any run). */
function paceOf(info: ModelInfo | null): Pace | null {
  const rows = info?.epochs ?? [];
  if (!info || rows.length === 0) return null;
  const seconds = rows.reduce((t, r) => t + r.seconds, 0) / rows.length;
  return { secondsPerEpoch: seconds, model: info.kind, bs: info.options.bs, dims: info.stepCost };
}

/** While the save offer's name field is open every key is typed into it (q and s too): the line says so. */
export const SAVE_HINTS = 'type a name (every key goes into it) · Enter save · Esc not now';

function hints(status: TrainingStatus, lrPhase: string, comparing: boolean, model: ModelState | null, editing: boolean, field: 'choice' | 'typed' | 'unaimed'): string {
  if (editing) return 'Enter apply and train · Esc back to the old value · ↑/↓ apply, next field';
  if (status === 'training') return 'Esc cancel (weights kept) · ↑/↓ field · you can switch panes while it trains';
  if (lrPhase === 'running') return 'Esc stop lr-find';
  if (lrPhase === 'done') return 'u/Enter use the suggested lr · Esc close · f run again · ↑/↓ field';
  const after = model ? ' · w same with wd 0' : '';
  // on a number field moved to with ↑/↓ the digits are typed (not pane keys): say so first
  const lead = field === 'typed' ? 'type a value (digits go here) · ' : '';
  const move = field === 'choice' ? '↑/↓ field · ←/→ choose · ' : field === 'unaimed' ? '↑/↓ field (then type) · ' : '↑/↓ field · ';
  return `${lead}Enter/s train · ${move}f lr-find · t tune${after}${comparing ? ' · Esc back to the run' : ''}${model && !model.saved ? ' · save: 6 → s' : ''}`;
}
