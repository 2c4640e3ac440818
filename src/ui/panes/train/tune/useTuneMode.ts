/**
 * The Train pane's Tune mode (t opens it): its form, the search, and saving the winner's configuration
 * as a preset (p). Keys reach it first while it is open.
 */
import { useCallback, useState, type Dispatch } from 'react';
import type { Key } from 'ink';
import type { AppServices, ModelInfo } from '../../../services.js';
import type { AppAction } from '../../../state/appReducer.js';
import { messageOf } from '../../../hooks/useAsync.js';
import { useTuneForm, type TuneFormState } from './useTuneForm.js';
import { useTuning, type Tuning } from './useTuning.js';
import { TUNE_FIELDS } from './tuneFields.js';
import { setUserPresets } from '../trainFields.js';

/** The Train form's preset field offers the user's presets too: read them now (and after each save). */
function refreshPresets(services: AppServices): string | null {
  const { presets, problem } = services.presets();
  setUserPresets(presets.filter((p) => !p.builtIn));
  return problem;
}

export interface TuneMode {
  open: boolean;
  form: TuneFormState;
  tuning: Tuning;
  /** The preset-name prompt is up. */
  naming: boolean;
  presetError: string | null;
  show(): void;
  /** Handles a key while open; false when the pane may use it. */
  handleKey(input: string, key: Key, ctx: { datasetReady: boolean }): boolean;
  savePreset(name: string): void;
  cancelNaming(): void;
  /** The focused field's help (or its error), for the pane's help line. */
  help(): { text: string; bad: boolean };
  hints(): string;
}

export function useTuneMode(services: AppServices, dispatch: Dispatch<AppAction>, onModel?: (info: ModelInfo) => void): TuneMode {
  const [open, setOpen] = useState(false);
  // once, before the first frame: the form's preset choices include the user's
  useState(() => {
    const problem = refreshPresets(services);
    if (problem) queueMicrotask(() => dispatch({ type: 'notice', text: problem }));
    return null;
  });
  const [naming, setNaming] = useState(false);
  const [presetError, setPresetError] = useState<string | null>(null);
  const form = useTuneForm();
  const tuning = useTuning(services, dispatch, onModel);
  const notice = useCallback((text: string) => dispatch({ type: 'notice', text }), [dispatch]);
  const winner = tuning.view.result?.winner ?? null;

  const handleKey = useCallback(
    (input: string, key: Key, ctx: { datasetReady: boolean }): boolean => {
      if (tuning.running) {
        if (key.escape) {
          tuning.stop();
          notice(tuning.view.phase === 'final' ? 'stopping the final run: the winner keeps the epochs it finished' : 'stopping the search: the best so far is retrained and kept');
        }
        return true;
      }
      if (key.escape) {
        setOpen(false);
        return true;
      }
      if (input === 'p' && winner) {
        setPresetError(null);
        setNaming(true);
        return true;
      }
      if (form.handleKey(input, key)) return true;
      if (key.return || input === 's') {
        if (!ctx.datasetReady) notice('no dataset yet: download it in the Data pane (7)');
        else if (!form.validation.request) notice('fix the field marked ✗ first');
        else {
          form.unaim();
          tuning.start(form.validation.request);
        }
        return true;
      }
      return false;
    },
    [tuning, form, winner, notice],
  );

  const savePreset = useCallback(
    (name: string) => {
      if (!winner) return;
      const res = tuning.view.result;
      // a rank-only winner (an NDCG search) has no test RMSE
      const test = Number.isFinite(res?.test?.rmse) ? res!.test!.rmse : undefined;
      const split = tuning.view.request?.split ?? '';
      services.savePreset(name, winner.options, `tuned ${winner.candidate}: ${winner.config}${test !== undefined ? ` (${split} test RMSE ${test.toFixed(4)})` : ''}`, test).then(
        () => {
          refreshPresets(services);
          setNaming(false);
          notice(`saved preset "${name}": it is in the Train form's preset field`);
        },
        (err: unknown) => setPresetError(messageOf(err)),
      );
    },
    [services, winner, tuning.view.result, tuning.view.request, notice],
  );

  const help = useCallback(() => {
    const error = form.validation.errors[form.focus];
    return { text: error ?? TUNE_FIELDS.find((f) => f.key === form.focus)?.help ?? '', bad: error !== undefined };
  }, [form]);

  const hints = useCallback(() => {
    if (tuning.running) return 'Esc stop (the best so far is kept) · you can switch panes while it runs';
    const after = winner ? ' · p save as preset' : '';
    return `↑/↓ field · ←/→ choose · Enter/s tune${after} · Esc back to training`;
  }, [tuning.running, winner]);

  return { open, form, tuning, naming, presetError, show: () => setOpen(true), handleKey, savePreset, cancelNaming: () => setNaming(false), help, hints };
}
