/** A hidden part of the screen stands still: a spinner in a pane not in front does not tick (nor re-render). */
import React from 'react';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Shown } from '../../src/ui/components/Shown.js';
import { SPINNER_MS, useSpinnerFrame } from '../../src/ui/components/Spinner.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function probe() {
  const seen = { renders: 0 };
  function Probe() {
    seen.renders++;
    return <Text>{useSpinnerFrame()}</Text>;
  }
  return { seen, Probe };
}

describe('Shown', () => {
  it('a spinner in a hidden part does not tick; shown again, it moves', async () => {
    const { seen, Probe } = probe();
    const ui = (outer: boolean, inner: boolean) => (
      <Shown on={outer}>
        <Shown on={inner}>
          <Probe />
        </Shown>
      </Shown>
    );
    const inst = render(ui(true, false));
    await sleep(SPINNER_MS);
    const mounted = seen.renders;
    await sleep(SPINNER_MS * 5);
    expect(seen.renders - mounted).toBe(0);
    // hidden by an enclosing part (the whole frame while the terminal is too small) is hidden too
    inst.rerender(ui(false, true));
    const before = seen.renders;
    await sleep(SPINNER_MS * 5);
    // the re-render itself, no ticks
    expect(seen.renders - before).toBeLessThanOrEqual(2);
    inst.rerender(ui(true, true));
    const shownFrom = seen.renders;
    await sleep(SPINNER_MS * 5);
    expect(seen.renders - shownFrom).toBeGreaterThanOrEqual(3);
    inst.unmount();
  });
});
