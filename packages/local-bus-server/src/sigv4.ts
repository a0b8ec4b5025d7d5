import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './errors.js';

/** An access key the bus accepts. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const MAX_SKEW_MS = 15 * 60 * 1000;
const AUTH_RE =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data).digest();

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const v = headers[name];
  const s = Array.isArray(v) ? v.join(',') : (v ?? '');
  return s.trim().replace(/\s+/g, ' ');
}

/** Parts of a request that SigV4 signs. */
export interface SignableRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The hex SigV4 signature of `req` over `signedHeaders`. */
export function signature(
  req: SignableRequest,
  signedHeaders: string[],
  secret: string,
  amzDate: string,
  scope: { date: string; region: string; service: string },
): string {
  const [path, query = ''] = req.path.split('?', 2);
  const canonicalQuery = query.split('&').filter(Boolean).sort().join('&');
  const payloadHash = headerValue(req.headers, 'x-amz-content-sha256') || sha256(req.body);
  const canonical = [
    req.method,
    path,
    canonicalQuery,
    ...signedHeaders.map((h) => `${h}:${headerValue(req.headers, h)}`),
    '',
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scopeText = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scopeText, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${secret}`, scope.date);
  key = hmac(key, scope.region);
  key = hmac(key, scope.service);
  key = hmac(key, 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

function amzDateMs(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
}

/**
 * Verifies the SigV4 `Authorization` header the AWS SDK sends, throwing the errors AWS
 * returns: `MissingAuthenticationTokenException` (no signature),
 * `UnrecognizedClientException` (unknown access key), `InvalidSignatureException`
 * (bad signature, or a request time more than 15 minutes off).
 */
export function verifySigV4(
  req: SignableRequest,
  credentials: readonly Credentials[],
  now = Date.now(),
): void {
  const auth = headerValue(req.headers, 'authorization');
  if (!auth)
    throw new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
  const m = AUTH_RE.exec(auth);
  if (!m)
    throw new ApiError(
      'IncompleteSignatureException',
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters: ${auth.slice(0, 40)}…`,
    );
  const [, keyId, date, region, service, signed, given] = m as unknown as string[];
  const cred = credentials.find((c) => c.accessKeyId === keyId);
  if (!cred)
    throw new ApiError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  const amzDate = headerValue(req.headers, 'x-amz-date');
  const at = amzDateMs(amzDate);
  if (Number.isNaN(at) || amzDate.slice(0, 8) !== date)
    throw new ApiError(
      'IncompleteSignatureException',
      'X-Amz-Date must be set and match the credential scope date.',
    );
  if (Math.abs(now - at) > MAX_SKEW_MS)
    throw new ApiError(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier or later than 15 minutes from the server time.`,
    );
  const signedHeaders = (signed as string).split(';');
  if (!signedHeaders.includes('host'))
    throw new ApiError('InvalidSignatureException', "'Host' must be a signed header.");
  const expected = signature(req, signedHeaders, cred.secretAccessKey, amzDate, {
    date: date as string,
    region: region as string,
    service: service as string,
  });
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(given as string)))
    throw new ApiError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
}

/** Signs a request as the AWS SDK does (for clients of the local-only operations). */
export function signSigV4(
  req: SignableRequest,
  cred: Credentials,
  region: string,
  now = new Date(),
): Record<string, string> {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const headers = { ...req.headers, 'x-amz-date': amzDate };
  const signed = Object.keys(headers)
    .map((h) => h.toLowerCase())
    .sort();
  const scope = { date: amzDate.slice(0, 8), region, service: 'events' };
  const sig = signature({ ...req, headers }, signed, cred.secretAccessKey, amzDate, scope);
  return {
    'x-amz-date': amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=${cred.accessKeyId}/${scope.date}/${region}/events/aws4_request, SignedHeaders=${signed.join(';')}, Signature=${sig}`,
  };
}
