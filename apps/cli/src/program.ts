import { ContractError } from '@lakewatch/contracts';
import { Command, CommanderError } from 'commander';
import { registerBacktest } from './commands/backtest.js';
import { registerCalibrate } from './commands/calibrate.js';
import { registerContracts } from './commands/contracts.js';
import { registerDemo } from './commands/demo.js';
import { registerDeployModel } from './commands/deploy-model.js';
import { registerDlq } from './commands/dlq.js';
import { registerDown } from './commands/down.js';
import { registerEval } from './commands/eval.js';
import { registerFeedback } from './commands/feedback.js';
import { registerIngest } from './commands/ingest.js';
import { registerLocalBus } from './commands/local-bus.js';
import { registerNormalize } from './commands/normalize.js';
import { registerPairs } from './commands/pairs.js';
import { registerQuery } from './commands/query.js';
import { registerReplay } from './commands/replay.js';
import { registerScore } from './commands/score.js';
import { registerServeModel } from './commands/serve-model.js';
import { registerSimulate } from './commands/simulate.js';
import { registerTrain } from './commands/train.js';
import { registerUp } from './commands/up.js';
import { CliError } from './errors.js';
import { type CliIo, processIo } from './io.js';

/** The version `lakewatch --version` prints. */
export const CLI_VERSION = '0.1.0';

/** Builds the `lakewatch` command tree; `io` receives all output. */
export function buildProgram(io: CliIo = processIo): Command {
  const program = new Command('lakewatch')
    .description(
      'Lakewatch: find anomalous network behaviour in security logs.\n' +
        'Normalizes VPC Flow Logs, Route 53 Resolver logs and more to OCSF, learns normal\n' +
        '(entity, IP) pairs with IP Insights, scores new traffic, enriches and routes findings.',
    )
    .version(CLI_VERSION)
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .showHelpAfterError();
  registerContracts(program, io);
  registerSimulate(program, io);
  registerTrain(program, io);
  registerDeployModel(program, io);
  registerScore(program, io);
  registerEval(program, io);
  registerCalibrate(program, io);
  registerNormalize(program, io);
  registerLocalBus(program, io);
  registerDlq(program, io);
  registerServeModel(program, io);
  registerIngest(program, io);
  registerPairs(program, io);
  registerQuery(program, io);
  registerDemo(program, io);
  registerUp(program, io);
  registerDown(program, io);
  registerReplay(program, io);
  registerBacktest(program, io);
  registerFeedback(program, io);
  return program;
}

/**
 * Runs the CLI with `argv` (as `process.argv`: node, script, args…) and returns the exit
 * code: 0 on success, 1 on a failure (reported on stderr as `lakewatch: <message>`), 2 on a
 * usage error.
 */
export async function run(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.exitCode === 0
        ? 0
        : 2;
    }
    if (e instanceof CliError) {
      io.err(`lakewatch: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof ContractError) {
      io.err(`lakewatch: ${e.message}\n`);
      return 1;
    }
    // Anything else a command let through (a file that cannot be written, a library's error):
    // its message, not a stack trace; the trace too for what looks like a bug in Lakewatch, or
    // with LAKEWATCH_DEBUG set.
    const error = e instanceof Error ? e : new Error(String(e));
    const bug =
      error instanceof TypeError || error instanceof ReferenceError || error instanceof SyntaxError;
    io.err(
      `lakewatch: ${bug || process.env.LAKEWATCH_DEBUG ? (error.stack ?? error.message) : error.message}\n`,
    );
    return 1;
  }
}
