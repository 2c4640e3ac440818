/** The Tune form's state: values as typed, the focused field, an edit in progress. */
import { useCallback, useMemo, useState } from 'react';
import type { Key } from 'ink';
import { editText } from '../../../lib/textInput.js';
import { TUNE_DEFAULT_VALUES, TUNE_FIELDS, validateTune, type TuneFieldKey, type TuneValidation, type TuneValues } from './tuneFields.js';

export interface TuneFormState {
  values: TuneValues;
  focus: TuneFieldKey;
  editing: string | null;
  validation: TuneValidation;
  /** A form key (↑/↓, ←/→, digits, Backspace); false when the key is not the form's. */
  handleKey(input: string, key: Key): boolean;
  /** The focused field was moved to with ↑/↓ since the last unaim(): digits go into it (else they switch panes). */
  aimed: boolean;
  unaim(): void;
}

const DIGITS = /[0-9.]/;

export function useTuneForm(initial: TuneValues = TUNE_DEFAULT_VALUES): TuneFormState {
  const [values, setValues] = useState(initial);
  const [focus, setFocus] = useState<TuneFieldKey>('model');
  const [editing, setEditing] = useState<string | null>(null);
  // as in the Train form: typing goes into a field only after ↑/↓ to it (a search started or the pane left: not any more)
  const [aimed, setAimed] = useState(false);
  const effective = useMemo(() => (editing === null ? values : { ...values, [focus]: editing }), [values, focus, editing]);
  const validation = useMemo(() => validateTune(effective), [effective]);

  const handleKey = useCallback(
    (input: string, key: Key): boolean => {
      const at = Math.max(0, TUNE_FIELDS.findIndex((f) => f.key === focus));
      const spec = TUNE_FIELDS[at];
      if (key.upArrow || key.downArrow) {
        if (editing !== null) setValues((v) => ({ ...v, [focus]: editing }));
        setEditing(null);
        setFocus(TUNE_FIELDS[(at + (key.upArrow ? -1 : 1) + TUNE_FIELDS.length) % TUNE_FIELDS.length].key);
        setAimed(true);
        return true;
      }
      if (spec.kind === 'choice') {
        if (!key.leftArrow && !key.rightArrow) return false;
        const choices = spec.choices ?? [];
        const i = choices.indexOf(values[spec.key]);
        setValues((v) => ({ ...v, [spec.key]: choices[(i + (key.leftArrow ? -1 : 1) + choices.length) % choices.length] }));
        return true;
      }
      if (editing !== null && (key.escape || key.return)) {
        if (key.return) setValues((v) => ({ ...v, [focus]: editing }));
        setEditing(null);
        return true;
      }
      if (editing === null && !aimed) return false;
      const base = editing ?? (key.backspace || key.delete ? values[spec.key] : '');
      const next = editText(base, input, key, (ch) => DIGITS.test(ch));
      if (next === null) return false;
      setEditing(next);
      return true;
    },
    [focus, editing, values, aimed],
  );
  const unaim = useCallback(() => setAimed(false), []);

  return { values: effective, focus, editing, validation, handleKey, aimed, unaim };
}
