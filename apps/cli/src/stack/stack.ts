import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { StackError } from './errors.js';
import { getJson, waitHealthy } from './health.js';
import {
  binOf,
  DEFAULT_ROUTING_FILE,
  REPO_ROOT,
  type StackService,
  unbuiltServices,
} from './paths.js';
import {
  isAlive,
  runsProgram,
  type StopOutcome,
  spawnLogged,
  stopPid,
  waitForReadyUrl,
} from './process.js';
import {
  deriveRouting,
  localNotifyConfig,
  notifyTargetIds,
  type RuleJson,
  readRouting,
} from './routing.js';
import { readState, type ServiceRecord, type StackState, writeState } from './state.js';

/** Options of {@link Stack.start}. */
export interface StackOptions {
  /** Folder for logs, state, the bus's data and (by default) the lake and landing folder. */
  dir: string;
  /**
   * The model artifact score uses (`lakewatch train --out`). A promise lets the other
   * processes start (enrich loads its ASN tables for seconds) while the model is trained.
   */
  model: string | Promise<string>;
  /**
   * `sagemaker`: score calls the model server over the SageMaker Runtime API;
   * `embedded`: score loads the model itself (no model server).
   * @default 'sagemaker'
   */
  scoreMode?: 'sagemaker' | 'embedded';
  /** @default contracts/routing/lakewatch.json */
  routingFile?: string;
  /** Rules added to the routing file's first bus (the demo's catch-all alert route). */
  extraRules?: readonly RuleJson[];
  /** Notify targets file. @default every target the routing names, as a file `<dir>/notifications/<id>.jsonl` */
  notifyConfig?: string;
  /** @default <dir>/lake */
  lake?: string;
  /** The folder ingest watches. @default <dir>/landing */
  landingDir?: string;
  /** Environment of every process, on top of the starter's (e.g. `LOG_LEVEL`). */
  env?: Readonly<Record<string, string>>;
  /** Environment of one process (e.g. `INGEST_PAIRING`, `ENRICH_ASSETS`). */
  serviceEnv?: Partial<Record<StackService, Readonly<Record<string, string>>>>;
  /** How long a process has to print its ready line and answer its health check. @default 60000 */
  readyTimeoutMs?: number;
  /** SIGTERM → SIGKILL grace. @default 5000 */
  stopGraceMs?: number;
  /** Progress lines. @default none */
  log?: (line: string) => void;
}

const HEALTH: Record<StackService, string> = {
  'local-bus': '/health',
  'model-server': '/ping',
  ingest: '/health',
  score: '/health',
  enrich: '/health',
  notify: '/health',
};

const ENDPOINT_NAME = 'lakewatch-ipinsights';

/** Finds a free loopback port (bound and released: the bus takes it right after). */
async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/**
 * A local Lakewatch stack: the local bus, the model server and the four services, each a
 * separate `node apps/<x>/bin/<x>.js` process on a free loopback port, logging to
 * `<dir>/logs/<x>.log`, described by `<dir>/stack.json`.
 *
 * Ports: the bus's port is chosen first; the services start on port 0 with
 * `AWS_ENDPOINT_URL_EVENTBRIDGE` pointing at it and announce their address; the routing file
 * is then written with those addresses (`<dir>/routing.json`) and the bus starts with it. A
 * process restarted later gets its recorded port back, so the routing stays true.
 *
 * @example
 * const stack = await Stack.start({ dir: '.lakewatch/stack', model: 'model/' });
 * await stack.kill('score', 'SIGKILL');
 * await stack.startService('score'); // same port, same environment
 * await stack.stop();
 */
