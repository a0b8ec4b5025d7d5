/** Helpers for tests that run the built score service as a process (bin/score.js). */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const BIN = join(import.meta.dirname, '../bin/score.js');
/** Credentials the SDK signs with (the local bus checks no signature). */
export const CREDS = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
};

/** An HTTP bus target recording every event it receives. */
export interface Receiver {
  url: string;
  events: Record<string, unknown>[];
  server: Server;
}

/** Starts a {@link Receiver} on a free port of 127.0.0.1. */
export async function receiver(): Promise<Receiver> {
  const events: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      events.push(JSON.parse(body));
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, events, server };
}

/** Starts bin/score.js with `env` and resolves with its address once it printed its ready line. */
export async function startScore(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn('node', [BIN], {
    env: { ...process.env, ...CREDS, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`score exited with ${code}`)));
    lines.on('line', (line) => {
      if (line.startsWith('{"service":"score"')) resolve(JSON.parse(line).url as string);
    });
  });
  return { child, url };
}

/** Polls `what` every 50 ms until it gives a value (or `ms` passed). */
export async function until<T>(what: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls the service's `/health` until `ok` holds (or `ms` passed). */
export async function healthWhen(
  url: string,
  ok: (health: Record<string, unknown>) => boolean,
  ms = 15_000,
): Promise<Record<string, unknown>> {
  const end = Date.now() + ms;
  for (;;) {
    const health = (await (await fetch(`${url}/health`)).json()) as Record<string, unknown>;
    if (ok(health)) return health;
    if (Date.now() > end) throw new Error(`health never matched: ${JSON.stringify(health)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
