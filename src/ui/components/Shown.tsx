/**
 * A part of the screen that may be hidden (a pane not in front, the frame while the terminal is too
 * small). Every pane stays mounted so that its state survives a visit elsewhere; what moves on its own
 * (a spinner) asks useShown() and stands still while nobody can see it — otherwise a hidden pane's
 * spinner redraws the whole screen ten times a second for nothing.
 */
import React, { createContext, useContext, type ReactNode } from 'react';
import { Box } from 'ink';

const ShownContext = createContext(true);

/** Whether this part of the screen is on it (every enclosing Shown is). */
export function useShown(): boolean {
  return useContext(ShownContext);
}

export function Shown({ on, children, ...box }: { on: boolean; children: ReactNode } & Omit<React.ComponentProps<typeof Box>, 'display' | 'children'>) {
  const outer = useShown();
  return (
    <Box display={on ? 'flex' : 'none'} {...box}>
      <ShownContext.Provider value={outer && on}>{children}</ShownContext.Provider>
    </Box>
  );
}
