import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/ingest.js', import.meta.url));

/** The real ingest process and the JSON log lines it has written. */
export interface IngestProcess {
  child: ChildProcess;
  url: string;
  logs: Record<string, unknown>[];
  stop(): Promise<number | null>;
}

/** Starts `bin/ingest.js` (from `dist/`) on a free port and waits for its "listening" line. */
export async function startIngestProcess(env: Record<string, string>): Promise<IngestProcess> {
  const child = spawn(process.execPath, [BIN], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      LOG_LEVEL: 'info',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
      ...env,
    },
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'listening') resolve(String(entry.url));
    });
    child.on('exit', (code) => reject(new Error(`ingest exited ${code}: ${stderr}`)));
  });
  return {
    child,
    url,
    logs,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/** A real HTTP receiver standing in for a rule's target: keeps every event POSTed to it. */
export interface Receiver {
  url: string;
  events: {
    path: string;
    event: { id: string; 'detail-type': string; detail: Record<string, unknown> };
  }[];
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 that answers 200 to every POST. */
export async function startReceiver(): Promise<Receiver> {
  const events: Receiver['events'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      events.push({
        path: req.url ?? '/',
        event: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Waits until `check` holds (polling), or fails after `timeoutMs` with `what`. */
export async function waitFor(
  what: string,
  check: () => boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
