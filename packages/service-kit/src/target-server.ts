import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AnyLakewatchEvent,
  ContractError,
  type DetailType,
  parseEvent,
} from '@lakewatch/contracts';
import type { Logger } from 'pino';
import { type IdempotencyStore, MemoryIdempotencyStore } from './idempotency.js';

/** An extra JSON route a service serves besides `/events` (e.g. ingest's "ingest this object"). */
export type JsonRoute = (body: unknown) => Promise<{ status: number; body: unknown }>;

/** Options of {@link startTargetServer}. */
export interface TargetServerOptions {
  /** Detail types this service consumes; others are refused (400). */
  accepts: readonly DetailType[];
  /** Handles one validated event; throwing makes the bus retry it (500). */
  handle: (event: AnyLakewatchEvent) => Promise<void>;
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Largest request body. @default 1 MiB (an EventBridge event is at most 256 KB) */
  bodyLimitBytes?: number;
  /** Dedupe on the event id. @default an in-memory store */
  idempotency?: IdempotencyStore;
  /** POST routes besides `/events`, by path. */
  routes?: Readonly<Record<string, JsonRoute>>;
  /** What `/health` reports besides `status`. */
  health?: () => Record<string, unknown>;
  logger?: Logger;
}

/** A running target server. */
export interface TargetServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Answer now and drop the rest of the body; the connection closes after the answer.
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, 'body-too-large', `request body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Serves a service as an HTTP target of the local bus: `POST /events` receives an EventBridge
 * event, validates it against its contract (400 when it is off-contract or of a type this
 * service does not consume: the bus dead-letters it with the reason instead of retrying),
 * runs `handle` once per event id (a duplicate answers 200 without running), and answers 500
 * when `handle` fails so the bus retries. `GET /health` answers `{status: "ok"}`.
 */
export async function startTargetServer(options: TargetServerOptions): Promise<TargetServer> {
  const idempotency = options.idempotency ?? new MemoryIdempotencyStore();
  const limit = options.bodyLimitBytes ?? 1024 * 1024;
  const log = options.logger;

  async function onEvent(text: string): Promise<{ status: number; body: unknown }> {
    let event: AnyLakewatchEvent;
    try {
      event = parseEvent(text);
    } catch (e) {
      if (e instanceof ContractError) throw new HttpError(400, 'invalid-event', e.message);
      throw e;
    }
    if (!options.accepts.includes(event['detail-type'])) {
      throw new HttpError(
        400,
        'unexpected-detail-type',
        `this service does not consume ${event['detail-type']}`,
      );
    }
    const outcome = await idempotency.once(event.id, () => options.handle(event));
    log?.debug(
      { eventId: event.id, detailType: event['detail-type'], duplicate: outcome.duplicate },
      'event',
    );
    return {
      status: 200,
      body: { status: outcome.duplicate ? 'duplicate' : 'processed', id: event.id },
    };
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/health') {
      send(res, 200, { status: 'ok', ...options.health?.() });
      return;
    }
    const route = path === '/events' ? undefined : options.routes?.[path];
    if (req.method !== 'POST' || (path !== '/events' && !route)) {
      send(res, 404, { error: 'not-found', message: `no route ${req.method} ${path}` });
      return;
    }
    readBody(req, limit)
      .then(async (text) => {
        if (!route) return onEvent(text);
        let body: unknown;
        try {
          body = text === '' ? {} : JSON.parse(text);
        } catch (e) {
          throw new HttpError(400, 'invalid-json', `body is not JSON: ${(e as Error).message}`);
        }
        return route(body);
      })
      .then(
        (r) => send(res, r.status, r.body),
        (e: unknown) => {
          if (e instanceof HttpError) {
            log?.warn({ path, code: e.code, err: e.message }, 'request refused');
            if (e.status === 413) res.setHeader('connection', 'close');
            if (!res.headersSent) send(res, e.status, { error: e.code, message: e.message });
            return;
          }
          log?.error({ path, err: e }, 'handler failed');
          send(res, 500, {
            error: 'handler-failed',
            message: e instanceof Error ? e.message : String(e),
          });
        },
      );
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeIdleConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Runs a started service process until SIGTERM or SIGINT: prints one JSON line
 * `{"service", "url"}` on stdout (what supervisors such as `lakewatch up` and the process
 * tests read for the address), then on a signal closes the server, runs `onStop` (close
 * stores) and exits 0.
 */
export function runUntilSignalled(
  service: string,
  server: TargetServer,
  onStop: () => void = () => {},
): void {
  process.stdout.write(`${JSON.stringify({ service, url: server.url })}\n`);
  const stop = async () => {
    await server.close();
    onStop();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
