import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CliError } from '../errors.js';

/** A service process started from its built bin, and the address it printed. */
export interface ServiceProcess {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** GET /health as JSON. */
  health(): Promise<Record<string, unknown>>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** How to start one service. */
export interface ServiceProcessOptions {
  name: string;
  /** The service's bin script (`apps/<x>/bin/<x>.js`). */
  bin: string;
  env: Record<string, string>;
  /** Where its output goes (appended). */
  logFile: string;
  /** @default 30000 */
  readyTimeoutMs?: number;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => child.once('exit', () => r()));
}

/**
 * Starts `node <bin>` and waits for its ready line `{"service": …, "url": …}` on stdout (the
 * contract every Lakewatch service process keeps); everything else it prints goes to the log.
 * @throws CliError when it exits or stays silent before it is ready, naming its log.
 */
export async function startServiceProcess(o: ServiceProcessOptions): Promise<ServiceProcess> {
  const log = createWriteStream(o.logFile, { flags: 'a' });
  const child = spawn(process.execPath, [o.bin], {
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.pipe(log, { end: false });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`did not report ready within ${o.readyTimeoutMs ?? 30_000} ms`),
      o.readyTimeoutMs ?? 30_000,
    );
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new CliError(`${o.name} (${o.bin}) ${why}; see ${o.logFile}`));
    };
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));
    child.once('error', (e) => fail(`could not start: ${e.message}`));
    let ready = false;
    lines.on('line', (line) => {
      log.write(`${line}\n`);
      if (ready) return;
      try {
        const v = JSON.parse(line) as { service?: unknown; url?: unknown };
        if (typeof v.url === 'string' && typeof v.service === 'string') {
          ready = true;
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve(v.url);
        }
      } catch {
        // a log line before the ready line: keep waiting
      }
    });
  });
  return {
    name: o.name,
    url,
    pid: child.pid!,
    async health() {
      const res = await fetch(`${url}/health`);
      return (await res.json()) as Record<string, unknown>;
    },
    async stop(graceMs = 5000) {
      const gone = exited(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
      log.end();
    },
  };
}
