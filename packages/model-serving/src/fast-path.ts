import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerInvocation, type InvocationContext } from './answer.js';

/**
 * The `Content-Type` values the fast path takes as they come (lower case, as clients and the
 * SDK send them). Anything else, valid or not, goes through fastify, which owns the 415 for
 * a malformed media type.
 */
const FAST_CONTENT_TYPES = new Set(
  [
    'text/csv',
    'application/json',
    'application/jsonlines',
    'application/jsonl',
    'application/x-jsonlines',
    'application/x-ndjson',
  ].flatMap((t) => [t, `${t}; charset=utf-8`]),
);

// Endpoint names as SageMaker allows them (letters, digits, hyphens) plus a few unreserved
// characters; a name needing percent-decoding goes through fastify's router.
const RUNTIME_PATH = /^\/endpoints\/([A-Za-z0-9._~-]+)\/invocations$/;

/**
 * Serves the common invocation — `POST /invocations` or `POST /endpoints/{name}/invocations`
 * with a `Content-Length` body within `bodyLimit` and a supported content type — straight on
 * node:http, skipping fastify's router, hooks, content-type parser and reply pipeline, which
 * cost more CPU than scoring a single pair. The answer is the one the fastify route gives
 * (both call {@link answerInvocation}). Returns false, having touched nothing, for any other
 * request: fastify handles it (errors such as 413 and 415, other routes, chunked bodies).
 */
export function invocationFastPath(
  ctx: InvocationContext,
  bodyLimit: number,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    let endpointName: string | undefined;
    if (url !== '/invocations') {
      const match = RUNTIME_PATH.exec(url);
      if (!match) return false;
      endpointName = match[1];
    }
    const headers = req.headers;
    const contentType = headers['content-type'];
    if (contentType === undefined || !FAST_CONTENT_TYPES.has(contentType)) return false;
    if (headers['transfer-encoding'] !== undefined) return false;
    const length = Number(headers['content-length']);
    if (!(length > 0 && length <= bodyLimit)) return false;

    const requestId = randomUUID();
    let first: Buffer | undefined;
    let rest: Buffer[] | undefined;
    req.on('data', (chunk: Buffer) => {
      if (first === undefined) first = chunk;
      else if (rest === undefined) rest = [first, chunk];
      else rest.push(chunk);
    });
    // A client gone mid-body leaves nothing to answer; node closes the socket.
    req.on('error', () => {});
    req.on('end', () => {
      const body = rest ? Buffer.concat(rest) : first;
      const answer = answerInvocation(ctx, endpointName, body, contentType, headers.accept);
      const out = answer.headers;
      out['x-amzn-requestid'] = requestId;
      out['content-length'] = String(Buffer.byteLength(answer.body));
      res.writeHead(answer.statusCode, out);
      res.end(answer.body);
    });
    return true;
  };
}
