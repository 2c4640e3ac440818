/** Every subcommand, in help order. One import per command module. */
import type { Command } from 'commander';

export function registerAll(program: Command): void {
  void program;
}
