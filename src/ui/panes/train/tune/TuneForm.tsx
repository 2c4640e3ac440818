/** The Tune form on the left of the Train pane: one line per field, the focused one marked. */
import React from 'react';
import { Box, Text } from 'ink';
import { useHue } from '../../../lib/theme.js';
import { truncate } from '../../../lib/format.js';
import { TUNE_FIELDS } from './tuneFields.js';
import type { TuneFormState } from './useTuneForm.js';

export function TuneForm({ form, width, focused }: { form: TuneFormState; width: number; focused: boolean }) {
  const hue = useHue();
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>Tune</Text>
      {TUNE_FIELDS.map((f) => {
        const isFocus = focused && f.key === form.focus;
        const bad = form.validation.errors[f.key] !== undefined;
        const value = truncate(form.values[f.key], width - 15);
        return (
          <Text key={f.key} wrap="truncate-end">
            <Text color={isFocus ? hue('accent') : undefined}>{isFocus ? '›' : ' '} </Text>
            <Text bold={isFocus}>{f.label.padEnd(10)}</Text>
            {f.kind === 'choice' ? <Text color={isFocus ? hue('accent') : undefined}>{isFocus ? `‹ ${value} ›` : `  ${value}`}</Text> : <Text color={bad ? hue('bad') : undefined}>{`  ${value}`}</Text>}
            {isFocus && form.editing !== null ? <Text inverse> </Text> : null}
            {bad ? <Text color={hue('bad')}> ✗</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}
