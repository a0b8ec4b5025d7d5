import { ApiError } from './errors.js';
import { LOCAL_TARGET_PREFIX } from './ops/dead-letters.js';
import { type Credentials, signSigV4 } from './sigv4.js';

/** Where a local bus runs and how to sign requests to it. */
export interface LocalBusClientOptions {
  /** @default 'http://127.0.0.1:4010' */
  endpoint?: string;
  /** Sign requests (needed when the bus was started with credentials). */
  credentials?: Credentials;
  /** Region in the signature scope. @default 'us-east-1' */
  region?: string;
}

/**
 * Calls one of the local bus's own operations (`LakewatchLocalBus.<op>`: ListDeadLetters,
 * RedriveDeadLetters, DeleteDeadLetters) with the EventBridge wire protocol.
 *
 * @throws {ApiError} with the bus's `__type` and message.
 * @example
 * const { DeadLetters } = await callLocalBus('ListDeadLetters', {}, { endpoint: 'http://127.0.0.1:4010' });
 */
export async function callLocalBus(
  op: string,
  input: object,
  options: LocalBusClientOptions = {},
): Promise<Record<string, unknown>> {
  const endpoint = new URL(options.endpoint ?? 'http://127.0.0.1:4010');
  const body = JSON.stringify(input);
  const headers: Record<string, string> = {
    host: endpoint.host,
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `${LOCAL_TARGET_PREFIX}.${op}`,
  };
  if (options.credentials)
    Object.assign(
      headers,
      signSigV4(
        { method: 'POST', path: '/', headers, body: Buffer.from(body) },
        options.credentials,
        options.region ?? 'us-east-1',
      ),
    );
  let res: Response;
  try {
    res = await fetch(new URL('/', endpoint), { method: 'POST', headers, body });
  } catch (cause) {
    throw new ApiError(
      'ConnectionError',
      `cannot reach the local bus at ${endpoint.origin}: ${(cause as Error).message}`,
      0,
    );
  }
  const out = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok)
    throw new ApiError(
      String(out.__type ?? `HTTP${res.status}`),
      String(out.message ?? res.statusText),
      res.status,
    );
  return out;
}
