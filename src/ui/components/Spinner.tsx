/** Motion for anything that takes a moment (> ~200 ms): a braille spinner before a label. */
import React, { useEffect, useState } from 'react';
import { Text } from 'ink';
import { useHue } from '../lib/theme.js';
import { useShown } from './Shown.js';

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Ten frames a second: visibly alive, and far below the app's redraw cap. */
export const SPINNER_MS = 100;

/** The current frame; it only moves (and only re-renders) while `active` and on the screen (see Shown). */
export function useSpinnerFrame(active = true): string {
  const [i, setI] = useState(0);
  const shown = useShown();
  const moving = active && shown;
  useEffect(() => {
    if (!moving) return;
    const t = setInterval(() => setI((n) => (n + 1) % SPINNER_FRAMES.length), SPINNER_MS);
    return () => clearInterval(t);
  }, [moving]);
  return SPINNER_FRAMES[i];
}

/** "⠹ reading snapshots…" — the label is what is being waited for. */
export function Spinner({ label, hue = 'muted' }: { label: string; hue?: 'muted' | 'warn' }) {
  const h = useHue();
  const frame = useSpinnerFrame();
  return (
    <Text color={h(hue)} wrap="truncate-end">
      {frame} {label}
    </Text>
  );
}
