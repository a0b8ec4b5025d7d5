import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { GroundTruth, Pairing, ScaleName, Simulation } from '@lakewatch/simulator';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { Stack } from '../stack/stack.js';
import { readState } from '../stack/state.js';
import { ingestHistory, type RawObject, simulatedHistory } from './history.js';
import { filesUnder } from './live.js';
import { runLive } from './live-run.js';
import { type TrainedModel, trainAndCalibrate } from './model.js';
import { buildSummary, type DemoSummary, summaryText } from './summary.js';
import type { EnvironmentJson } from './truth.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Output folder, replaced on each run. @default '.lakewatch/demo' */
  dir: string;
  /** @default 2 */
  days: number;
  /** @default 'small' */
  scale: ScaleName | number;
  seed: string;
  /** @default 60 */
  liveMinutes: number;
  /** A folder of log objects to land instead of the simulated live window. */
  logs?: string;
  keepRunning: boolean;
  scoreMode: 'sagemaker' | 'embedded';
  /** Pause between landed objects. @default 250 */
  landDelayMs: number;
  /** Longest wait for the pipeline to drain after the last object. @default 90 */
  drainSeconds: number;
}

const MARKER = '.lakewatch-demo';
const PAIRINGS: Pairing[] = ['peer'];

const CRITICALITY = { db: 'high', bastion: 'high', app: 'medium', web: 'medium', batch: 'low' };

/** The demo's own route: every finding, whatever its risk, to the alert file it measures. */
const DEMO_RULE = {
  Name: 'demo-all-findings',
  Description:
    'The demo: every finding, whatever its risk, to one JSON-lines file (what precision/recall are measured on).',
  EventPattern: {
    source: ['lakewatch.enrich'],
    'detail-type': ['FindingEnriched'],
    detail: { schemaVersion: [{ prefix: '1.' }] },
  },
  Targets: [
    {
      Id: 'notify',
      Service: 'notify',
      RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      InputTransformer: {
        InputPathsMap: {},
        InputTemplate:
          '{"route": "<aws.events.rule-name>", "targets": ["demo-alerts"], "event": <aws.events.event.json>}',
      },
    },
  ],
};

async function prepareDir(dir: string): Promise<void> {
  if (existsSync(dir)) {
    const stack = readState(join(dir, 'stack'));
    if (stack && !stack.stoppedAt)
      throw new CliError(
        `a demo stack may still run in ${dir}/stack; stop it with 'lakewatch down --dir ${join(dir, 'stack')}'`,
      );
    const entries = await readdir(dir);
    if (entries.length > 0 && !entries.includes(MARKER))
      throw new CliError(
        `${dir} exists and is not a demo folder (no ${MARKER}); choose another --dir`,
      );
    await rm(dir, { recursive: true, force: true });
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, MARKER), 'written by lakewatch demo; replaced on each run\n');
}

/** Raw objects of a folder of log files. */
async function* folderObjects(root: string): AsyncGenerator<RawObject> {
  for (const rel of await filesUnder(root)) {
    const path = join(root, rel);
    yield { uri: `file://${path}`, body: async () => readFile(path) };
  }
}

/**
 * `lakewatch demo`: simulate, ingest the history, train and calibrate, bring the stack up,
 * land the live objects, show each alert, score the alerts against the ground truth, stop.
 * Returns the summary (also printed, its JSON as the last line).
 */
