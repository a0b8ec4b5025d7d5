import { InvalidRequestError } from './errors.js';

/** The request body formats IP Insights accepts, as SageMaker documents them. */
export type RequestFormat = 'csv' | 'json' | 'jsonlines';

/** The response formats IP Insights answers with. */
export type ResponseFormat = 'json' | 'jsonlines';

/** What an `Accept` header asks for: the format, and whether embeddings are wanted. */
export interface ResponseSpec {
  format: ResponseFormat;
  /** `;verbose=True`: each prediction also carries `entity_embedding` and `ip_embedding`. */
  verbose: boolean;
  /** The media type echoed back in `Content-Type`. */
  contentType: string;
}

const REQUEST_TYPES: Record<string, RequestFormat> = {
  'text/csv': 'csv',
  'application/json': 'json',
  'application/jsonlines': 'jsonlines',
  'application/jsonl': 'jsonlines',
  'application/x-jsonlines': 'jsonlines',
  'application/x-ndjson': 'jsonlines',
};

const RESPONSE_TYPES: Record<string, ResponseFormat> = {
  'application/json': 'json',
  'application/jsonlines': 'jsonlines',
  'application/jsonl': 'jsonlines',
  'application/x-jsonlines': 'jsonlines',
  'application/x-ndjson': 'jsonlines',
};

const DEFAULT_RESPONSE: ResponseSpec = {
  format: 'json',
  verbose: false,
  contentType: 'application/json',
};

function mediaType(value: string): string {
  const semi = value.indexOf(';');
  return (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
}

/**
 * The request format of a `Content-Type` header (parameters such as `charset` are ignored).
 * @throws InvalidRequestError (415) naming the type when it is missing or not supported.
 */
export function requestFormat(contentType: string | undefined): RequestFormat {
  if (!contentType)
    throw new InvalidRequestError(
      'missing Content-Type: send text/csv, application/json or application/jsonlines',
      { statusCode: 415 },
    );
  const format = REQUEST_TYPES[mediaType(contentType)];
  if (!format)
    throw new InvalidRequestError(
      `Content-Type '${contentType}' is not supported: send text/csv, application/json or application/jsonlines`,
      { statusCode: 415 },
    );
  return format;
}

/**
 * The response an `Accept` header asks for: the first supported media range wins, `*\/*`
 * and a missing header mean `application/json`; `verbose=True` (any case) adds embeddings.
 * @throws InvalidRequestError (406) naming the header when nothing in it is supported.
 */
export function responseSpec(accept: string | undefined): ResponseSpec {
  if (!accept || accept === '*/*' || accept === 'application/json') return DEFAULT_RESPONSE;
  for (const range of accept.split(',')) {
    const type = mediaType(range);
    const verbose = /;\s*verbose\s*=\s*"?true"?\s*(;|$)/i.test(range);
    if (type === '*/*' || type === 'application/*')
      return verbose ? { ...DEFAULT_RESPONSE, verbose } : DEFAULT_RESPONSE;
    const format = RESPONSE_TYPES[type];
    if (format) return { format, verbose, contentType: type };
  }
  throw new InvalidRequestError(
    `Accept '${accept}' is not supported: ask for application/json or application/jsonlines (with ;verbose=True for embeddings)`,
    { statusCode: 406 },
  );
}
