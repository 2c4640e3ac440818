/** Lines every pane gives its explanation (it wraps; at 80 columns a sentence needs two). */
export const EXPLAIN_LINES = 2;

/** What the pane shows and how to read it. */
import React from 'react';
import { Box, Text } from 'ink';
import { useHue } from '../lib/theme.js';
import { fitItems, wrapWords } from '../lib/format.js';

/** Wrapped at word boundaries by hand (Ink's wrap can start a line with a space); the texts fit two lines at 80 columns. */
export function Explain({ children, width }: { children: string; width: number }) {
  const hue = useHue();
  return (
    <Box height={EXPLAIN_LINES} overflow="hidden" flexDirection="column">
      {wrapWords(children, width)
        .slice(0, EXPLAIN_LINES)
        .map((line, i) => (
          <Text key={i} color={hue('muted')} italic>
            {line}
          </Text>
        ))}
    </Box>
  );
}

/**
 * The keys of the pane, on its last line: "a · b · c", as many whole hints as fit the width (in their
 * order, the most useful first); when some must go, "? all keys" says where the rest are — or, while
 * `typing` into a field (where ? is a character like any other), "Tab next pane" says how to leave.
 */
export function KeyHints({ children, width, typing = false }: { children: string; width: number; typing?: boolean }) {
  const hue = useHue();
  return (
    <Text color={hue('muted')} wrap="truncate-end">
      {fitItems(children.split(' · '), width, typing ? 'Tab next pane' : '? all keys')}
    </Text>
  );
}
