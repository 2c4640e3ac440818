/** A one-line question answered with y / n (Esc = n). */
import React from 'react';
import { Text } from 'ink';
import { useKeys } from '../hooks/useKeys.js';
import { useHue } from '../lib/theme.js';

export function Confirm({ question, onAnswer, active }: { question: string; onAnswer: (yes: boolean) => void; active: boolean }) {
  const hue = useHue();
  useKeys(
    (input, key) => {
      if (input === 'y' || input === 'Y') onAnswer(true);
      else if (input === 'n' || input === 'N' || key.escape) onAnswer(false);
    },
    { isActive: active },
  );
  // a long question wraps (the caller gives it the lines); it is never cut
  return (
    <Text wrap="wrap">
      <Text color={hue('warn')} bold>
        {question}
      </Text>
      <Text> [y/n]</Text>
    </Text>
  );
}
