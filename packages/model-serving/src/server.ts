import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { answerInvocation, type InvocationContext } from './answer.js';
import { type ErrorAnswer, runtimeError } from './error-response.js';
import { ModelServingError } from './errors.js';
import { invocationFastPath } from './fast-path.js';
import type { ModelLoader, ServableModel } from './model.js';
import { ModelSlot } from './model-slot.js';
import { TokenBucket } from './throttle.js';

/** SageMaker Runtime's limit on an `InvokeEndpoint` request body: 6 MB. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

// Longer than the 60 s idle timeout of load balancers and SDK agents, so the server never
// closes a connection a client is about to reuse.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Options of {@link createModelServer}. */
export interface ModelServerOptions {
  /** A model to serve at once. Give this, `modelPath`, or both. */
  model?: ServableModel;
  /** The model artifact to load (and, with `watch`, reload when it changes). */
  modelPath?: string;
  /** Reads an artifact: the engine's `loadModel`. Required with `modelPath`. */
  loadModel?: ModelLoader;
  /** Reload the artifact when it changes on disk. @default true when `modelPath` is given */
  watch?: boolean;
  /** Address to bind. Lakewatch servers stay on loopback. @default '127.0.0.1' */
  host?: string;
  /** Port to bind; 0 picks a free one. @default 0 */
  port?: number;
  /**
   * The endpoint name `/endpoints/{name}/invocations` answers to; another name gets
   * SageMaker's "Endpoint … not found" `ValidationError`. @default any name is served
   */
  endpointName?: string;
  /** Largest request body in bytes. @default 6291456 (SageMaker's 6 MB) */
  bodyLimit?: number;
  /** Answer `ThrottlingException` above this many invocations a second. @default no limit */
  maxInvocationsPerSecond?: number;
  /** Region and account named in error messages and ARNs. @default 'us-east-1', '000000000000' */
  region?: string;
  accountId?: string;
  /** A pino logger for model loads and failed invocations (not every request). @default none */
  logger?: Logger;
}

/** A running (or ready to run) model server. */
export interface ModelServer {
  /** The fastify instance, for `inject` in tests. */
  readonly app: FastifyInstance;
  /** Holds the live model; `slot.swap(model)` and `slot.reload()` change it. */
  readonly slot: ModelSlot;
  /** Binds and returns the base URL, e.g. `http://127.0.0.1:8080`. */
  listen(): Promise<string>;
  /** The base URL once listening. */
  readonly url: string;
  /** Stops watching, lets in-flight requests finish, closes the port. */
  close(): Promise<void>;
}

type RouteStyle = 'runtime' | 'container';

function send(reply: FastifyReply, answer: ErrorAnswer): FastifyReply {
  return reply.code(answer.statusCode).headers(answer.headers).send(answer.body);
}

/**
 * Creates the SageMaker-compatible IP Insights server: `POST /endpoints/{name}/invocations`
 * as SageMaker Runtime serves it (the AWS SDK's `InvokeEndpointCommand` works against it
 * unchanged, errors included), and the container contract `GET /ping`, `POST /invocations`,
 * `GET /execution-parameters`. The model is hot-swapped without dropping requests.
 * @example
 * const server = createModelServer({ modelPath: 'model/', loadModel });
 * const url = await server.listen(); // SageMakerRuntimeClient({ endpoint: url })
 */
