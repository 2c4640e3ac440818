/**
 * The Train form's own state: values as typed, the focused field, an edit in progress.
 *
 * An edit is applied only when it is valid: Enter applies it and trains (one Enter, not two); ↑/↓
 * apply a valid edit and drop an invalid one (saying so); Esc always goes back to the value before
 * the edit. On a number field, typing starts an edit (like a spreadsheet cell); the pane's own
 * command keys (f, w, s) keep their meaning until an edit has started.
 *
 * Typing goes into a field only once you aimed at it — moved to it with ↑/↓ — since the last run
 * started, a model was loaded or you came back to the pane (`unaim`). Until then a digit is what it is
 * everywhere else, a pane key: a 6 pressed to reach Snapshots never becomes the epochs a field was left on.
 */
import { useCallback, useMemo, useState } from 'react';
import type { Key } from 'ink';
import type { TrainOptions } from '../../services.js';
import { editText } from '../../lib/textInput.js';
import { applyPreset, cycleChoice, initialValues, withPresetFollowing, validate, visibleFields, type FieldKey, type FormValues, type Validation } from './trainFields.js';

/** Keys that are the Train pane's commands while no edit is in progress (they never start one). */
export const COMMAND_KEYS = new Set(['f', 'w', 's', 'u', 'q', '?']);

/** What a key did: the form used it, it asks to train (Enter on a valid edit), or it is not the form's. */
export type FormKey = { used: true; notice?: string; train?: boolean } | { used: false };

export interface TrainFormState {
  values: FormValues;
  focus: FieldKey;
  /** The text being typed into the focused field, null when not editing. */
  editing: string | null;
  validation: Validation;
  handleKey(input: string, key: Key): FormKey;
  /** Sets a field from outside the form (lr-find's "use it"). */
  setField(key: FieldKey, value: string): void;
  /** Shows a model's own hyperparameters (a loaded snapshot, the run that just ended). */
  load(options: TrainOptions): void;
  /** The focused field was moved to with ↑/↓ since the last unaim(): typing goes into it. */
  aimed: boolean;
  /** Until the next ↑/↓, keys no longer type into the focused field (a run started, the pane was left). */
  unaim(): void;
  /** A value was changed since the last run started (or the last load): the next run's, not to be overwritten. */
  touched: boolean;
  /** A run starts with these values: nothing is aimed at, nothing touched since. */
  runStarted(): void;
  /** Replaces every value, unless the form was edited or loaded already (the defaults for the dataset once it is known). */
  offerDefaults(values: FormValues): void;
}

export function useTrainState(initial: FormValues = initialValues()): TrainFormState {
  const [values, setValues] = useState(initial);
  const [focus, setFocus] = useState<FieldKey>('model');
  const [editing, setEditing] = useState<string | null>(null);
  // the values are someone's choice (typed, cycled, set, loaded) rather than the defaults
  const [edited, setEdited] = useState(false);
  const [aimed, setAimed] = useState(false);
  const [touched, setTouched] = useState(false);
  const change = useCallback((f: (v: FormValues) => FormValues) => {
    setEdited(true);
    setTouched(true);
    setValues(f);
  }, []);

  // What validation sees includes the edit in progress, so errors show while typing.
  const effective = useMemo(() => (editing === null ? values : { ...values, [focus]: editing }), [values, focus, editing]);
  const validation = useMemo(() => validate(effective), [effective]);
  const editError = editing === null ? undefined : validation.errors[focus];

  const handleKey = useCallback(
    (input: string, key: Key): FormKey => {
      const fields = visibleFields(effective);
      const at = Math.max(0, fields.findIndex((f) => f.key === focus));
      const spec = fields[at];
      if (key.upArrow || key.downArrow) {
        let notice: string | undefined;
        if (editing !== null) {
          if (editError) notice = `${spec.label}: ${editError} — kept ${values[spec.key] || 'auto'}`;
          else change((v) => withPresetFollowing({ ...v, [focus]: editing }));
          setEditing(null);
        }
        const next = fields[(at + (key.upArrow ? -1 : 1) + fields.length) % fields.length];
        setFocus(next.key);
        setAimed(true);
        return { used: true, notice };
      }
      if (spec.kind === 'choice') {
        if (key.leftArrow || key.rightArrow) {
          change((v) => {
            const next = cycleChoice(spec, v[spec.key], key.leftArrow ? -1 : 1);
            return spec.key === 'preset' ? applyPreset(v, next) : withPresetFollowing({ ...v, [spec.key]: next });
          });
          return { used: true };
        }
        return { used: false };
      }
      if (editing !== null && key.escape) {
        setEditing(null);
        return { used: true, notice: `${spec.label}: back to ${values[spec.key] || 'auto'}` };
      }
      if (editing !== null && key.return) {
        if (editError) return { used: true, notice: `${spec.label}: ${editError} (Esc goes back to ${values[spec.key] || 'auto'})` };
        change((v) => withPresetFollowing({ ...v, [focus]: editing }));
        setEditing(null);
        return { used: true, train: true };
      }
      if (editing === null && input.length === 1 && COMMAND_KEYS.has(input)) return { used: false };
      // not aimed at: the key is not the field's (a digit switches panes)
      if (editing === null && !aimed) return { used: false };
      // Typing over a value starts from empty, like a spreadsheet cell; Backspace edits what is there.
      const base = editing ?? (key.backspace || key.delete ? values[spec.key] : '');
      const next = editText(base, input, key);
      if (next === null) return { used: false };
      setEditing(next);
      return { used: true };
    },
    [effective, focus, editing, editError, values, aimed, change],
  );

  const setField = useCallback(
    (key: FieldKey, value: string) => {
      setEditing(null);
      change((v) => withPresetFollowing({ ...v, [key]: value }));
    },
    [change],
  );

  const load = useCallback((options: TrainOptions) => {
    setEditing(null);
    setAimed(false);
    setTouched(false);
    setEdited(true);
    setValues(initialValues(options, { yRange: 'explicit' }));
  }, []);

  const offerDefaults = useCallback(
    (next: FormValues) => {
      if (!edited) setValues(next);
    },
    [edited],
  );

  const unaim = useCallback(() => setAimed(false), []);
  const runStarted = useCallback(() => {
    setAimed(false);
    setTouched(false);
  }, []);

  return { values: effective, focus, editing, validation, handleKey, setField, load, offerDefaults, aimed, unaim, touched, runStarted };
}
