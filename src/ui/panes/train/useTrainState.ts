/** The Train form's own state: values as typed, the focused field, an edit in progress. */
import { useCallback, useMemo, useState } from 'react';
import type { Key } from 'ink';
import { editText } from '../../lib/textInput.js';
import { applyPreset, cycleChoice, initialValues, withPresetFollowing, NUMBER_CHARS, validate, visibleFields, type FieldKey, type FormValues, type Validation } from './trainFields.js';

export interface TrainFormState {
  values: FormValues;
  focus: FieldKey;
  /** The text being typed into the focused field, null when not editing. */
  editing: string | null;
  validation: Validation;
  /** Handles a form key; returns false when the key is not the form's (Enter to start, s, Esc…). */
  handleKey(input: string, key: Key): boolean;
  /** Sets a field from outside the form (lr-find's "use it"). */
  setField(key: FieldKey, value: string): void;
  /** Replaces every value, unless the form was edited already (the defaults for the dataset once it is known). */
  offerDefaults(values: FormValues): void;
}

export function useTrainState(initial: FormValues = initialValues()): TrainFormState {
  const [values, setValues] = useState(initial);
  const [focus, setFocus] = useState<FieldKey>('model');
  const [editing, setEditing] = useState<string | null>(null);
  const [edited, setEdited] = useState(false);

  // What validation sees includes the edit in progress, so errors show while typing.
  const effective = useMemo(() => (editing === null ? values : { ...values, [focus]: editing }), [values, focus, editing]);
  const validation = useMemo(() => validate(effective), [effective]);

  const commit = useCallback(() => {
    if (editing !== null) {
      setEdited(true);
      setValues((v) => withPresetFollowing({ ...v, [focus]: editing }));
    }
    setEditing(null);
  }, [editing, focus]);

  const handleKey = useCallback(
    (input: string, key: Key): boolean => {
      const fields = visibleFields(effective);
      const at = Math.max(0, fields.findIndex((f) => f.key === focus));
      const spec = fields[at];
      if (key.upArrow || key.downArrow) {
        commit();
        const next = fields[(at + (key.upArrow ? -1 : 1) + fields.length) % fields.length];
        setFocus(next.key);
        return true;
      }
      if (spec.kind === 'choice') {
        if (key.leftArrow || key.rightArrow) {
          setEdited(true);
          setValues((v) => {
            const next = cycleChoice(spec, v[spec.key], key.leftArrow ? -1 : 1);
            return spec.key === 'preset' ? applyPreset(v, next) : withPresetFollowing({ ...v, [spec.key]: next });
          });
          return true;
        }
        return false;
      }
      if (editing !== null && key.escape) {
        setEditing(null);
        return true;
      }
      if (editing !== null && key.return) {
        commit();
        return true;
      }
      // Typing over a value starts from empty, like a spreadsheet cell; Backspace edits what is there.
      const base = editing ?? (key.backspace || key.delete ? values[spec.key] : '');
      const next = editText(base, input, key, (ch) => NUMBER_CHARS.test(ch));
      if (next === null) return false;
      setEditing(next);
      return true;
    },
    [effective, focus, editing, values, commit],
  );

  const setField = useCallback((key: FieldKey, value: string) => {
    setEditing(null);
    setEdited(true);
    setValues((v) => withPresetFollowing({ ...v, [key]: value }));
  }, []);

  const offerDefaults = useCallback(
    (next: FormValues) => {
      if (!edited) setValues(next);
    },
    [edited],
  );

  return { values: effective, focus, editing, validation, handleKey, setField, offerDefaults };
}