export async function runDemo(options: DemoOptions, io: CliIo): Promise<DemoSummary> {
  const started = performance.now();
  const elapsed = () => ((performance.now() - started) / 1000).toFixed(1).padStart(5);
  const say = (line: string) => io.out(`[${elapsed()} s] ${line}\n`);
  const dir = resolve(options.dir);
  await prepareDir(dir);
  const { createSimulation, describeEnvironment } = await import('@lakewatch/simulator');
  const { openStorage, LakeQuery, listManifests } = await import('@lakewatch/lake');

  // 1. The estate, its history and (unless --logs) its live window with the incidents.
  const userLayout =
    options.logs !== undefined &&
    existsSync(join(options.logs, 'history')) &&
    existsSync(join(options.logs, 'live'));
  let sim: Simulation | undefined;
  let truth: GroundTruth | undefined;
  let environment: EnvironmentJson | undefined;
  if (options.logs && userLayout) {
    const root = resolve(options.logs);
    const read = async <T>(name: string) =>
      existsSync(join(root, name))
        ? (JSON.parse(await readFile(join(root, name), 'utf8')) as T)
        : undefined;
    truth = await read<GroundTruth>('ground-truth.json');
    environment = await read<EnvironmentJson>('environment.json');
    say(`using ${root}: history/ for training, live/ to land${truth ? ', ground-truth.json' : ''}`);
  } else {
    sim = createSimulation({
      days: options.days,
      scale: options.scale,
      seed: options.seed,
      liveMinutes: options.liveMinutes,
    });
    environment = describeEnvironment(sim.environment);
    if (!options.logs) truth = sim.groundTruth();
    say(
      `simulating ${options.days} day(s) of a ${sim.options.instances}-instance AWS estate (${sim.options.vpcs} VPC, seed ${options.seed}); incidents: ${sim.options.incidents.join(', ')}`,
    );
  }
  const lakeDir = join(dir, 'lake');
  if (environment) {
    await writeFile(join(dir, 'environment.json'), `${JSON.stringify(environment, null, 2)}\n`);
    const assets = Object.fromEntries(
      environment.instances.map((i) => [
        i.id,
        {
          role: i.role,
          criticality: CRITICALITY[i.role as keyof typeof CRITICALITY] ?? 'low',
          tags: [`role:${i.role}`],
        },
      ]),
    );
    await writeFile(join(dir, 'assets.json'), `${JSON.stringify(assets, null, 2)}\n`);
  }

  // The stack starts now (enrich loads its ASN tables for seconds); score and the model
  // server wait for the model trained below.
  let modelReady!: { resolve: (path: string) => void; reject: (e: unknown) => void };
  const modelPath = new Promise<string>((resolve, reject) => {
    modelReady = { resolve, reject };
  });
  // Rejected when training fails or the demo is interrupted; the stack may not wait for it yet.
  modelPath.catch(() => {});
  say('starting the stack (local bus, model server, ingest, score, enrich, notify) meanwhile');
  const stackStarting = Stack.start({
    dir: join(dir, 'stack'),
    model: modelPath,
    scoreMode: options.scoreMode,
    lake: lakeDir,
    landingDir: join(dir, 'landing'),
    extraRules: [DEMO_RULE],
    serviceEnv: {
      ingest: { INGEST_PAIRING: PAIRINGS.join(',') },
      ...(environment ? { enrich: { ENRICH_ASSETS: join(dir, 'assets.json') } } : {}),
    },
    log: (line) => say(`  ${line}`),
  });
  // Awaited after training; until then a failure only has to be kept, not reported twice.
  stackStarting.catch(() => {});
  // From here on Ctrl-C, kill or a closed terminal stops the stack's processes (they run in
  // their own process groups and would outlive the demo): score stops waiting for the model,
  // whatever started is stopped, then the demo exits with the signal's code.
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    void (async () => {
      io.err(`demo: ${signal}, stopping the stack\n`);
      modelReady.reject(new Error(`interrupted by ${signal}`));
      const started = await stackStarting.catch(() => undefined);
      await started?.stop().catch(() => {});
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    })();
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, onSignal);

  const storage = openStorage(lakeDir);
  const historyAndModel = async (): Promise<TrainedModel> => {
    // 2. History → lake.
    let lastProgress = 0;
    const history = await ingestHistory(
      storage,
      sim ? simulatedHistory(sim) : folderObjects(resolve(options.logs ?? '', 'history')),
      {
        prefix: 'lakewatch-demo://history',
        onProgress: (p) => {
          if (performance.now() - lastProgress < 2000) return;
          lastProgress = performance.now();
          say(
            `history: ${p.objects} objects, ${p.records.toLocaleString('en-US')} records in the lake`,
          );
        },
      },
    );
    say(
      `history ingested: ${history.objects} objects, ${history.records.toLocaleString('en-US')} records, ${history.rejected} rejected, ${history.seconds.toFixed(1)} s -> ${lakeDir}`,
    );
    if (truth)
      await writeFile(join(dir, 'ground-truth.json'), `${JSON.stringify(truth, null, 2)}\n`);

    // 3. Train and calibrate from the lake.
    const lake = await LakeQuery.open(storage);
    let trained: TrainedModel;
    try {
      trained = await trainAndCalibrate(lake, {
        dir,
        onEpoch: (line) => {
          if (/epoch (1|5|10|15|20):/.test(line)) say(`train: ${line}`);
        },
      });
    } finally {
      lake.close();
    }
    say(
      `model ${trained.version}: ${trained.trainPairs} training pairs (${trained.entities} entities), calibrated on ${trained.calibrationPairs} held-out pairs: threshold ${trained.threshold.toFixed(3)} at 1% FPR, AUC ${trained.auc.toFixed(3)}; report ${trained.report}`,
    );
    return trained;
  };
  const unlisten = () => {
    for (const signal of signals) process.removeListener(signal, onSignal);
  };
  let trained: TrainedModel;
  try {
    trained = await historyAndModel();
  } catch (e) {
    // Score never starts: stop what did, then report the failure.
    modelReady.reject(e);
    await stackStarting.catch(() => {});
    unlisten();
    throw e;
  }
  modelReady.resolve(trained.modelDir);
  const stack = await stackStarting.catch((e: unknown) => {
    unlisten();
    throw e;
  });
  let stopped = false;
  const stopStack = async () => {
    if (stopped) return;
    stopped = true;
    const outcome = await stack.stop();
    say(
      `stack stopped: ${Object.entries(outcome)
        .map(([n, o]) => `${n} ${o}`)
        .join(', ')}`,
    );
  };
  let result: Awaited<ReturnType<typeof runLive>>;
  try {
    const liveFolder = options.logs ? resolve(options.logs, userLayout ? 'live' : '') : undefined;
    result = await runLive({
      liveFolder,
      options,
      say,
      io,
      stack,
      sim,
      truth,
      environment,
      dir,
      lakeDir,
    });
    if (!options.keepRunning) await stopStack();
  } finally {
    if (!options.keepRunning) await stopStack();
    unlisten();
  }
  const manifests = await listManifests(storage);
  const summary = buildSummary({
    records: manifests.reduce((n, m) => n + m.records, 0),
    rejected: manifests.reduce((n, m) => n + m.rejected, 0),
    pairs: result.pairs,
    score: result.score,
    alerts: result.alerts.length,
    latencies: result.latencies,
    seconds: (performance.now() - started) / 1000,
    liveObjects: result.landed,
    model: trained.version,
    threshold: trained.threshold,
  });
  io.out(
    summaryText(summary, result.score, {
      report: trained.report,
      lake: lakeDir,
      alerts: result.alertsFile,
      'ground truth': truth ? join(dir, 'ground-truth.json') : 'none',
      logs: join(dir, 'stack', 'logs'),
    }),
  );
  if (options.keepRunning)
    io.out(`the stack keeps running; stop it with: lakewatch down --dir ${join(dir, 'stack')}\n`);
  io.out(`${JSON.stringify(summary)}\n`);
  return summary;
}
