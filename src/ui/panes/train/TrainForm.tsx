/** The hyperparameter form: one line per field, the focused one marked, invalid ones flagged. */
import React from 'react';
import { Box, Text } from 'ink';
import { useHue } from '../../lib/theme.js';
import { truncate } from '../../lib/format.js';
import { visibleFields, type FieldKey, type FormValues, type Validation } from './trainFields.js';
import { DEFAULT_AUTOREC } from '../../services.js';

export function TrainForm({ values, focus, editing, validation, width, focused }: {
  values: FormValues;
  focus: FieldKey;
  editing: string | null;
  validation: Validation;
  width: number;
  focused: boolean;
}) {
  const hue = useHue();
  return (
    <Box flexDirection="column" width={width}>
      {visibleFields(values).map((f) => {
        const isFocus = focused && f.key === focus;
        const bad = validation.errors[f.key] !== undefined;
        const value = truncate(values[f.key], width - 15);
        return (
          <Text key={f.key} wrap="truncate-end">
            <Text color={isFocus ? hue('accent') : undefined}>{isFocus ? '›' : ' '} </Text>
            <Text bold={isFocus}>{f.label.padEnd(10)}</Text>
            {f.kind === 'choice' ? <Text color={isFocus ? hue('accent') : undefined}>{isFocus ? `‹ ${value} ›` : `  ${value}`}</Text> : <Text color={bad ? hue('bad') : undefined}>{`  ${value}`}</Text>}
            {/* the autorec solver trains more after these: say how many, so the run's 45 epochs are no surprise */}
            {f.key === 'epochs' && values.solver === 'autorec' ? <Text color={hue('muted')}>{` + ${DEFAULT_AUTOREC.epochs} AutoRec`}</Text> : null}
            {isFocus && editing !== null ? <Text inverse> </Text> : null}
            {bad ? <Text color={hue('bad')}> ✗</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}
