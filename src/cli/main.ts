#!/usr/bin/env node
/** The door: `factorlens` opens the app on a terminal; subcommands are scriptable. */
import { Command, CommanderError } from 'commander';
import { factorlensVersion } from '../model/snapshot/manifest.js';
import { SNAPSHOTS_HELP, errorLine, isUserError, UsageError } from './common.js';
import { terminalSafeBlock } from '../data/terminalText.js';
import { describeFsError, isFsError } from '../data/fsErrors.js';

/** `factorlens` alone (or with only the app's own options) opens the app. */
export function isAppInvocation(args: string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--data' || a === '--snapshots' || a === '--profile') i++;
    else if (!a.startsWith('--data=') && !a.startsWith('--snapshots=') && !a.startsWith('--profile=')) return false;
  }
  return true;
}

const REPEATED_FLAGS = '\nA flag given twice takes its last value (--rate is the exception: each one adds a rating).\nNumbers are decimal: 16, 0.5, 5e-3 (whole-number flags take digits only; no 0x10, no spaces).';

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/** The subcommands pull in tfjs and every model module: the app skips them so its first frame comes fast. */
export async function buildProgram(withCommands = true): Promise<Command> {
  const program = new Command('factorlens')
    .description('A terminal explorer for collaborative filtering (MovieLens, fastai-style models, TensorFlow.js).')
    .version(factorlensVersion())
    .exitOverride()
    .enablePositionalOptions()
    .showHelpAfterError('(add --help for usage)')
    .option('--data <dir>', 'dataset directory for the app (default: $FACTORLENS_DATA, else the download cache)')
    .option('--snapshots <dir>', SNAPSHOTS_HELP)
    .option('--profile <name>', 'whose ratings and last model the app reopens (default: "default"; kept in $XDG_STATE_HOME/factorlens)')
    // commander echoes what was typed ("unknown option '…'"): through the same sanitiser as everything else
    .configureOutput({
      writeOut: (s) => process.stdout.write(terminalSafeBlock(s)),
      writeErr: (s) => process.stderr.write(terminalSafeBlock(s)),
    });
  if (withCommands) (await import('./commands/index.js')).registerAll(program);
  for (const cmd of [program, ...allCommands(program)]) cmd.addHelpText('after', REPEATED_FLAGS);
  // the bare command takes no operands: anything left over is a mistyped subcommand (commander's own
  // message for it, "too many arguments. Expected 0 arguments", does not say that)
  program.allowExcessArguments(true);
  program.action(async () => {
    if (program.args.length > 0) {
      const names = program.commands.map((c) => c.name());
      throw new UsageError(`unknown command "${program.args[0]}": the commands are ${names.join(', ')} (\`factorlens --help\` describes them)`);
    }
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      process.stderr.write(
        'factorlens: the full-screen app needs a terminal (stdin and stdout must be a TTY).\n' +
          'Use a subcommand instead, e.g. `factorlens data info --json`; `factorlens --help` lists them.\n',
      );
      process.exitCode = 2;
      return;
    }
    showFramesUnderCi();
    const [{ launchApp }, { Session }] = await Promise.all([import('../ui/launch.js'), import('../model/runtime/session.js')]);
    const opts = program.opts();
    await launchApp(new Session({ dataDir: opts.data, snapshotsDir: opts.snapshots, profile: opts.profile }));
  });
  return program;
}

/**
 * Ink draws nothing but the last frame when it thinks it runs in CI (it reads CI / CONTINUOUS_INTEGRATION
 * once, when it is first imported), which leaves a real terminal blank until the app quits. The app only
 * opens on a TTY, so someone is looking at it: drop those variables before Ink is loaded.
 */
export function showFramesUnderCi(env: NodeJS.ProcessEnv = process.env): void {
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram(!isAppInvocation(argv.slice(2)));
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help / version exit 0; commander already printed its own message otherwise
      process.exitCode = err.exitCode;
      return;
    }
    if (isUserError(err)) {
      process.stderr.write(errorLine(err.message));
    } else if (isFsError(err)) {
      // a file-system failure no layer put in words (the layers do for the paths they own)
      process.stderr.write(errorLine(describeFsError(err)));
      if (process.env.FACTORLENS_DEBUG) process.stderr.write(String((err as Error).stack) + '\n');
    } else {
      const e = err as Error;
      process.stderr.write(errorLine(`internal error: ${e?.message ?? String(err)}`));
      if (process.env.FACTORLENS_DEBUG) process.stderr.write(String(e?.stack) + '\n');
    }
    process.exitCode = 1;
  }
}

// `factorlens … | head` closes the pipe early: that is the reader's choice, not an error to trace
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

await main(process.argv);
