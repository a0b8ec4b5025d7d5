/** How a client retries: exponential backoff with full jitter. */
export interface RetryOptions {
  /** Attempts in all, the first included. @default 6 */
  maxAttempts?: number;
  /** Delay scale of the first retry, in ms. @default 50 */
  baseDelayMs?: number;
  /** Cap on one delay, in ms. @default 2000 */
  maxDelayMs?: number;
}

/** The SageMaker Runtime errors worth another try: throttling and a model not ready yet. */
export const RETRYABLE_ERRORS: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ModelNotReadyException',
  'ServiceUnavailable',
  'InternalDependencyException',
]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, retrying errors whose `name` is in `retryable` after
 * `random(0, min(maxDelayMs, baseDelayMs * 2^n))` ms; the last error is thrown as is.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  options: RetryOptions = {},
  retryable: ReadonlySet<string> = RETRYABLE_ERRORS,
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 6;
  const base = options.baseDelayMs ?? 50;
  const cap = options.maxDelayMs ?? 2000;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= maxAttempts || !retryable.has((error as Error)?.name)) throw error;
      await sleep(Math.random() * Math.min(cap, base * 2 ** (n - 1)));
    }
  }
}
