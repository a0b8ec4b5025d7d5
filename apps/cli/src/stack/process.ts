import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackError } from './errors.js';

/** Options of {@link spawnLogged}. */
export interface SpawnLoggedOptions {
  /** Program arguments after `node`. */
  args: readonly string[];
  /** The whole environment of the child. */
  env: NodeJS.ProcessEnv;
  /** File the child's stdout and stderr are appended to. */
  logPath: string;
  cwd: string;
  /**
   * Its own process group, outliving the starter (the stack). `false`: the starter's group, so a
   * Ctrl-C reaches it too (processes a command starts for its own run only).
   * @default true
   */
  detached?: boolean;
}

/** A started process and where its output goes. */
export interface LoggedProcess {
  pid: number;
  logPath: string;
  /** Size of the log file when the process started: its own output begins here. */
  logOffset: number;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `node <args>` in its own process group with stdout and stderr appended to a log file
 * (not piped: the process keeps running, and logging, when the starter exits).
 */
export function spawnLogged(options: SpawnLoggedOptions): LoggedProcess {
  const fd = openSync(options.logPath, 'a');
  let offset: number;
  try {
    offset = readFileSync(options.logPath).length;
    const child = spawn(process.execPath, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', fd, fd],
      // Own process group: a Ctrl-C in the terminal reaches only the supervisor, which stops
      // the stack in order; and a detached stack outlives `lakewatch up --detach`.
      detached: options.detached ?? true,
    });
    if (child.pid === undefined) throw new StackError(`could not start node ${options.args[0]}`);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.once('exit', (code, signal) => r({ code, signal })),
    );
    if (options.detached ?? true) child.unref();
    return { pid: child.pid, logPath: options.logPath, logOffset: offset, exited };
  } finally {
    closeSync(fd);
  }
}

/** Reads a log file from `offset` (the text a process wrote since it started). */
export async function readLogFrom(path: string, offset: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size <= offset) return '';
    const buffer = Buffer.alloc(size - offset);
    await handle.read(buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The last lines of a text, for error messages. */
export function tail(text: string, lines = 12): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * The address a process announces when it is ready: a JSON line with a `url`
 * (`{"service":"score","url":…}`, or a pino `listening` line), or `… listening on <url>`.
 */
export function readyUrlOf(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t.startsWith('{')) {
      try {
        const url = (JSON.parse(t) as { url?: unknown }).url;
        if (typeof url === 'string' && /^https?:\/\//.test(url)) return url;
      } catch {
        // not JSON: a plain log line
      }
      continue;
    }
    const m = /listening on (https?:\/\/\S+)/.exec(t);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/**
 * Waits until a started process prints its ready line; fails with the log's last lines if it
 * exits first or takes longer than `timeoutMs`.
 */
export async function waitForReadyUrl(
  name: string,
  proc: LoggedProcess,
  timeoutMs: number,
): Promise<string> {
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void proc.exited.then((e) => {
    exit = e;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await readLogFrom(proc.logPath, proc.logOffset);
    const url = readyUrlOf(text);
    if (url) return url;
    if (exit)
      throw new StackError(
        `${name} exited (${exit.signal ?? `code ${exit.code}`}) before it was ready; last lines of ${proc.logPath}:\n${tail(text)}`,
      );
    if (Date.now() > deadline)
      throw new StackError(
        `${name} printed no ready line within ${timeoutMs} ms; last lines of ${proc.logPath}:\n${tail(text)}`,
      );
    await sleep(50);
  }
}

/** Whether a process with this id exists (and is not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // A zombie has exited; only its parent has not collected it yet.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/**
 * Whether `pid` still runs the program we started (its command line names `bin`), so that a
 * stale state file never makes us signal a process that reused the id. Where `/proc` is
 * unavailable, the id alone is trusted.
 */
export function runsProgram(pid: number, bin: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(bin);
  } catch {
    return true;
  }
}

/** How a process ended when it was stopped. */
export type StopOutcome = 'not-running' | 'terminated' | 'killed';

/**
 * Stops a process: SIGTERM, then SIGKILL if it is still there after `graceMs`; resolves once
 * it is gone.
 */
export async function stopPid(pid: number, graceMs: number): Promise<StopOutcome> {
  if (!isAlive(pid)) return 'not-running';
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return 'not-running';
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'terminated';
    await sleep(25);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return 'terminated';
  }
  for (let i = 0; i < 200 && isAlive(pid); i++) await sleep(25);
  return 'killed';
}
