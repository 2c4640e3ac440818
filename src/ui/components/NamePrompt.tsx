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
  // what Enter last submitted: the caller's error is about that name, and once the name is edited it no longer applies
  // (remounted after a failed save, the error is about the name it starts with)
  const [submitted, setSubmitted] = useState<string | null>(error !== null ? initial.trim() : null);
  useKeys(
    (input, key) => {
      if (key.escape) return onCancel();
      if (key.return) {
        const name = value.trim();
        setSubmitted(name);
        if (name !== '') onSubmit(name);
        return;
      }
      const next = editText(value, input, key, (ch) => NAME_CHAR.test(ch));
      if (next !== null) setValue(next);
    },
    { isActive: active },
  );
  const shown = submitted === null || submitted !== value.trim() ? null : submitted === '' ? 'type a name first (letters, digits, . _ -)' : error;
  return (
    <Box flexDirection="column">
      <TextField label={label} value={value} focused={active} width={width} />
      {/* an error is read in full (a failed save says where the model was kept); the hint may be cut */}
      <Text color={shown ? hue('bad') : hue('muted')} wrap={shown ? 'wrap' : 'truncate-end'}>
        {shown ?? 'letters, digits, . _ - · Enter save · Esc cancel'}
      </Text>
    </Box>
  );
}
