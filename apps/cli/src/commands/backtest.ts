import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { IpInsightsError, loadModel } from '@lakewatch/ipinsights';
import type { Command } from 'commander';
import { loadPairLabels } from '../backtest/labels.js';
import { replayThroughShadowScore, type ShadowSide } from '../backtest/replay.js';
import { buildReport } from '../backtest/report.js';
import { backtestRunId } from '../backtest/run-id.js';
import { writeBacktestReport } from '../backtest/write-report.js';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';

interface BacktestCommandOptions {
  from: string;
  to: string;
  candidate: string;
  threshold?: string;
  baseline?: string;
  baselineThreshold?: string;
  busDir: string;
  endpoint?: string;
  archive: string;
  out?: string;
  labels: string[];
  alertWindow: string;
  scoreBin?: string;
  timeout: string;
  aws?: boolean;
}

/** The score service's bin in this repository (apps/cli/{src,dist}/commands → apps/score). */
const DEFAULT_SCORE_BIN = resolve(import.meta.dirname, '../../../score/bin/score.js');

function time(flag: string, v: string): Date {
  const t = Date.parse(v);
  if (Number.isNaN(t))
    throw new CliError(`${flag} must be an ISO 8601 time, got '${v}'`, { exitCode: 2 });
  return new Date(t);
}

function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n))
    throw new CliError(`${flag} must be a number, got '${v}'`, { exitCode: 2 });
  return n;
}

async function sideOf(role: ShadowSide['role'], path: string, override: number | undefined) {
  let model: Awaited<ReturnType<typeof loadModel>>;
  try {
    model = await loadModel(path);
  } catch (e) {
    if (e instanceof IpInsightsError) throw new CliError(`--${role}: ${e.message}`, { cause: e });
    throw e;
  }
  const threshold = override ?? model.threshold;
  if (threshold === undefined)
    throw new CliError(
      `--${role} ${path}: model ${model.version} is not calibrated; calibrate it or give ${role === 'candidate' ? '--threshold' : '--baseline-threshold'}`,
      { exitCode: 2 },
    );
  return {
    side: {
      role,
      modelPath: resolve(path),
      ...(override !== undefined && { threshold: override }),
    },
    info: { model: model.version, threshold },
  };
}

async function labelsDigest(files: readonly string[]): Promise<string> {
  const h = createHash('sha256');
  for (const f of files) h.update(await readFile(f).catch(() => Buffer.alloc(0)));
  return h.digest('hex');
}

/**
 * `lakewatch backtest`: replays archived NetworkPairsObserved events through shadow scoring
 * of a baseline and a candidate, and writes the comparison (JSON + HTML with charts).
 */
