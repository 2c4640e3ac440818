/** The save prompt's error belongs to the name it was given for: editing clears it; an empty Enter says what to do. */
import React, { useState } from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { NamePrompt } from '../../src/ui/components/NamePrompt.js';
import { KeyRouterContext, KeyTick, useKeyRouter } from '../../src/ui/hooks/useKeys.js';

function Host() {
  const router = useKeyRouter();
  return (
    <KeyRouterContext.Provider value={router}>
      <KeyTick router={router} />
      <Prompt />
    </KeyRouterContext.Provider>
  );
}

function Prompt() {
  const [error, setError] = useState<string | null>(null);
  return <NamePrompt label="save snapshot as" initial=".hid" width={60} active error={error} onSubmit={(n) => setError(`invalid snapshot name "${n}"`)} onCancel={() => {}} />;
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('NamePrompt', () => {
  it('shows the error for the submitted name only, and asks for a name on an empty Enter', async () => {
    const app = render(<Host />);
    await tick();
    app.stdin.write('\r');
    await tick();
    expect(app.lastFrame()).toContain('invalid snapshot name ".hid"');
    app.stdin.write('x');
    await tick();
    expect(app.lastFrame()).not.toContain('invalid snapshot name');
    expect(app.lastFrame()).toContain('Enter save');
    for (let i = 0; i < 5; i++) {
      app.stdin.write('\x7f');
      await tick();
    }
    app.stdin.write('\r');
    await tick();
    expect(app.lastFrame()).toContain('type a name first');
    app.unmount();
  });
});
