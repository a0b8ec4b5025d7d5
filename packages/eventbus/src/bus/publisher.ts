import type { PutEventsEntry } from '@lakewatch/contracts';
import { type Batch, type SplitOptions, splitIntoBatches } from './batches.js';
import type { PublishEntryResult, PublishResult } from './port.js';

/** How failed entries are retried. */
export interface RetryOptions {
  /** Attempts per entry in total, the first included. @default 5 */
  maxAttempts?: number;
  /** Backoff before retry n is random in [0, min(maxDelayMs, baseDelayMs · 2^(n-1))). @default 100 */
  baseDelayMs?: number;
  /** @default 5000 */
  maxDelayMs?: number;
  /** PutEvents calls in flight at once. @default 4 */
  concurrency?: number;
  /** Waits between attempts (tests pass a fake clock). @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  random?: () => number;
}

/** What one PutEvents call answered for each of its entries, in order. */
export interface SentEntry {
  eventId?: string | undefined;
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
}

/** Sends one PutEvents call; throws when the whole call fails. */
export type SendBatch = (entries: PutEventsEntry[]) => Promise<SentEntry[]>;

/** Per-entry codes EventBridge documents as transient. */
const RETRYABLE_CODES = new Set([
  'ThrottlingException',
  'InternalFailure',
  'InternalException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

function isRetryableCallError(e: unknown): boolean {
  const err = e as {
    name?: string;
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (err.$retryable !== undefined) return true;
  if (err.name !== undefined && (RETRYABLE_CODES.has(err.name) || err.name === 'TimeoutError'))
    return true;
  if (err.code !== undefined && NETWORK_CODES.has(err.code)) return true;
  const status = err.$metadata?.httpStatusCode;
  return status !== undefined && (status >= 500 || status === 429);
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function runLimited<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

/**
 * Publishes entries through `send`: splits them into calls EventBridge accepts (≤ 10 entries,
 * ≤ 256 KiB as EventBridge sizes entries), retries entries that failed with a transient code
 * (or whose whole call failed transiently) with exponential backoff and full jitter, and
 * returns each entry's outcome at its input index. An entry too large on its own is reported
 * failed without being sent.
 */
export async function publishWithRetries(
  entries: readonly PutEventsEntry[],
  send: SendBatch,
  options: RetryOptions & SplitOptions = {},
): Promise<PublishResult> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const base = options.baseDelayMs ?? 100;
  const maxDelay = options.maxDelayMs ?? 5000;
  const sleep = options.sleep ?? sleepFor;
  const random = options.random ?? Math.random;
  const results: (PublishEntryResult | undefined)[] = new Array(entries.length);
  const attempts = new Array<number>(entries.length).fill(0);
  let pending = entries.map((_, i) => i);

  for (let attempt = 1; pending.length > 0; attempt++) {
    const { batches, tooLarge } = splitIntoBatches(entries, pending, options);
    for (const i of tooLarge) {
      results[i] = {
        ok: false,
        errorCode: 'ValidationException',
        errorMessage: `Total size of the entries in the request is over the limit: entry ${i} alone is over ${options.maxBytes ?? 262144} bytes`,
        attempts: 0,
      };
    }
    const retry: number[] = [];
    const last = attempt >= maxAttempts;
    const fail = (i: number, errorCode: string, errorMessage: string): void => {
      if (!last && RETRYABLE_CODES.has(errorCode)) retry.push(i);
      else results[i] = { ok: false, errorCode, errorMessage, attempts: attempts[i] as number };
    };
    await runLimited(batches, options.concurrency ?? 4, async (batch: Batch) => {
      for (const i of batch.indexes) attempts[i] = (attempts[i] as number) + 1;
      let answer: SentEntry[];
      try {
        answer = await send(batch.indexes.map((i) => entries[i] as PutEventsEntry));
      } catch (e) {
        const err = e as Error;
        const transient = isRetryableCallError(e);
        for (const i of batch.indexes) {
          if (transient && !last) retry.push(i);
          else
            results[i] = {
              ok: false,
              errorCode: err.name || 'Error',
              errorMessage: err.message,
              attempts: attempts[i] as number,
            };
        }
        return;
      }
      batch.indexes.forEach((i, k) => {
        const a = answer[k];
        if (a?.eventId !== undefined && a.errorCode === undefined) {
          results[i] = { ok: true, eventId: a.eventId, attempts: attempts[i] as number };
        } else if (a === undefined) {
          fail(i, 'InternalFailure', 'PutEvents answered fewer entries than it was sent');
        } else {
          fail(
            i,
            a.errorCode ?? 'InternalFailure',
            a.errorMessage ?? 'entry failed without a message',
          );
        }
      });
    });
    pending = retry.sort((a, b) => a - b);
    if (pending.length > 0) {
      await sleep(random() * Math.min(maxDelay, base * 2 ** (attempt - 1)));
    }
  }
  const final = results as PublishEntryResult[];
  return { entries: final, failedCount: final.filter((r) => !r.ok).length };
}
