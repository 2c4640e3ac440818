/** The alternate screen: entered before the first frame, always left again — on quit, signal or crash. */

export const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[2J\x1b[H\x1b[?25l';
/** Clear the whole (alternate) screen and put the cursor top left. */
export const CLEAR_HOME = '\x1b[2J\x1b[H';
/**
 * Leaving: first empty the alternate screen with the cursor at the top, then switch back. A terminal
 * resized since the alternate screen was entered (tmux does this) shrinks it back to its old size by
 * cutting the rows above the cursor, and some of those reappeared above the prompt ("solver sgd" after
 * 80×24 → 120×40 and q); with the screen empty and the cursor home, only blank rows are cut.
 */
export const LEAVE_ALT_SCREEN = `${CLEAR_HOME}\x1b[?25h\x1b[?1049l`;

export interface Writable {
  write(chunk: string): unknown;
}

export interface ResizableOut extends Writable {
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
}

/**
 * Enters the alternate screen and returns an idempotent restore. On every resize the screen is cleared
 * before the app redraws (this listener is added before Ink's, so it runs first): Ink erases its last
 * frame by moving the cursor up line by line, which a terminal that reflowed or moved the old frame on
 * the resize no longer matches, and rows of the old frame would stay behind.
 */
export function enterFullScreen(out: ResizableOut): () => void {
  out.write(ENTER_ALT_SCREEN);
  const onResize = () => out.write(CLEAR_HOME);
  out.on?.('resize', onResize);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    out.off?.('resize', onResize);
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
