import { REPO_ROOT } from '../stack/paths.js';
import { spawnLogged, stopPid, waitForReadyUrl } from '../stack/process.js';

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

/**
 * Starts `node <bin>` for this run only (in the starter's process group, so a Ctrl-C stops it
 * too) with its output appended to `logFile`, and waits for its ready line
 * `{"service": …, "url": …}`: the stack's own process helpers.
 * @throws StackError when it exits or stays silent before it is ready, with its last log lines.
 */
export async function startServiceProcess(o: ServiceProcessOptions): Promise<ServiceProcess> {
  const proc = spawnLogged({
    args: [o.bin],
    env: { ...process.env, ...o.env },
    logPath: o.logFile,
    cwd: REPO_ROOT,
    detached: false,
  });
  let url: string;
  try {
    url = await waitForReadyUrl(o.name, proc, o.readyTimeoutMs ?? 30_000);
  } catch (e) {
    await stopPid(proc.pid, 0);
    throw e;
  }
  return {
    name: o.name,
    url,
    pid: proc.pid,
    async health() {
      const res = await fetch(`${url}/health`);
      return (await res.json()) as Record<string, unknown>;
    },
    async stop(graceMs = 5000) {
      await stopPid(proc.pid, graceMs);
      await proc.exited;
    },
  };
}