export function createModelServer(options: ModelServerOptions): ModelServer {
  const logger = options.logger;
  const watchArtifact = options.watch ?? options.modelPath !== undefined;
  const slot = new ModelSlot({
    model: options.model,
    path: options.modelPath,
    load: options.loadModel,
    onLoaded: (model, previous) =>
      logger?.info(
        { version: model.version, previous: previous?.version, path: options.modelPath },
        'model loaded',
      ),
    onLoadFailed: (error) => logger?.error({ err: error }, 'model load failed; keeping the old'),
  });
  if (!options.model && options.modelPath === undefined)
    throw new ModelServingError('createModelServer needs a model or a modelPath');
  const bodyLimit = options.bodyLimit ?? MAX_PAYLOAD_BYTES;
  const identity = {
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '000000000000',
  };
  const bucket =
    options.maxInvocationsPerSecond === undefined
      ? undefined
      : new TokenBucket(options.maxInvocationsPerSecond);

  const ctx: InvocationContext = {
    slot,
    bucket,
    logger,
    endpointName: options.endpointName,
    region: identity.region,
    accountId: identity.accountId,
  };
  // Invocations go straight to node:http (see invocationFastPath): fastify's per-request work
  // cost more CPU than scoring a single pair. Everything else, and every request the fast path
  // declines, is fastify's. Fastify's own per-request logging stays off; the server logs model
  // loads and failures through `logger` itself.
  const fastPath = invocationFastPath(ctx, bodyLimit);
  const app = Fastify({
    bodyLimit,
    return503OnClosing: false,
    serverFactory: (handler) => {
      const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        if (!fastPath(req, res)) handler(req, res);
      });
      // What fastify sets on a server it creates itself.
      server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
      server.requestTimeout = 0;
      server.setTimeout(0);
      return server;
    },
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) =>
    done(null, body),
  );

  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, request, reply) => {
    const style = (request.routeOptions.config as { style?: RouteStyle }).style ?? 'container';
    const tooLarge = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
    const message = tooLarge
      ? `Request body of ${request.headers['content-length'] ?? 'more than'} bytes exceeds the ${bodyLimit}-byte payload limit of InvokeEndpoint: split the pairs into smaller requests`
      : error.message;
    if (style === 'runtime')
      return send(
        reply,
        tooLarge || (error.statusCode ?? 500) < 500
          ? runtimeError('ValidationError', message)
          : runtimeError('InternalFailure', message),
      );
    return reply
      .code(tooLarge ? 413 : (error.statusCode ?? 500))
      .type('text/plain')
      .send(message);
  });

  // A Buffer body keeps the answer's content type as is: fastify appends '; charset=utf-8' to
  // string bodies, and the answer already holds the exact header.
  function invoke(request: FastifyRequest, reply: FastifyReply, endpointName?: string) {
    const answer = answerInvocation(
      ctx,
      endpointName,
      request.body as Buffer | undefined,
      request.headers['content-type'],
      request.headers.accept,
    );
    return reply
      .code(answer.statusCode)
      .headers(answer.headers)
      .send(Buffer.from(answer.body, 'utf8'));
  }

  // A callback hook, not an async one: it runs on every request, and a promise per request
  // shows in the single-pair latency.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('x-amzn-requestid', randomUUID());
    done();
  });

  app.post<{ Params: { name: string } }>(
    '/endpoints/:name/invocations',
    { config: { style: 'runtime' } },
    async (request, reply) => invoke(request, reply, request.params.name),
  );
  app.post('/invocations', { config: { style: 'container' } }, async (request, reply) =>
    invoke(request, reply),
  );
  app.get('/ping', async (_request, reply) => {
    const model = slot.model;
    if (!model) return reply.code(503).send({ status: 'NotReady' });
    return reply.send({ status: 'Healthy', modelVersion: model.version });
  });
  app.get('/execution-parameters', async () => ({
    MaxConcurrentTransforms: 1,
    BatchStrategy: 'MULTI_RECORD',
    MaxPayloadInMB: Math.floor(bodyLimit / (1024 * 1024)),
  }));

  let url = '';
  return {
    app,
    slot,
    get url() {
      return url;
    },
    async listen() {
      if (options.modelPath !== undefined && !options.model) {
        // A missing or broken artifact is not fatal: the server answers ModelNotReady until
        // a good artifact appears at the path (the watcher loads it).
        await slot.reload().catch(() => {});
      }
      if (watchArtifact) slot.watch();
      await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
      const address = app.server.address() as AddressInfo;
      url = `http://${address.address}:${address.port}`;
      return url;
    },
    async close() {
      slot.close();
      await app.close();
    },
  };
}
