import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Engine } from './engine.js';
import { ApiError } from './errors.js';
import { archiveOperations } from './ops/archives.js';
import { busOperations } from './ops/buses.js';
import { deadLetterOperations, LOCAL_TARGET_PREFIX } from './ops/dead-letters.js';
import { eventOperations } from './ops/events.js';
import { replayOperations } from './ops/replays.js';
import { ruleOperations } from './ops/rules.js';
import { targetOperations } from './ops/targets.js';
import type { Operations } from './ops/types.js';
import { type LocalBusOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { applyRouting } from './routing-apply.js';
import { verifySigV4 } from './sigv4.js';
import type { Input } from './validate.js';

/** A running local bus. */
export interface LocalBus {
  /** `http://127.0.0.1:<port>`: the endpoint for `@aws-sdk/client-eventbridge`. */
  readonly url: string;
  readonly port: number;
  /** The engine behind the API (state, event log, delivery). */
  readonly engine: Engine;
  /** Stops accepting requests and closes the data files; owed deliveries resume at the next start. */
  close(): Promise<void>;
}

const JSON_TYPE = 'application/x-amz-json-1.1';

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  errorType?: string,
): void {
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size <= limit) return void chunks.push(c);
      // Answer now; the rest of the body is read and dropped so the client sees the answer.
      req.off('data', onData);
      req.resume();
      reject(
        new ApiError(
          'RequestEntityTooLargeException',
          `Request body is larger than ${limit} bytes.`,
          413,
        ),
      );
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** What `GET /health` reports: liveness plus the delivery backlog. */
function health(engine: Engine): Record<string, unknown> {
  return {
    status: 'ok',
    pendingDeliveries: engine.eventLog.pendingDeliveries,
    deadLetters: engine.deadLetters.list().length,
    eventBuses: engine.buses.size,
    rules: [...engine.rules.values()].reduce((n, m) => n + m.size, 0),
    archives: engine.archives.size,
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  engine: Engine,
  ops: Map<string, Operations[string]>,
  o: ResolvedOptions,
): Promise<void> {
  const requestId = randomUUID();
  try {
    if (req.method === 'GET' && req.url === '/health')
      return send(res, 200, health(engine), requestId);
    if (req.method !== 'POST' || (req.url ?? '/').split('?')[0] !== '/')
      throw new ApiError(
        'UnknownOperationException',
        `${req.method} ${req.url} is not an EventBridge operation.`,
        404,
      );
    const body = await readBody(req, o.maxRequestBytes);
    if (o.credentials.length > 0)
      verifySigV4(
        { method: 'POST', path: req.url ?? '/', headers: req.headers, body },
        o.credentials,
      );
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = ops.get(target);
    if (!op)
      throw new ApiError(
        'UnknownOperationException',
        `Unknown operation ${target || '(no X-Amz-Target)'}.`,
      );
    let input: Input;
    try {
      input = body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as Input);
    } catch {
      throw new ApiError('SerializationException', 'The request body is not valid JSON.');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new ApiError('SerializationException', 'The request body must be a JSON object.');
    send(res, 200, await op(input), requestId);
  } catch (e) {
    if (e instanceof ApiError)
      return send(res, e.status, { __type: e.type, message: e.message }, requestId, e.type);
    o.log(`internal error: ${(e as Error).stack ?? String(e)}`);
    send(
      res,
      500,
      { __type: 'InternalException', message: (e as Error).message },
      requestId,
      'InternalException',
    );
  }
}

/**
 * Starts a local EventBridge: opens (and recovers) the data directory, applies the routing
 * file, resumes owed deliveries and listens on `host:port`.
 *
 * @example
 * const bus = await startLocalBus({ dataDir: '.lakewatch/bus', port: 4010 });
 * const client = new EventBridgeClient({ endpoint: bus.url, region: 'us-east-1' });
 */
export async function startLocalBus(options: LocalBusOptions): Promise<LocalBus> {
  const o = resolveOptions(options);
  mkdirSync(o.dataDir, { recursive: true });
  const engine = new Engine({ ...o, targetUrls: { ...o.targetUrls } });
  try {
    if (o.routing) applyRouting(engine, o.routing);
    await engine.trimArchives();
  } catch (e) {
    await engine.close();
    throw e;
  }
  const ops = new Map<string, Operations[string]>();
  for (const group of [
    eventOperations,
    ruleOperations,
    targetOperations,
    busOperations,
    archiveOperations,
    replayOperations,
  ])
    for (const [name, fn] of Object.entries(group(engine))) ops.set(`AWSEvents.${name}`, fn);
  for (const [name, fn] of Object.entries(deadLetterOperations(engine)))
    ops.set(`${LOCAL_TARGET_PREFIX}.${name}`, fn);
  const server: Server = createServer((req, res) => void handle(req, res, engine, ops, o));
  server.keepAliveTimeout = 65_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => resolve());
    });
  } catch (e) {
    await engine.close();
    throw e;
  }
  engine.resume();
  const port = (server.address() as AddressInfo).port;
  const trim = setInterval(() => {
    engine
      .trimArchives()
      .catch((e: unknown) => o.log(`archive retention: ${(e as Error).message}`));
  }, o.retentionIntervalMs);
  trim.unref();
  return {
    url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`,
    port,
    engine,
    async close() {
      clearInterval(trim);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await engine.close();
    },
  };
}
