/** The alternate screen: entered before the first frame, always left again — on quit, signal or crash. */

export const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[2J\x1b[H\x1b[?25l';
export const LEAVE_ALT_SCREEN = '\x1b[?25h\x1b[?1049l';

export interface Writable {
  write(chunk: string): unknown;
}

/** Enters the alternate screen and returns an idempotent restore. */
export function enterFullScreen(out: Writable): () => void {
  out.write(ENTER_ALT_SCREEN);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    out.write(LEAVE_ALT_SCREEN);
  };
}

export interface ProcessLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  exit(code?: number): never | void;
  stderr: Writable;
}

/**
 * Restores the terminal on SIGTERM/SIGINT/SIGHUP and on an uncaught exception or unhandled rejection
 * (the error is printed after the screen is back, so it stays readable). Returns an uninstaller.
 */
export function installRestoreHandlers(proc: ProcessLike, restore: () => void, beforeExit: () => void = () => {}): () => void {
  const onSignal = (signal: unknown) => {
    beforeExit();
    restore();
    proc.exit(signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143);
  };
  const onCrash = (err: unknown) => {
    beforeExit();
    restore();
    const e = err as Error | undefined;
    proc.stderr.write(`factorlens crashed: ${e?.stack ?? String(err)}\n`);
    proc.exit(1);
  };
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
  for (const s of signals) proc.on(s, onSignal);
  proc.on('uncaughtException', onCrash);
  proc.on('unhandledRejection', onCrash);
  return () => {
    for (const s of signals) proc.off(s, onSignal);
    proc.off('uncaughtException', onCrash);
    proc.off('unhandledRejection', onCrash);
  };
}
