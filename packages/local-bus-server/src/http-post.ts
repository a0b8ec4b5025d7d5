import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256 });

/** The outcome of one POST to a target. */
export interface PostResult {
  ok: boolean;
  /** Worth another attempt (network error, timeout, 401, 407, 409, 429, 5xx). */
  retryable: boolean;
  error?: string;
}

/**
 * A target URL made ready for requests once, rather than parsed for every delivery: the
 * request options node:http needs, and the URL's name for error messages.
 */
export interface PostEndpoint {
  readonly url: URL;
  /** `origin` + `pathname`, as error messages name the target. */
  readonly name: string;
  readonly https: boolean;
  readonly options: Readonly<http.RequestOptions>;
}

/** Prepares `url` for {@link post}. */
export function postEndpoint(url: URL): PostEndpoint {
  const secure = url.protocol === 'https:';
  return {
    url,
    name: `${url.origin}${url.pathname}`,
    https: secure,
    options: {
      ...urlToHttpOptions(url),
      method: 'POST',
      agent: secure ? httpsAgent : httpAgent,
    },
  };
}

// EventBridge retries API destinations on these statuses and on 5xx; other 4xx are final.
const RETRY_STATUSES = new Set([401, 407, 409, 429]);

/** POSTs `body` to `url` (a URL, or an endpoint from {@link postEndpoint}); never throws. */
export function post(
  url: URL | PostEndpoint,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<PostResult> {
  const endpoint = url instanceof URL ? postEndpoint(url) : url;
  return new Promise((resolve) => {
    const mod = endpoint.https ? https : http;
    const req = mod.request(
      {
        ...endpoint.options,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': String(Buffer.byteLength(body)),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          if (chunks.length < 4) chunks.push(c);
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve({ ok: true, retryable: false });
          const text = Buffer.concat(chunks).toString('utf8').slice(0, 300);
          resolve({
            ok: false,
            retryable: status >= 500 || RETRY_STATUSES.has(status),
            error: `HTTP ${status} from ${endpoint.name}${text ? `: ${text}` : ''}`,
          });
        });
        res.on('error', (e) => resolve({ ok: false, retryable: true, error: e.message }));
      },
    );
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`no response from ${endpoint.name} within ${timeoutMs} ms`)),
    );
    req.on('error', (e) => resolve({ ok: false, retryable: true, error: e.message }));
    req.end(body);
  });
}
