import { requestFormat, responseSpec } from './content-types.js';
import { InvalidRequestError } from './errors.js';
import { formatPredictions } from './format-response.js';
import type { ServableModel } from './model.js';
import { parseInvocationBody } from './parse-request.js';

/** A successful invocation: the body and its content type. */
export interface InvocationResult {
  contentType: string;
  body: string;
  /** Pairs scored. */
  count: number;
}

/**
 * What the model container does for one request: parse the body by `contentType`, score
 * every pair with `model`, answer in the format `accept` asks for.
 * @throws InvalidRequestError (4xx) for a request the algorithm rejects; any other error is
 *   the model failing (the server answers 500 / `ModelError`).
 */
export function invokeModel(
  model: ServableModel,
  body: Buffer | string | undefined,
  contentType: string | undefined,
  accept: string | undefined,
): InvocationResult {
  const format = requestFormat(contentType);
  const spec = responseSpec(accept);
  if (body === undefined || body.length === 0)
    throw new InvalidRequestError('the request body is empty: send (entity, ip) pairs');
  const batch = parseInvocationBody(body, format);
  const dots = model.score(batch.entities, batch.ips);
  return {
    contentType: spec.contentType,
    body: formatPredictions(dots, batch, model, spec),
    count: batch.entities.length,
  };
}
