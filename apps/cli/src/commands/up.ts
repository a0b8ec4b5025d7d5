import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { DEFAULT_FEEDBACK_FILE } from '../feedback/store.js';
import type { CliIo } from '../io.js';
import { runsProgram } from '../stack/process.js';
import { Stack } from '../stack/stack.js';

interface UpFlags {
  dir: string;
  model: string;
  scoreMode: string;
  routing?: string;
  notifyConfig?: string;
  lake?: string;
  landing?: string;
  pairing: string;
  assets?: string;
  feeds?: string;
  feedback: string;
  detach?: boolean;
}

/** Prints where each process listens and logs. */
export function describeStack(stack: Stack, io: CliIo): void {
  const s = stack.state;
  io.out(`stack in ${s.dir} (state ${s.dir}/stack.json)\n`);
  for (const r of Object.values(s.services))
    if (r)
      io.out(
        `  ${r.name.padEnd(12)} ${r.url.padEnd(24)} pid ${String(r.pid).padEnd(7)} log ${r.logPath}\n`,
      );
  io.out(
    `  routing ${s.routingFile}\n  notify  ${s.notifyConfig}\n  lake    ${s.lake}\n  landing ${s.landingDir} (drop log objects here)\n`,
  );
}

/** `lakewatch up`: the local bus, model server and the four services as separate processes. */
export function registerUp(program: Command, io: CliIo): void {
  program
    .command('up')
    .description(
      'start the local pipeline: the local bus (with the routing file), the model server, and ingest,\n' +
        'score, enrich and notify, each a process on a free loopback port logging to <dir>/logs;\n' +
        'waits until each is healthy. Stays in the foreground until Ctrl-C (then stops them all),\n' +
        "or with --detach returns and leaves them running for 'lakewatch down'.",
    )
    .option('--dir <dir>', 'stack folder: logs, state file, bus data', '.lakewatch/stack')
    .option('--model <dir>', 'IP Insights model artifact for score', '.lakewatch/demo/model')
    .option('--score-mode <mode>', 'sagemaker (through the model server) or embedded', 'sagemaker')
    .option('--routing <file>', 'routing file (default contracts/routing/lakewatch.json)')
    .option(
      '--notify-config <file>',
      'notify targets (default: every routed target as a JSON-lines file in <dir>/notifications)',
    )
    .option('--lake <dir>', 'the lake ingest writes (default <dir>/lake)')
    .option('--landing <dir>', 'the folder ingest watches (default <dir>/landing)')
    .option('--pairing <list>', 'ingest pairing strategies (source, peer, dns)', 'peer')
    .option('--assets <file>', 'asset inventory JSON for enrich')
    .option('--feeds <list>', 'reputation feeds for enrich (ENRICH_FEEDS syntax)')
    .option(
      '--feedback <file>',
      'analyst labels (lakewatch feedback): notify never sends a pair labelled false-positive',
      DEFAULT_FEEDBACK_FILE,
    )
    .option('--detach', 'return once every process is healthy')
    .action(async (flags: UpFlags) => {
      if (flags.scoreMode !== 'sagemaker' && flags.scoreMode !== 'embedded')
        throw new CliError(`--score-mode must be sagemaker or embedded, got '${flags.scoreMode}'`, {
          exitCode: 2,
        });
      if (!existsSync(join(flags.model, 'manifest.json')))
        throw new CliError(
          `no model at ${flags.model}: run 'npm start' (the demo trains one into .lakewatch/demo/model) or 'lakewatch train', or pass --model`,
        );
      const started = performance.now();
      const stack = await Stack.start({
        dir: flags.dir,
        model: flags.model,
        scoreMode: flags.scoreMode,
        ...(flags.routing ? { routingFile: flags.routing } : {}),
        ...(flags.notifyConfig ? { notifyConfig: flags.notifyConfig } : {}),
        ...(flags.lake ? { lake: flags.lake } : {}),
        ...(flags.landing ? { landingDir: flags.landing } : {}),
        serviceEnv: {
          ingest: { INGEST_PAIRING: flags.pairing },
          enrich: {
            ...(flags.assets ? { ENRICH_ASSETS: flags.assets } : {}),
            ...(flags.feeds ? { ENRICH_FEEDS: flags.feeds } : {}),
          },
          notify: { NOTIFY_SUPPRESSIONS: resolve(flags.feedback) },
        },
        log: (line) => io.err(`up: ${line}\n`),
      });
      describeStack(stack, io);
      io.out(`healthy in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      if (flags.detach) {
        io.out(`detached; stop with: lakewatch down --dir ${flags.dir}\n`);
        return;
      }
      io.out('running; Ctrl-C stops every process\n');
      const dead = new Set<string>();
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
        // Signal handlers keep nothing alive: this timer does, and reports a process that died.
        const timer = setInterval(() => {
          for (const r of Object.values(stack.state.services))
            if (r && !dead.has(r.name) && !runsProgram(r.pid, r.bin)) {
              dead.add(r.name);
              io.err(`up: ${r.name} (pid ${r.pid}) exited; see ${r.logPath}\n`);
            }
        }, 1000);
        process.once('SIGINT', () => clearInterval(timer));
        process.once('SIGTERM', () => clearInterval(timer));
      });
      io.err('up: stopping\n');
      const outcome = await stack.stop();
      io.out(`stopped: ${JSON.stringify(outcome)}\n`);
    });
}
