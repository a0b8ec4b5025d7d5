/** One (entity, IP) pair to score: an entity id (user, instance, …) and an IPv4 address. */
export interface PairToScore {
  readonly entity: string;
  readonly ip: string;
}

/** A pair's dot product with the embeddings behind it (SageMaker's `;verbose=True`). */
export interface ScoredPairDetail {
  /** Higher = more expected; a pair is anomalous below the calibrated threshold. */
  dotProduct: number;
  entityEmbedding: number[];
  ipEmbedding: number[];
}

/** A pair the model cannot score, kept with its position and the reason. */
export interface RejectedPair {
  index: number;
  entity: string;
  ip: string;
  reason: string;
}

/**
 * The outcome of scoring a batch that may hold bad pairs: every input position has either a
 * dot product or an entry in `rejected` (`scored + rejected = input`, nothing dropped).
 */
export interface ScoreOutcome {
  /** One per input pair, in input order; `null` where the pair was rejected. */
  dotProducts: (number | null)[];
  rejected: RejectedPair[];
}

/**
 * Scores (entity, IP) pairs with an IP Insights model, wherever it runs. Two
 * implementations: {@link SageMakerIpInsightsClient} (a SageMaker endpoint, or the local
 * model server, through the AWS SDK) and {@link EmbeddedIpInsightsClient} (the model in
 * process). For the same model both return identical dot products.
 * @example
 * const client = EmbeddedIpInsightsClient.fromArtifact('model/');
 * const [dot] = await client.score([{ entity: 'i-0abc', ip: '203.0.113.9' }]);
 */
export interface IpInsightsClient {
  /** Which implementation this is. */
  readonly kind: 'sagemaker-endpoint' | 'embedded';
  /**
   * Dot products of the pairs, in input order.
   * @throws IpInsightsClientError naming the first bad pair (index and value) before any
   *   scoring, or the endpoint's failure after retries.
   */
  score(pairs: readonly PairToScore[]): Promise<number[]>;
  /** Dot products plus the entity and IP embeddings, in input order. */
  scoreVerbose(pairs: readonly PairToScore[]): Promise<ScoredPairDetail[]>;
  /**
   * Scores the good pairs and keeps each bad one (an address the model cannot encode, an
   * empty entity) in `rejected` with its reason: one bad pair never fails the batch.
   */
  scoreAll(pairs: readonly PairToScore[]): Promise<ScoreOutcome>;
}
