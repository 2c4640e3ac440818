/** The full explanation of one recommendation: which of your ratings pushed it up, with the numbers. */
import React from 'react';
import { Box, Text } from 'ink';
import type { Reason, Recommendation } from '../../services.js';
import { useHue } from '../../lib/theme.js';
import { fixed, ratingText, wrapWords } from '../../lib/format.js';

/**
 * What `recommend --explain` prints for one reason: "↑ Alien (1979): you 5, 23% of the pick; expected 3.8,
 * cosine 0.43" (pick × like), "↑ Alien (1979): you 5, expected 3.8, cosine 0.43" (by stars).
 */
export function reasonText(b: Reason): string {
  const pick = b.share != null ? `${Math.round(100 * Math.abs(b.share))}% of the pick${b.share < 0 ? ' (against)' : ''}; ` : '';
  return `${b.share != null && b.share < 0 ? '↓' : '↑'} ${b.title}: you ${ratingText(b.rating)}, ${pick}expected ${fixed(b.expected, 1)}, cosine ${fixed(b.similarity, 2)}`;
}

export function WhyView({ rec, width, height }: { rec: Recommendation; width: number; height: number }) {
  const hue = useHue();
  const reasons = rec.because ?? [];
  const lines: { text: string; hue?: 'muted' | 'warn' | 'accent' }[] = [];
  for (const l of wrapWords(`Why ${rec.title}: predicted ${fixed(rec.predicted, 2)}★`, width)) lines.push({ text: l, hue: 'accent' });
  if (rec.lowEvidence) for (const l of wrapWords('few people rated it: take the prediction with a grain of salt', width)) lines.push({ text: l, hue: 'warn' });
  const pick = rec.popularityShare != null;
  if (pick) for (const l of wrapWords(`its popularity: ${Math.round(100 * rec.popularityShare!)}% of why you would pick it; your ratings below, the rest`, width)) lines.push({ text: l });
  if (reasons.length === 0 && !pick) {
    for (const l of wrapWords('None of your ratings pushed it up: it is liked broadly (its own bias and the average taste).', width)) lines.push({ text: l });
  }
  for (const b of reasons) for (const l of wrapWords(reasonText(b), width)) lines.push({ text: l });
  lines.push({ text: '' });
  const note = pick
    ? 'pick × like: "would you pick it" is its popularity plus, for each movie you rated, how much people who liked that one went on to like this one; "would you like it" is the predicted stars. s ranks by stars alone.'
    : 'A movie you rated above what the average taste expects lifts the movies whose factors point the same way (cosine near 1); one you rated below expectations lifts those pointing away.';
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
