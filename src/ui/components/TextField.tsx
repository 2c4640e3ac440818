/** A one-line text box (the caller owns the value and the keys). */
import React from 'react';
import { Text } from 'ink';
import { useHue } from '../lib/theme.js';
import { truncate } from '../lib/format.js';

export function TextField({ label, value, focused, width, placeholder }: { label: string; value: string; focused: boolean; width: number; placeholder?: string }) {
  const hue = useHue();
  const room = Math.max(1, width - label.length - 2);
  // Show the end of a long value: that is where the typing happens.
  const shown = value.length > room - 1 ? '…' + value.slice(-(room - 2)) : value;
  return (
    <Text wrap="truncate-end">
      <Text color={focused ? hue('accent') : undefined} bold={focused}>
        {label}
      </Text>
      <Text> </Text>
      {shown.length === 0 && placeholder ? <Text color={hue('muted')}>{truncate(placeholder, room - 1)}</Text> : <Text>{shown}</Text>}
      {focused ? <Text inverse> </Text> : null}
    </Text>
  );
}
