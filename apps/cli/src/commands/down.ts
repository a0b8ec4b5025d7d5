import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { Stack } from '../stack/stack.js';

/** `lakewatch down`: stops a stack `lakewatch up --detach` (or a crashed `up`) left running. */
export function registerDown(program: Command, io: CliIo): void {
  program
    .command('down')
    .description(
      'stop every process of a local stack (SIGTERM, then SIGKILL after --grace-ms) and wait until none is left',
    )
    .option('--dir <dir>', 'stack folder', '.lakewatch/stack')
    .option('--grace-ms <ms>', 'time between SIGTERM and SIGKILL', '5000')
    .action(async (flags: { dir: string; graceMs: string }) => {
      const stack = Stack.attach(flags.dir, { stopGraceMs: Number(flags.graceMs) || 5000 });
      const outcome = await stack.stop();
      for (const [name, how] of Object.entries(outcome)) io.out(`${name.padEnd(12)} ${how}\n`);
      io.out(`${JSON.stringify({ stopped: outcome })}\n`);
    });
}
