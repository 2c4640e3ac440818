/**
 * Rating one movie the person picked with Enter. On a whole-star scale a digit rates at once; on a
 * half-star scale (the MovieLens CSV releases) you type 4 or 4.5 and press Enter, or step with ←/→.
 * Esc leaves without rating.
 */
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import type { RatingScale } from '../../services.js';
import { useHue } from '../../lib/theme.js';
import { ratingText, stars, wrapWords } from '../../lib/format.js';

/** The rating `text` stands for on this scale, or a sentence saying what is allowed. */
export function parseRating(text: string, scale: RatingScale): number | string {
  const allowed = `${ratingText(scale.min)} to ${ratingText(scale.max)}${scale.step < 1 ? ` in steps of ${scale.step}` : ''}`;
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n)) return `type a rating, ${allowed}`;
  const onStep = Math.abs(n / scale.step - Math.round(n / scale.step)) < 1e-9;
  if (n < scale.min || n > scale.max || !onStep) return `${text.trim()} is not a rating here: ${allowed}`;
  return n;
}

export function RatingPrompt({ title, given, scale, width, active, onRate, onCancel }: {
  title: string;
  /** Your rating of it already, if any. */
  given: number | null;
  scale: RatingScale;
  width: number;
  active: boolean;
  onRate: (rating: number) => void;
  onCancel: () => void;
}) {
  const hue = useHue();
  const half = scale.step < 1;
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  useKeys(
    (input, key) => {
      if (key.escape) return onCancel();
      if (!half) {
        const r = parseRating(input, scale);
        if (typeof r === 'number') return onRate(r);
        if (/^\d$/.test(input)) setError(r);
        return;
      }
      if (key.leftArrow || key.rightArrow) {
        const from = typeof parseRating(typed, scale) === 'number' ? Number(typed) : given ?? scale.max;
        const next = Math.min(scale.max, Math.max(scale.min, from + (key.rightArrow ? scale.step : -scale.step)));
        setError(null);
        return setTyped(ratingText(next));
      }
      if (key.return) {
        const r = parseRating(typed, scale);
        return typeof r === 'number' ? onRate(r) : setError(r);
      }
      if (key.backspace || key.delete) return setTyped((t) => t.slice(0, -1));
      if (/^[0-9.]$/.test(input)) {
        setError(null);
        setTyped((t) => (t + input).slice(0, 4));
      }
    },
    { isActive: active },
  );
  const range = `${ratingText(scale.min)}–${ratingText(scale.max)}`;
  const ask = half
    ? `type ${range} (4 or 4.5), Enter rates · ←/→ ½ star · Esc cancels`
    : `press ${range} to rate · Esc cancels`;
  const head = `rate ${title}${given !== null ? ` (now ${ratingText(given)}★)` : ''}: `;
  const shown = half ? `${typed || ' '}${typeof parseRating(typed, scale) === 'number' ? ` ${stars(Number(typed))}` : ''}` : '';
  return (
    <Box flexDirection="column" width={width} height={2}>
      <Text wrap="truncate-end">
        <Text color={hue('accent')} bold>{head}</Text>
        {half ? <Text inverse>{shown}</Text> : null}
      </Text>
      <Text color={error ? hue('bad') : hue('muted')}>{wrapWords(error ?? ask, width)[0] ?? ''}</Text>
    </Box>
  );
}