export class Stack {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly state: StackState,
    private readonly options: {
      readyTimeoutMs: number;
      stopGraceMs: number;
      log: (l: string) => void;
    },
  ) {}

  /** Starts every process, waits until each is healthy, writes the state file. */
  static async start(options: StackOptions): Promise<Stack> {
    const dir = resolve(options.dir);
    const log = options.log ?? (() => {});
    const previous = readState(dir);
    if (previous) {
      const running = Object.values(previous.services).filter(
        (s) => s && runsProgram(s.pid, s.bin),
      );
      if (running.length > 0)
        throw new StackError(
          `a stack is already running in ${dir} (${running.map((s) => `${s?.name} pid ${s?.pid}`).join(', ')}); run 'lakewatch down --dir ${options.dir}' first`,
        );
    }
    const mode = options.scoreMode ?? 'sagemaker';
    const names: StackService[] = [
      ...(mode === 'sagemaker' ? (['model-server'] as const) : []),
      'ingest',
      'enrich',
      'notify',
      'score',
      'local-bus',
    ];
    const unbuilt = unbuiltServices(names);
    if (unbuilt.length > 0)
      throw new StackError(
        `not built: ${unbuilt.join(', ')}; run 'npm run build' (tsc -b) in ${REPO_ROOT} first`,
      );
    const routing = readRouting(options.routingFile ?? DEFAULT_ROUTING_FILE);
    const eventBusName = routing.EventBuses[0]?.Name ?? 'default';
    const logs = join(dir, 'logs');
    await mkdir(logs, { recursive: true });
    // The file targets of the generated notify config append here (notify does not create folders).
    await mkdir(join(dir, 'notifications'), { recursive: true });
    let notifyConfig = options.notifyConfig;
    if (!notifyConfig) {
      notifyConfig = join(dir, 'notify.json');
      const ids = notifyTargetIds(deriveRouting(routing, {}, options.extraRules));
      await writeFile(
        notifyConfig,
        `${JSON.stringify(localNotifyConfig(ids, join(dir, 'notifications')), null, 2)}\n`,
      );
    }
    const lake = resolve(options.lake ?? join(dir, 'lake'));
    const landingDir = resolve(options.landingDir ?? join(dir, 'landing'));
    const busPort = await freePort();
    const busUrl = `http://127.0.0.1:${busPort}`;
    const state: StackState = {
      version: 1,
      dir,
      supervisorPid: process.pid,
      startedAt: new Date().toISOString(),
      busUrl,
      eventBusName,
      routingFile: join(dir, 'routing.json'),
      notifyConfig: resolve(notifyConfig),
      lake,
      landingDir,
      services: {},
    };
    const stack = new Stack(state, {
      readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
      stopGraceMs: options.stopGraceMs ?? 5000,
      log,
    });
    const common: Record<string, string> = {
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_EVENTBRIDGE: busUrl,
      EVENT_BUS_NAME: eventBusName,
      PORT: '0',
      HOST: '127.0.0.1',
      // The local emulators check no signature; the SDK still wants credentials to sign with.
      ...(process.env.AWS_ACCESS_KEY_ID
        ? {}
        : { AWS_ACCESS_KEY_ID: 'lakewatch-local', AWS_SECRET_ACCESS_KEY: 'lakewatch-local' }),
      ...options.env,
    };
    const stateDir = (s: string) => join(dir, 'state', s);
    const envOf = (name: StackService, own: Record<string, string>): Record<string, string> => ({
      ...common,
      ...own,
      ...options.serviceEnv?.[name],
    });
    try {
      const scoreEnv: Record<string, string> = {
        SCORE_MODE: mode,
        SCORE_STATE_DIR: stateDir('score'),
      };
      // Score needs the model server's address; the others start meanwhile (enrich, which
      // loads the ASN tables, is the slowest).
      const scoring = (async () => {
        const model = resolve(await options.model);
        scoreEnv.SCORE_MODEL_PATH = model;
        if (mode === 'sagemaker') {
          await stack.launch('model-server', [], {
            ...envOf('model-server', {
              LAKEWATCH_MODEL_PATH: model,
              LAKEWATCH_MODEL_SERVER_PORT: '0',
              LAKEWATCH_ENDPOINT_NAME: ENDPOINT_NAME,
            }),
          });
          scoreEnv.SCORE_ENDPOINT_NAME = ENDPOINT_NAME;
          scoreEnv.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME = state.services['model-server']?.url ?? '';
        }
        await stack.launch('score', [], envOf('score', scoreEnv));
      })();
      const launches = await Promise.allSettled([
        scoring,
        stack.launch(
          'ingest',
          [],
          envOf('ingest', {
            INGEST_LAKE: lake,
            INGEST_LANDING_DIR: landingDir,
            INGEST_LANDING_POLL_MS: '250',
            INGEST_LANDING_STABLE_MS: '500',
          }),
        ),
        stack.launch('enrich', [], envOf('enrich', { ENRICH_STATE_DIR: stateDir('enrich') })),
        stack.launch(
          'notify',
          [],
          envOf('notify', {
            NOTIFY_CONFIG: state.notifyConfig,
            NOTIFY_STATE_DIR: stateDir('notify'),
          }),
        ),
      ]);
      for (const l of launches) if (l.status === 'rejected') throw l.reason;
      const urls: Record<string, string> = {};
      for (const s of ['ingest', 'score', 'enrich', 'notify'] as const)
        urls[s] = state.services[s]?.url ?? '';
      const derived = deriveRouting(routing, urls, options.extraRules);
      await writeFile(state.routingFile, `${JSON.stringify(derived, null, 2)}\n`);
      await stack.launch(
        'local-bus',
        [],
        envOf('local-bus', {
          LOCAL_BUS_DATA_DIR: join(dir, 'bus'),
          LOCAL_BUS_PORT: String(busPort),
          LOCAL_BUS_CONFIG: state.routingFile,
        }),
      );
    } catch (e) {
      await stack.stop().catch(() => {});
      throw e;
    }
    return stack;
  }

  /** A stack another process started, from its state file (to stop or restart its processes). */
  static attach(
    dir: string,
    options: { stopGraceMs?: number; readyTimeoutMs?: number } = {},
  ): Stack {
    const state = readState(resolve(dir));
    if (!state) throw new StackError(`no stack in ${resolve(dir)} (no stack.json)`);
    return new Stack(state, {
      readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
      stopGraceMs: options.stopGraceMs ?? 5000,
      log: () => {},
    });
  }

  /** Writes the state file; writes of concurrent launches go one after the other. */
  private save(): Promise<void> {
    this.writing = this.writing.catch(() => {}).then(() => writeState(this.state));
    return this.writing;
  }

  /** The record of one process (pid, url, log). */
  service(name: StackService): ServiceRecord {
    const s = this.state.services[name];
    if (!s) throw new StackError(`${name} is not part of the stack in ${this.state.dir}`);
    return s;
  }

  /** Health of every process: its health body, or undefined when it does not answer. */
  async health(): Promise<Partial<Record<StackService, unknown>>> {
    const out: Partial<Record<StackService, unknown>> = {};
    await Promise.all(
      Object.values(this.state.services).map(async (s) => {
        if (s) out[s.name] = await getJson(new URL(s.healthPath, s.url).href);
      }),
    );
    return out;
  }

  private async launch(
    name: StackService,
    args: string[],
    env: Record<string, string>,
  ): Promise<void> {
    const bin = binOf(name);
    const logPath = join(this.state.dir, 'logs', `${name}.log`);
    const proc = spawnLogged({
      args: [bin, ...args],
      env: { ...process.env, ...env },
      logPath,
      cwd: REPO_ROOT,
    });
    const record: ServiceRecord = {
      name,
      pid: proc.pid,
      url: '',
      port: 0,
      logPath,
      bin,
      args,
      env,
      healthPath: HEALTH[name],
      startedAt: new Date().toISOString(),
    };
    this.state.services[name] = record;
    await this.save();
    const url = await waitForReadyUrl(name, proc, this.options.readyTimeoutMs);
    record.url = url.replace(/\/$/, '');
    record.port = Number(new URL(url).port);
    await waitHealthy(name, new URL(record.healthPath, url).href, this.options.readyTimeoutMs);
    await this.save();
    this.options.log(`${name.padEnd(12)} ${record.url}  pid ${proc.pid}  log ${logPath}`);
  }

  /**
   * Starts one process again (after {@link stopService} or a crash) on its recorded port and
   * with its recorded environment; waits until it is healthy.
   */
  async startService(name: StackService): Promise<ServiceRecord> {
    const old = this.service(name);
    if (runsProgram(old.pid, old.bin))
      throw new StackError(`${name} is still running (pid ${old.pid})`);
    const env = { ...old.env };
    if (old.port > 0) {
      if (name === 'local-bus') env.LOCAL_BUS_PORT = String(old.port);
      else if (name === 'model-server') env.LAKEWATCH_MODEL_SERVER_PORT = String(old.port);
      else env.PORT = String(old.port);
    }
    await this.launch(name, old.args, env);
    return this.service(name);
  }

  /** Stops one process (SIGTERM, then SIGKILL after the grace period). */
  async stopService(name: StackService): Promise<StopOutcome> {
    const s = this.service(name);
    if (!runsProgram(s.pid, s.bin)) return 'not-running';
    // stopPid polls until the process is gone: the child handles are unref'd, so waiting for
    // their 'exit' event alone would let Node leave with nothing else to do.
    return stopPid(s.pid, this.options.stopGraceMs);
  }

  /** Sends a signal to one process (e.g. SIGKILL for a crash test) and waits until it is gone. */
  async kill(name: StackService, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const s = this.service(name);
    if (!runsProgram(s.pid, s.bin)) return;
    process.kill(s.pid, signal);
    // Until the id is gone (an exiting process's command line reads empty before it is).
    while (isAlive(s.pid)) await new Promise((r) => setTimeout(r, 25));
  }

  /** Stops then starts one process. */
  async restartService(name: StackService): Promise<ServiceRecord> {
    await this.stopService(name);
    return this.startService(name);
  }

  /**
   * Stops every process: ingest first (it finishes the file it is on), then the others
   * together. Resolves once none is left; the state file then records no running process.
   */
  async stop(): Promise<Partial<Record<StackService, StopOutcome>>> {
    const out: Partial<Record<StackService, StopOutcome>> = {};
    const present = (n: StackService) => this.state.services[n] !== undefined;
    if (present('ingest')) out.ingest = await this.stopService('ingest');
    await Promise.all(
      (Object.keys(this.state.services) as StackService[])
        .filter((n) => n !== 'ingest')
        .map(async (n) => {
          out[n] = await this.stopService(n);
        }),
    );
    this.state.stoppedAt = new Date().toISOString();
    await this.save().catch(() => {});
    return out;
  }
}
