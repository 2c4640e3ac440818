/** The taste questionnaire as a grid: + liked, − disliked, · no opinion; the cursor's question inverse while it has the focus. */
import React from 'react';
import { Box, Text } from 'ink';
import { useHue } from '../../../lib/theme.js';
import { padEnd, truncate } from '../../../lib/format.js';
import { perRow, type Taste } from './useTaste.js';

const MARK = { like: '+', dislike: '−', neutral: '·' } as const;

export function TasteQuestions({ taste, focused, width, rows }: { taste: Taste; focused: boolean; width: number; rows: number }) {
  const hue = useHue();
  if (taste.questions.state === 'error') {
    return (
      <Text color={hue('muted')} wrap="wrap">
        {`no questionnaire: ${taste.questions.message}`}
      </Text>
    );
  }
  if (!taste.list.length) return <Text color={hue('muted')}>{taste.questions.state === 'loading' ? 'fitting the questionnaire on the trained users…' : ''}</Text>;
  const n = perRow(width);
  const cell = Math.floor(width / n);
  const row = Math.floor(taste.at / n);
  const lines = Math.ceil(taste.list.length / n);
  const from = Math.max(0, Math.min(row - Math.floor(rows / 2), lines - rows));
  const shown = Array.from({ length: Math.min(rows, lines) }, (_, k) => from + k);
  return (
    <Box flexDirection="column">
      {shown.map((r) => (
        <Text key={r} wrap="truncate-end">
          {taste.list.slice(r * n, (r + 1) * n).map((q, k) => {
            const i = r * n + k;
            const a = taste.answers[i];
            return (
              <Text key={q.name} inverse={focused && i === taste.at} color={a === 'like' ? hue('good') : a === 'dislike' ? hue('bad') : undefined}>
                {padEnd(`${MARK[a]}${truncate(q.name, cell - 2)}`, cell)}
              </Text>
            );
          })}
        </Text>
      ))}
    </Box>
  );
}

/** One line for when ratings have taken over the space: what you said. */
export function tasteSummary(taste: Taste): string {
  if (!taste.answered) return '';
  const part = (what: string, names: string[]) => (names.length ? `${what} ${names.join(', ')}` : '');
  return ['your taste:', [part('likes', taste.liked), part('dislikes', taste.disliked)].filter(Boolean).join('; ')].join(' ');
}
