/** useAsync keeps a value while the same query reruns, but drops another model's value at once. */
import React from 'react';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { useAsync } from '../../src/ui/hooks/useAsync.js';

function Probe({ query, model, answer }: { query: string; model: number; answer: () => Promise<string> }) {
  const a = useAsync(answer, [query, model], model);
  return <Text>{`${a.state}:${a.value ?? '—'}`}</Text>;
}

const tick = () => new Promise((r) => setTimeout(r, 10));
const never = () => new Promise<string>(() => {});

describe('useAsync', () => {
  it('a new query keeps the old answer on screen; a new model does not', async () => {
    const app = render(<Probe query="a" model={1} answer={async () => 'one'} />);
    await tick();
    expect(app.lastFrame()).toBe('ok:one');
    app.rerender(<Probe query="b" model={1} answer={never} />);
    await tick();
    expect(app.lastFrame()).toBe('loading:one'); // same model: no flicker to empty
    app.rerender(<Probe query="b" model={2} answer={never} />);
    await tick();
    expect(app.lastFrame()).toBe('loading:—'); // another model: its numbers are gone
    app.unmount();
  });
});
