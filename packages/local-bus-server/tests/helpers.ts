import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { type LocalBus, type LocalBusOptions, startLocalBus } from '../src/index.js';

/** A request an HTTP target received. */
export interface Received {
  body: string;
  headers: IncomingHttpHeaders;
  url: string;
}

/** A real HTTP target on 127.0.0.1 that records what it receives. */
export interface TestTarget {
  url: string;
  received: Received[];
  /** Status to answer for the next requests (shifted per request); then 200. */
  failWith: number[];
  /** Resolves once `n` requests arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** Starts an HTTP target. */
export async function startTarget(): Promise<TestTarget> {
  const received: Received[] = [];
  const failWith: number[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = failWith.shift() ?? 200;
      if (status < 300)
        received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          headers: req.headers,
          url: req.url ?? '',
        });
      res.writeHead(status).end(status < 300 ? 'ok' : 'target says no');
      for (const w of waiters.filter((x) => received.length >= x.n)) w.resolve();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/events`,
    received,
    failWith,
    waitFor(n, timeoutMs = 10_000) {
      if (received.length >= n) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`target got ${received.length} of ${n} requests`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(received);
          },
        });
      });
    },
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A local bus on a free port in a fresh data folder, with an SDK client pointed at it. */
export interface Harness {
  bus: LocalBus;
  client: EventBridgeClient;
  dataDir: string;
  restart(extra?: Partial<LocalBusOptions>): Promise<void>;
  close(): Promise<void>;
}

/** The SDK client as any service would build it, pointed at `url`. */
export function sdkClient(
  url: string,
  accessKeyId = 'test',
  secretAccessKey = 'test',
): EventBridgeClient {
  return new EventBridgeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
  });
}

/** Starts a bus for a test (fast retries unless overridden). */
export async function startHarness(options: Partial<LocalBusOptions> = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'local-bus-'));
  const base: LocalBusOptions = {
    port: 0,
    retryBaseDelayMs: 20,
    retryMaxDelayMs: 100,
    log: () => {},
    ...options,
    dataDir,
  };
  const h: Harness = {
    bus: await startLocalBus(base),
    client: undefined as unknown as EventBridgeClient,
    dataDir,
    async restart(extra = {}) {
      await h.bus.close();
      h.bus = await startLocalBus({ ...base, port: h.bus.port, ...extra });
      h.client.destroy();
      h.client = sdkClient(h.bus.url);
    },
    async close() {
      h.client.destroy();
      await h.bus.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  h.client = sdkClient(h.bus.url);
  return h;
}

/** Polls `fn` until it returns a value that is not undefined. */
export async function eventually<T>(
  fn: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
