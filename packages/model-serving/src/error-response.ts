import { InvalidRequestError, InvokeEndpointError, type InvokeErrorType } from './errors.js';

/** An error answer: status, headers and JSON body, as SageMaker Runtime sends it. */
export interface ErrorAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Where the endpoint "lives", for the messages and ARNs SageMaker puts in errors. */
export interface EndpointIdentity {
  endpointName: string;
  region: string;
  accountId: string;
}

/** A SageMaker Runtime error: `X-Amzn-ErrorType` names the SDK exception, the body its fields. */
export function runtimeError(
  errorType: InvokeErrorType,
  message: string,
  extra: Record<string, unknown> = {},
): ErrorAnswer {
  const error = new InvokeEndpointError(errorType, message);
  return {
    statusCode: error.statusCode,
    headers: { 'x-amzn-errortype': errorType, 'content-type': 'application/json' },
    body: JSON.stringify({ Message: message, ...extra }),
  };
}

/**
 * The `ModelError` (424) SageMaker Runtime answers when the container answered an error:
 * `OriginalStatusCode` and `OriginalMessage` carry the container's answer.
 */
export function modelError(
  id: EndpointIdentity,
  originalStatusCode: number,
  originalMessage: string,
): ErrorAnswer {
  const kind = originalStatusCode < 500 ? 'client' : 'server';
  const logGroup = `/aws/sagemaker/Endpoints/${id.endpointName}`;
  return runtimeError(
    'ModelError',
    `Received ${kind} error (${originalStatusCode}) from primary with message "${originalMessage}". ` +
      `See https://${id.region}.console.aws.amazon.com/cloudwatch/home?region=${id.region}#logEventViewer:group=${logGroup} in account ${id.accountId} for more information.`,
    {
      ErrorCode: kind === 'client' ? 'CLIENT_ERROR_FROM_MODEL' : 'SERVER_ERROR_FROM_MODEL',
      OriginalStatusCode: originalStatusCode,
      OriginalMessage: originalMessage,
      LogStreamArn: `arn:aws:logs:${id.region}:${id.accountId}:log-group:${logGroup}`,
    },
  );
}

/**
 * The container's own answer to a failed invocation (`POST /invocations`): 4xx for a request
 * the algorithm rejects (ours, or the engine's `IpAddressError`, e.g. an IPv6 address the
 * IPv4 encoder cannot place), 500 for the model failing.
 */
export function containerError(error: unknown): { statusCode: number; message: string } {
  if (error instanceof InvalidRequestError)
    return { statusCode: error.statusCode, message: error.message };
  if (error instanceof Error && error.name === 'IpAddressError')
    return { statusCode: 400, message: error.message };
  return { statusCode: 500, message: `model failed: ${(error as Error)?.message ?? error}` };
}
