/** The full explanation of one recommendation: which of your ratings pushed it up, with the numbers. */
import React from 'react';
import { Box, Text } from 'ink';
import type { Reason, Recommendation } from '../../services.js';
import { useHue } from '../../lib/theme.js';
import { fixed, ratingText, wrapWords } from '../../lib/format.js';

/** What `recommend --explain` prints for one reason: "↑ Alien (1979): you 5, expected 3.8, cosine 0.43". */
export function reasonText(b: Reason): string {
  return `↑ ${b.title}: you ${ratingText(b.rating)}, expected ${fixed(b.expected, 1)}, cosine ${fixed(b.similarity, 2)}`;
}

export function WhyView({ rec, width, height }: { rec: Recommendation; width: number; height: number }) {
  const hue = useHue();
  const reasons = rec.because ?? [];
  const lines: { text: string; hue?: 'muted' | 'warn' | 'accent' }[] = [];
  for (const l of wrapWords(`Why ${rec.title}: predicted ${fixed(rec.predicted, 2)}★`, width)) lines.push({ text: l, hue: 'accent' });
  if (rec.lowEvidence) for (const l of wrapWords('few people rated it: take the prediction with a grain of salt', width)) lines.push({ text: l, hue: 'warn' });
  if (reasons.length === 0) {
    for (const l of wrapWords('None of your ratings pushed it up: it is liked broadly (its own bias and the average taste).', width)) lines.push({ text: l });
  }
  for (const b of reasons) for (const l of wrapWords(reasonText(b), width)) lines.push({ text: l });
  lines.push({ text: '' });
  const note =
    'A movie you rated above what the average taste expects lifts the movies whose factors point the same way (cosine near 1); one you rated below expectations lifts those pointing away.';
  for (const l of wrapWords(note, width)) lines.push({ text: l, hue: 'muted' });
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {lines.slice(0, height).map((l, i) => (
        <Text key={i} color={l.hue ? hue(l.hue) : undefined}>
          {l.text || ' '}
        </Text>
      ))}
    </Box>
  );
}
