import { SharedError } from '../errors.js';

/** Scoring through an {@link IpInsightsClient} failed: a bad pair, or the endpoint's error. */
export class IpInsightsClientError extends SharedError {
  override name = 'IpInsightsClientError';
}

/** A pair the model cannot score; `index` is its position in the input. */
export class InvalidPairError extends IpInsightsClientError {
  override name = 'InvalidPairError';
  readonly index: number;
  constructor(index: number, message: string) {
    super(`pair ${index}: ${message}`);
    this.index = index;
  }
}
