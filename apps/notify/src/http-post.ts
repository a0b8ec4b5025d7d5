import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { DeliveryError } from './errors.js';
import { type AllowList, type Resolver, resolveSafe } from './safe-address.js';

/** Options of {@link postChecked}. */
export interface PostOptions {
  targetId: string;
  headers: Record<string, string>;
  /** Unsafe addresses this target may reach. @default none */
  allow?: AllowList;
  /** @default 10000 */
  timeoutMs?: number;
  resolver?: Resolver;
}

/** What the endpoint answered. */
export interface HttpAnswer {
  status: number;
  body: string;
}

const RETRYABLE_STATUS = new Set([408, 409, 425, 429]);

/**
 * POSTs to an http(s) URL after {@link resolveSafe} has checked every address of its host;
 * the socket connects to the checked address (SNI and Host stay the URL's host). A 2xx
 * answer resolves; anything else throws {@link DeliveryError} (`http-<status>`, retryable
 * for 408/409/425/429/5xx; `timeout`, `connection-refused`, `network-error`, retryable).
 * Messages name the target, never the URL (it may carry a secret, like a Slack webhook).
 */
export async function postChecked(
  url: string,
  body: string,
  options: PostOptions,
): Promise<HttpAnswer> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new DeliveryError(
      'bad-url',
      `target ${options.targetId}: only http(s) URLs are delivered to`,
      false,
    );
  }
  const checked = await resolveSafe(
    parsed.hostname,
    options.targetId,
    options.allow ?? [],
    options.resolver,
  );
  const pinned: LookupFunction = (_host, opts, cb) => {
    if ((opts as { all?: boolean }).all) {
      (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        checked,
      ]);
    } else cb(null, checked.address, checked.family);
  };
  const send = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = send(
      parsed,
      {
        method: 'POST',
        lookup: pinned,
        headers: { ...options.headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= 64 * 1024) chunks.push(c);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ status, body: text });
          else
            reject(
              new DeliveryError(
                `http-${status}`,
                `target ${options.targetId}: answered HTTP ${status}: ${text.slice(0, 200)}`,
                status >= 500 || RETRYABLE_STATUS.has(status),
              ),
            );
        });
        res.on('error', (e) => reject(networkError(e, options.targetId)));
      },
    );
    req.on('timeout', () => {
      req.destroy(
        new DeliveryError(
          'timeout',
          `target ${options.targetId}: no answer within ${timeoutMs} ms`,
          true,
        ),
      );
    });
    req.on('error', (e) => reject(networkError(e, options.targetId)));
    req.end(body);
  });
}

function networkError(e: Error, targetId: string): DeliveryError {
  if (e instanceof DeliveryError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') {
    return new DeliveryError('connection-refused', `target ${targetId}: connection refused`, true);
  }
  return new DeliveryError('network-error', `target ${targetId}: ${code ?? 'network error'}`, true);
}
