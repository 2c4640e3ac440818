/** Asks for a snapshot name: Enter accepts, Esc gives up. */
import React, { useState } from 'react';
import { Text, Box } from 'ink';
import { useKeys } from '../hooks/useKeys.js';
import { editText } from '../lib/textInput.js';
import { TextField } from './TextField.js';
import { useHue } from '../lib/theme.js';

const NAME_CHAR = /[A-Za-z0-9._-]/;

export function NamePrompt({ label, initial, width, active, error, onSubmit, onCancel }: {
  label: string;
  initial: string;
  width: number;
  active: boolean;
  error: string | null;
  onSubmit: (name: string) => void;
  onCancel: () => void;
}) {
  const hue = useHue();
  const [value, setValue] = useState(initial);
  // the caller's error is about the name last submitted: once the name is edited it no longer applies
  const [submitted, setSubmitted] = useState<string | null>(null);
  const [empty, setEmpty] = useState(false);
  useKeys(
    (input, key) => {
      if (key.escape) return onCancel();
      if (key.return) {
        if (value.trim() === '') return setEmpty(true);
        setSubmitted(value.trim());
        onSubmit(value.trim());
        return;
      }
      setEmpty(false);
      const next = editText(value, input, key, (ch) => NAME_CHAR.test(ch));
      if (next !== null) setValue(next);
    },
    { isActive: active },
  );
  const shown = empty ? 'type a name first (letters, digits, . _ -)' : error && submitted === value.trim() ? error : null;
  return (
    <Box flexDirection="column">
      <TextField label={label} value={value} focused={active} width={width} />
      <Text color={shown ? hue('bad') : hue('muted')} wrap="truncate-end">
        {shown ?? 'letters, digits, . _ - · Enter save · Esc cancel'}
      </Text>
    </Box>
  );
}
