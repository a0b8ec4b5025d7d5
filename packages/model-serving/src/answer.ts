import type { Logger } from 'pino';
import {
  containerError,
  type EndpointIdentity,
  type ErrorAnswer,
  modelError,
  runtimeError,
} from './error-response.js';
import { invokeModel } from './invoke.js';
import type { ModelSlot } from './model-slot.js';
import type { TokenBucket } from './throttle.js';

/**
 * A complete HTTP answer to an invocation: status, the final headers (content type included,
 * exactly as sent) and the body. Both the fastify routes and the raw fast path send it as is,
 * so the two cannot drift apart.
 */
export interface InvocationAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** What answering an invocation needs, built once per server. */
export interface InvocationContext {
  slot: ModelSlot;
  bucket: TokenBucket | undefined;
  logger: Logger | undefined;
  /** The only endpoint name served; any name when undefined. */
  endpointName: string | undefined;
  region: string;
  accountId: string;
}

// Error bodies went out as strings through fastify, which adds the charset to a JSON type;
// the answers keep those exact headers.
const JSON_UTF8 = 'application/json; charset=utf-8';
const TEXT = 'text/plain';

function runtimeAnswer(answer: ErrorAnswer): InvocationAnswer {
  return {
    statusCode: answer.statusCode,
    headers: { ...answer.headers, 'content-type': JSON_UTF8 },
    body: answer.body,
  };
}

function containerAnswer(statusCode: number, message: string): InvocationAnswer {
  return { statusCode, headers: { 'content-type': TEXT }, body: message };
}

/**
 * Answers one invocation: `endpointName` for `POST /endpoints/{name}/invocations` (SageMaker
 * Runtime errors), `undefined` for the container's `POST /invocations` (plain status codes).
 */
export function answerInvocation(
  ctx: InvocationContext,
  endpointName: string | undefined,
  body: Buffer | undefined,
  contentType: string | undefined,
  accept: string | undefined,
): InvocationAnswer {
  let id: EndpointIdentity | undefined;
  if (endpointName !== undefined) {
    if (ctx.endpointName !== undefined && endpointName !== ctx.endpointName)
      return runtimeAnswer(
        runtimeError(
          'ValidationError',
          `Endpoint ${endpointName} of account ${ctx.accountId} not found.`,
        ),
      );
    id = { endpointName, region: ctx.region, accountId: ctx.accountId };
  }
  if (ctx.bucket && !ctx.bucket.take())
    return id
      ? runtimeAnswer(runtimeError('ThrottlingException', 'Rate exceeded'))
      : containerAnswer(429, 'Rate exceeded');
  const model = ctx.slot.model;
  if (!model)
    return id
      ? runtimeAnswer(
          runtimeError(
            'ModelNotReadyException',
            `Model for endpoint ${id.endpointName} is not ready: ${ctx.slot.path ?? 'the model'} has not loaded yet`,
          ),
        )
      : containerAnswer(503, 'no model loaded yet');
  try {
    const result = invokeModel(model, body, contentType, accept);
    return {
      statusCode: 200,
      headers: id
        ? {
            'x-amzn-invoked-production-variant': 'AllTraffic',
            'content-type': result.contentType,
          }
        : { 'content-type': result.contentType },
      body: result.body,
    };
  } catch (error) {
    const { statusCode, message } = containerError(error);
    if (statusCode >= 500) ctx.logger?.error({ err: error }, 'invocation failed');
    return id
      ? runtimeAnswer(modelError(id, statusCode, message))
      : containerAnswer(statusCode, message);
  }
}
