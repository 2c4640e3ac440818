/** Opens the full-screen app (issue #6 builds it out). */
import React from 'react';
import { render, Text } from 'ink';

export async function launchApp(): Promise<void> {
  const app = render(<Text>factorlens — the full-screen app is under construction. Press Ctrl+C to quit.</Text>);
  await app.waitUntilExit();
}
