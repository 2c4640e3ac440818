/** Colours, or none at all when NO_COLOR is set (https://no-color.org). */
import { createContext, useContext } from 'react';

export type Hue = 'accent' | 'muted' | 'good' | 'bad' | 'warn' | 'chart' | 'valid';

const HUES: Record<Hue, string> = {
  accent: 'cyan',
  muted: 'gray',
  good: 'green',
  bad: 'red',
  warn: 'yellow',
  chart: 'cyan',
  valid: 'yellow',
};

export function colorEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  // no-color.org: present and not empty disables colour.
  return !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

export const ColorContext = createContext<boolean>(true);

/** Returns a colour for Ink's `color` prop, or undefined when colours are off. */
export function useHue(): (hue: Hue) => string | undefined {
  const enabled = useContext(ColorContext);
  return (hue) => (enabled ? HUES[hue] : undefined);
}