export function registerBacktest(program: Command, io: CliIo): void {
  program
    .command('backtest')
    .description(
      'replay archived NetworkPairsObserved events through shadow scoring (no notifications) and compare a candidate model or threshold with a baseline',
    )
    .requiredOption('--from <time>', 'start of the replayed window (ISO 8601, event time)')
    .requiredOption('--to <time>', 'end of the replayed window (ISO 8601, event time)')
    .requiredOption('--candidate <model>', 'candidate model artifact (directory)')
    .option('--threshold <x>', "candidate threshold on dot_product (default: the model's)")
    .option('--baseline <model>', 'baseline model artifact (default: the candidate model)')
    .option('--baseline-threshold <x>', "baseline threshold (default: the baseline model's)")
    .option(
      '--bus-dir <dir>',
      'data dir of the local bus that archived the events (copied, never changed)',
      '.lakewatch/stack/bus',
    )
    .option('--endpoint <url>', 'use this running local bus instead of --bus-dir')
    .option('--archive <name>', 'archive to replay', 'lakewatch-all')
    .option('--out <dir>', 'report folder (default .lakewatch/backtests/<run id>)')
    .option(
      '--labels <file>',
      'simulator ground-truth.json or feedback labels.jsonl (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option('--alert-window <seconds>', 'an anomalous pair alerts once per window', '3600')
    .option('--score-bin <file>', 'the score service bin', DEFAULT_SCORE_BIN)
    .option('--timeout <seconds>', 'give up after', '600')
    .option('--aws', 'replay from Amazon EventBridge (not available offline)')
    .action(async (opts: BacktestCommandOptions) => {
      if (opts.aws)
        throw new CliError(
          '--aws is not implemented: a backtest from Amazon EventBridge needs StartReplay on a real account (and shadow score functions deployed there), which cannot run offline. Replay the archive into a bus with the cloud CLI (`lakewatch replay --aws`), or run the backtest on a local bus archive (--bus-dir / --endpoint).',
          { exitCode: 2 },
        );
      const from = time('--from', opts.from);
      const to = time('--to', opts.to);
      if (from >= to) throw new CliError('--from must be before --to', { exitCode: 2 });
      const alertWindow = num('--alert-window', opts.alertWindow) ?? 3600;
      if (!Number.isInteger(alertWindow) || alertWindow < 1)
        throw new CliError('--alert-window must be a whole number of seconds ≥ 1', { exitCode: 2 });
      const candThreshold = num('--threshold', opts.threshold);
      const baseThreshold = num('--baseline-threshold', opts.baselineThreshold);
      if (!opts.baseline && candThreshold === undefined && baseThreshold === undefined)
        throw new CliError(
          'nothing to compare: give --baseline MODEL, or --threshold for the candidate (the baseline is then the same model at its own threshold)',
          { exitCode: 2 },
        );
      const candidate = await sideOf('candidate', opts.candidate, candThreshold);
      const baseline = await sideOf('baseline', opts.baseline ?? opts.candidate, baseThreshold);
      const labels = await loadPairLabels(opts.labels);
      const runId = backtestRunId({
        from: from.toISOString(),
        to: to.toISOString(),
        archive: opts.archive,
        baseline: baseline.info,
        candidate: candidate.info,
        alertWindow,
        labels: await labelsDigest(opts.labels),
      });
      const out = opts.out ?? join('.lakewatch', 'backtests', runId);
      const started = Date.now();
      io.err(
        `backtest ${runId}: baseline ${baseline.info.model} @ ${baseline.info.threshold}, candidate ${candidate.info.model} @ ${candidate.info.threshold}\n`,
      );
      const workDir = await mkdtemp(join(tmpdir(), `lakewatch-${runId}-`));
      try {
        const replay = await replayThroughShadowScore({
          runId,
          from,
          to,
          sides: [baseline.side, candidate.side],
          ...(opts.endpoint ? { endpoint: opts.endpoint } : { busDir: opts.busDir }),
          archive: opts.archive,
          scoreBin: opts.scoreBin ?? DEFAULT_SCORE_BIN,
          workDir,
          logDir: join(out, 'logs'),
          timeoutMs: (num('--timeout', opts.timeout) ?? 600) * 1000,
          progress: (line) => io.err(line),
        });
        const report = buildReport({
          runId,
          from: from.toISOString(),
          to: to.toISOString(),
          baseline: baseline.info,
          candidate: candidate.info,
          verdicts: replay.verdicts,
          ...(labels && { labels }),
          alertWindowSeconds: alertWindow,
        });
        const files = await writeBacktestReport(out, report, {
          runId,
          generatedAt: new Date().toISOString(),
          seconds: (Date.now() - started) / 1000,
          replayName: replay.replayName,
          bus: replay.ownBus ? { copyOf: resolve(opts.busDir) } : { endpoint: replay.endpoint },
          shadowEvents: replay.events,
          refusedEvents: replay.refused,
        });
        const side = (s: typeof report.baseline) => ({
          alerts: s.alerts,
          ...(s.metrics && {
            precision: s.metrics.precision,
            recall: s.metrics.recall,
            auc: s.metrics.auc,
          }),
        });
        io.err(`report ${files.html}\n`);
        io.out(
          `${JSON.stringify({
            runId,
            report: files.json,
            html: files.html,
            verdicts: replay.verdicts.length,
            baseline: side(report.baseline),
            candidate: side(report.candidate),
            onlyBaseline: report.onlyBaseline.count,
            onlyCandidate: report.onlyCandidate.count,
          })}\n`,
        );
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
    });
}
