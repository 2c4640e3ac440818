/**
 * A paragraph wrapped at word boundaries into lines of `width` (Ink's own wrap sometimes starts a line
 * with the space it broke at). `lines` caps it; the caller sizes its box by wrapWords, as here.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { wrapWords } from '../lib/format.js';

export function Para({ children, width, color, bold, lines }: { children: string; width: number; color?: string; bold?: boolean; lines?: number }) {
  const all = wrapWords(children, width);
  return (
    <Box flexDirection="column" width={width}>
      {(lines === undefined ? all : all.slice(0, lines)).map((l, i) => (
        <Text key={i} color={color} bold={bold}>
          {l}
        </Text>
      ))}
    </Box>
  );
}
