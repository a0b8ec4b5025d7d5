import {
  InvokeEndpointCommand,
  type SageMakerRuntimeClient,
  SageMakerRuntimeClient as SageMakerRuntimeClientClass,
} from '@aws-sdk/client-sagemaker-runtime';
import { type RequestChunk, splitIntoRequests } from './batching.js';
import { IpInsightsClientError } from './errors.js';
import { type RetryOptions, withRetries } from './retry.js';
import type { IpInsightsClient, PairToScore, ScoredPairDetail, ScoreOutcome } from './types.js';
import { assertScorable, scoreTolerantly } from './validate.js';

/** Options of {@link SageMakerIpInsightsClient}. */
export interface SageMakerIpInsightsClientOptions {
  /** The SageMaker endpoint (any name for the local model server). */
  endpointName: string;
  /**
   * The SDK client to call through. @default a new `SageMakerRuntimeClient` with SDK retries
   * off (this client retries), honouring `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME` and the usual
   * AWS configuration
   */
  sdk?: SageMakerRuntimeClient;
  /** Largest request body; SageMaker refuses more than 6 MB. @default 5242880 (5 MiB) */
  maxRequestBytes?: number;
  /** Most pairs in one request. @default 10000 */
  maxPairsPerRequest?: number;
  /** Requests in flight at once for a large batch. @default 4 */
  concurrency?: number;
  /** Backoff for throttling and `ModelNotReadyException`. */
  retry?: RetryOptions;
}

interface Prediction {
  dot_product: number;
  entity_embedding?: number[];
  ip_embedding?: number[];
}

/**
 * Scores through a SageMaker endpoint with `InvokeEndpoint`: the built-in IP Insights
 * algorithm in AWS, or `lakewatch serve-model` locally. Splits a batch into requests under
 * the payload limit, sends them `concurrency` at a time, retries throttling and
 * `ModelNotReadyException` with exponential backoff, and returns the dot products in input
 * order.
 * @example
 * const client = new SageMakerIpInsightsClient({ endpointName: 'ipinsights-prod' });
 */
export class SageMakerIpInsightsClient implements IpInsightsClient {
  readonly kind = 'sagemaker-endpoint' as const;
  readonly #sdk: SageMakerRuntimeClient;
  readonly #endpointName: string;
  readonly #maxBytes: number;
  readonly #maxPairs: number;
  readonly #concurrency: number;
  readonly #retry: RetryOptions;

  constructor(options: SageMakerIpInsightsClientOptions) {
    if (!options.endpointName)
      throw new IpInsightsClientError('SageMakerIpInsightsClient needs an endpointName');
    this.#endpointName = options.endpointName;
    this.#sdk = options.sdk ?? new SageMakerRuntimeClientClass({ maxAttempts: 1 });
    this.#maxBytes = options.maxRequestBytes ?? 5 * 1024 * 1024;
    this.#maxPairs = options.maxPairsPerRequest ?? 10_000;
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
    this.#retry = options.retry ?? {};
  }

  async #invoke(chunk: RequestChunk, verbose: boolean): Promise<Prediction[]> {
    const command = new InvokeEndpointCommand({
      EndpointName: this.#endpointName,
      ContentType: chunk.contentType,
      Accept: verbose ? 'application/json; verbose=True' : 'application/json',
      Body: chunk.body,
    });
    let body: string;
    try {
      const out = await withRetries(() => this.#sdk.send(command), this.#retry);
      body = Buffer.from(out.Body ?? []).toString('utf8');
    } catch (cause) {
      const e = cause as Error & { OriginalMessage?: string };
      throw new IpInsightsClientError(
        `endpoint ${this.#endpointName}, pairs ${chunk.start}–${chunk.end - 1}: ${e.name}: ${e.OriginalMessage ?? e.message}`,
        { cause },
      );
    }
    let predictions: unknown;
    try {
      predictions = (JSON.parse(body) as { predictions?: unknown }).predictions;
    } catch (cause) {
      throw new IpInsightsClientError(
        `endpoint ${this.#endpointName} answered no JSON: '${body.slice(0, 80)}'`,
        { cause },
      );
    }
    const want = chunk.end - chunk.start;
    if (!Array.isArray(predictions) || predictions.length !== want)
      throw new IpInsightsClientError(
        `endpoint ${this.#endpointName} answered ${Array.isArray(predictions) ? predictions.length : 'no'} predictions for ${want} pairs`,
      );
    return predictions as Prediction[];
  }

  async #run(pairs: readonly PairToScore[], verbose: boolean): Promise<Prediction[]> {
    assertScorable(pairs);
    const chunks = splitIntoRequests(pairs, this.#maxPairs, this.#maxBytes);
    const results = new Array<Prediction[]>(chunks.length);
    let next = 0;
    let failed = false;
    const worker = async () => {
      // After one request fails for good, the batch has failed: send nothing more.
      while (next < chunks.length && !failed) {
        const k = next++;
        try {
          results[k] = await this.#invoke(chunks[k]!, verbose);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, chunks.length) }, worker));
    return results.flat();
  }

  async score(pairs: readonly PairToScore[]): Promise<number[]> {
    const predictions = await this.#run(pairs, false);
    return predictions.map((p) => p.dot_product);
  }

  async scoreVerbose(pairs: readonly PairToScore[]): Promise<ScoredPairDetail[]> {
    const predictions = await this.#run(pairs, true);
    return predictions.map((p) => ({
      dotProduct: p.dot_product,
      entityEmbedding: p.entity_embedding ?? [],
      ipEmbedding: p.ip_embedding ?? [],
    }));
  }

  scoreAll(pairs: readonly PairToScore[]): Promise<ScoreOutcome> {
    return scoreTolerantly(pairs, (good) => this.score(good));
  }
}
