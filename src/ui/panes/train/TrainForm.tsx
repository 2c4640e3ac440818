/** The hyperparameter form: one line per field, the focused one marked, invalid ones flagged. */
import React from 'react';
import { Box, Text } from 'ink';
import { useHue } from '../../lib/theme.js';
import { truncate } from '../../lib/format.js';
import { AUTO, presetExtras, visibleFields, type FieldKey, type FormValues, type Validation } from './trainFields.js';
import { DEFAULT_AUTOREC } from '../../services.js';

export function TrainForm({ values, focus, editing, validation, width, focused, autoYRange }: {
  values: FormValues;
  focus: FieldKey;
  editing: string | null;
  validation: Validation;
  width: number;
  focused: boolean;
  /** What y_range 'auto' trains with on this data (null: no dataset yet). */
  autoYRange: [number, number] | null;
}) {
  const hue = useHue();
  return (
    <Box flexDirection="column" width={width}>
      {visibleFields(values).map((f) => {
        const isFocus = focused && f.key === focus;
        const bad = validation.errors[f.key] !== undefined;
        const auto = f.key === 'yRange' && values.yRange === AUTO && !(isFocus && editing !== null);
        const value = truncate(auto ? (autoYRange ? `auto ${autoYRange.join(',')}` : 'auto') : values[f.key], width - 15);
        return (
          <Text key={f.key} wrap="truncate-end">
            <Text color={isFocus ? hue('accent') : undefined}>{isFocus ? '›' : ' '} </Text>
            <Text bold={isFocus}>{f.label.padEnd(10)}</Text>
            {f.kind === 'choice' ? <Text color={isFocus ? hue('accent') : undefined}>{isFocus ? `‹ ${value} ›` : `  ${value}`}</Text> : <Text color={bad ? hue('bad') : auto ? hue('muted') : undefined}>{`  ${value}`}</Text>}
            {/* the autorec solver trains more after these: say how many, so the run's epochs are no surprise */}
            {f.key === 'epochs' && values.solver === 'autorec' ? <Text color={hue('muted')}>{` + ${autorecEpochs(values.preset)} AutoRec`}</Text> : null}
            {isFocus && editing !== null ? <Text inverse> </Text> : null}
            {bad ? <Text color={hue('bad')}> ✗</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}

/** The AutoRec epochs a run of this preset trains after the form's (the I-AutoRec's, and a U-AutoRec's when it has one). */
function autorecEpochs(preset: string): number {
  const a = { ...DEFAULT_AUTOREC, ...(presetExtras(preset).autorec ?? {}) };
  return a.epochs + (a.users?.epochs ?? 0);
}
