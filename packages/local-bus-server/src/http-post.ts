import { Pool } from 'undici';
import {
  ERROR_TEXT_BYTES,
  type Http1Origin,
  http1Origin,
  http1Post,
  requestHead,
} from './http1.js';

/** The outcome of one POST to a target. */
export interface PostResult {
  ok: boolean;
  /** Worth another attempt (network error, timeout, 401, 407, 409, 429, 5xx). */
  retryable: boolean;
  error?: string;
}

/**
 * A target URL made ready for requests once, rather than parsed for every delivery: the
 * connection pool of its origin, the request path, and the URL's name for error messages.
 */
export interface PostEndpoint {
  readonly url: URL;
  /** `origin` + `pathname`, as error messages name the target. */
  readonly name: string;
  readonly https: boolean;
  /** Path and query string, as sent in the request line. */
  readonly path: string;
  /** https: undici's connection pool of the origin. */
  readonly pool?: Pool;
  /** http: the lean HTTP/1.1 client's connections to the origin. */
  readonly origin?: Http1Origin;
}

// One undici pool per target origin, shared by every target on it: keep-alive connections,
// one request at a time on each (no pipelining), at most 256 connections as before.
const pools = new Map<string, Pool>();

function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, { connections: 256, pipelining: 1, keepAliveTimeout: 4_000 });
    pools.set(origin, pool);
  }
  return pool;
}

/** Prepares `url` for {@link post}. */
export function postEndpoint(url: URL): PostEndpoint {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`unsupported protocol ${url.protocol} in ${url.href}`);
  return {
    url,
    name: `${url.origin}${url.pathname}`,
    https: url.protocol === 'https:',
    path: `${url.pathname}${url.search}`,
    ...(url.protocol === 'https:' ? { pool: poolFor(url.origin) } : { origin: http1Origin(url) }),
  };
}

// EventBridge retries API destinations on these statuses and on 5xx; other 4xx are final.
const RETRY_STATUSES = new Set([401, 407, 409, 429]);

/**
 * Headers sent with every delivery, as undici's flat [name, value, ...] list. undici sets
 * content-length from the body itself.
 */
const BASE_HEADERS = ['content-type', 'application/json; charset=utf-8'];

/**
 * POSTs `body` to `url` (a URL, or an endpoint from {@link postEndpoint}); never throws.
 * `headers` are added to the content type. The timeout covers waiting for
 * the response headers and then for each part of the body; undici keeps these timeouts on
 * one shared coarse timer rather than a timer per request.
 */
export function post(
  url: URL | PostEndpoint,
  body: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<PostResult> {
  const endpoint = url instanceof URL ? postEndpoint(url) : url;
  if (endpoint.origin) return postHttp1(endpoint, endpoint.origin, body, headers, timeoutMs);
  const pool = endpoint.pool as Pool;
  const flat = BASE_HEADERS.concat(...Object.entries(headers));
  return new Promise((resolve) => {
    let status = 0;
    let text: Buffer[] | undefined;
    let textBytes = 0;
    let done = false;
    const finish = (r: PostResult): void => {
      if (!done) {
        done = true;
        resolve(r);
      }
    };
    // undici's own handler interface (the one its request() is built on): no stream and no
    // header parsing for a response only its status matters of.
    const handler = {
      onConnect(): void {},
      onHeaders(statusCode: number): boolean {
        status = statusCode;
        if (status < 200 || status >= 300) text = [];
        return true;
      },
      onData(chunk: Buffer): boolean {
        if (text && textBytes < ERROR_TEXT_BYTES) {
          text.push(chunk);
          textBytes += chunk.length;
        }
        return true;
      },
      onComplete(): void {
        if (status >= 200 && status < 300) {
          finish({ ok: true, retryable: false });
          return;
        }
        const t = text ? Buffer.concat(text).toString('utf8').slice(0, ERROR_TEXT_BYTES) : '';
        finish({
          ok: false,
          retryable: status >= 500 || RETRY_STATUSES.has(status),
          error: `HTTP ${status} from ${endpoint.name}${t ? `: ${t}` : ''}`,
        });
      },
      onError(err: Error & { code?: string }): void {
        const timedOut =
          err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT';
        finish({
          ok: false,
          retryable: true,
          error: timedOut
            ? `no response from ${endpoint.name} within ${timeoutMs} ms`
            : err.message || String(err.code ?? err),
        });
      },
    };
    try {
      pool.dispatch(
        {
          origin: endpoint.url.origin,
          path: endpoint.path,
          method: 'POST',
          headers: flat,
          body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        },
        // The legacy handler shape is what undici dispatches to without wrapping.
        handler as unknown as Parameters<Pool['dispatch']>[1],
      );
    } catch (e) {
      finish({ ok: false, retryable: true, error: (e as Error).message });
    }
  });
}

/** {@link post} over the lean HTTP/1.1 client (plain http targets). */
function postHttp1(
  endpoint: PostEndpoint,
  origin: Http1Origin,
  body: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<PostResult> {
  let head: string;
  try {
    head = requestHead(origin, endpoint.path, body, headers);
  } catch (e) {
    return Promise.resolve({ ok: false, retryable: true, error: (e as Error).message });
  }
  return new Promise((resolve) =>
    http1Post(origin, head, body, timeoutMs, (r) => {
      if (r.error !== undefined) {
        resolve({
          ok: false,
          retryable: true,
          error: r.timedOut ? `no response from ${endpoint.name} within ${timeoutMs} ms` : r.error,
        });
        return;
      }
      const status = r.status;
      if (status >= 200 && status < 300) {
        resolve({ ok: true, retryable: false });
        return;
      }
      // The body was read as latin1 (one char per byte); decode its start as UTF-8.
      const t = Buffer.from(r.text, 'latin1').toString('utf8').slice(0, ERROR_TEXT_BYTES);
      resolve({
        ok: false,
        retryable: status >= 500 || RETRY_STATUSES.has(status),
        error: `HTTP ${status} from ${endpoint.name}${t ? `: ${t}` : ''}`,
      });
    }),
  );
}
