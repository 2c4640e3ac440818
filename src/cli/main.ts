#!/usr/bin/env node
/** The door: `factorlens` opens the app on a terminal; subcommands are scriptable. */
import { Command, CommanderError } from 'commander';
import { factorlensVersion } from '../model/snapshot/manifest.js';
import { SNAPSHOTS_HELP, isUserError, UsageError } from './common.js';

/** `factorlens` alone (or with only the app's own options) opens the app. */
export function isAppInvocation(args: string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--data' || a === '--snapshots' || a === '--profile') i++;
    else if (!a.startsWith('--data=') && !a.startsWith('--snapshots=') && !a.startsWith('--profile=')) return false;
  }
  return true;
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
    .option('--profile <name>', 'whose ratings and last model the app reopens (default: "default"; kept in $XDG_STATE_HOME/factorlens)');
  if (withCommands) (await import('./commands/index.js')).registerAll(program);
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
      process.stderr.write(`factorlens: ${err.message}\n`);
    } else {
      const e = err as Error;
      process.stderr.write(`factorlens: internal error: ${e?.message ?? String(err)}\n`);
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
