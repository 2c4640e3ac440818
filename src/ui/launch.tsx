/** Opens the full-screen app on the alternate screen and always gives the terminal back. */
import React from 'react';
import { render } from 'ink';
import { App } from './App.js';
import type { AppServices } from './services.js';
import { enterFullScreen, installRestoreHandlers } from './terminal.js';

export type { AppServices } from './services.js';

/** Ink redraws at most this often; training pushes its state at 4 Hz, keys are drawn within a frame. */
export const MAX_FPS = 20;

export async function launchApp(services?: AppServices): Promise<void> {
  if (!services) {
    // The CLI hands the model session in (src/cli/main.ts); the UI never builds one itself.
    throw Object.assign(new Error('the app needs its services: launchApp(createSession(...)) from src/cli/main.ts'), { name: 'UsageError' });
  }
  const restore = enterFullScreen(process.stdout);
  let app: ReturnType<typeof render> | null = null;
  const uninstall = installRestoreHandlers(process, restore, () => app?.unmount());
  try {
    app = render(<App services={services} />, {
      exitOnCtrlC: false, // Ctrl+C asks first when a trained model would be lost
      maxFps: MAX_FPS,
      // Ink 6.8's incrementalRendering left stale lines and scrolled the screen in tmux: full redraws
      // of a frame one line shorter than the terminal are flicker-free there.
      incrementalRendering: false,
      patchConsole: true,
    });
    await app.waitUntilExit();
  } finally {
    app?.cleanup();
    restore();
    uninstall();
    await services.close().catch(() => {});
  }
}
