import type { Hyperparameters } from './hyperparameters.js';

/** One point of a ROC curve (anomalous = positive class). */
export interface RocPoint {
  readonly fpr: number;
  readonly tpr: number;
  /** Pairs with `dot_product` below this value are flagged. */
  readonly threshold: number;
}

/**
 * What calibration measured and chose, stored in the artifact. A pair is flagged as
 * anomalous when its `dot_product` is **below** `threshold`.
 */
export interface CalibrationMetrics {
  /** The chosen threshold on `dot_product`. */
  readonly threshold: number;
  /** The false-positive rate asked for. */
  readonly targetFpr: number;
  /** ROC AUC of `-dot_product` (normal vs anomalous). */
  readonly auc: number;
  /** Measured at `threshold`. */
  readonly fpr: number;
  readonly tpr: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly tprAtFpr1pct: number;
  readonly tprAtFpr01pct: number;
  readonly nNormal: number;
  readonly nAnomalous: number;
  /** Where the anomalies came from: `labeled`, `generated` (random + shuffled IPs). */
  readonly anomalySource: string;
  /** 101 quantiles (0 %, 1 %, … 100 %) of the normal pairs' dot products. */
  readonly normalQuantiles: readonly number[];
  /** A downsampled ROC curve (at most ~200 points). */
  readonly roc: readonly RocPoint[];
  /** ISO time of calibration. */
  readonly calibratedAt: string;
}

/** A trained IP Insights model, read-only. */
export interface IpInsightsModel {
  /** A content-derived id: the same weights always get the same version. */
  readonly version: string;
  readonly hyperparameters: Hyperparameters;
  /** The calibrated threshold on `dot_product` (flag when below), if calibrated. */
  readonly threshold?: number;
  readonly calibration?: CalibrationMetrics;
  /** Encoder settings that are not SageMaker hyperparameters. */
  readonly encoder: EncoderSettings;
  /**
   * Dot products of `(entities[i], ips[i])`, higher = more expected. IPv4 dotted quads
   * (IPv4-mapped IPv6 accepted).
   * @throws {IpAddressError} naming the first bad IP and its index.
   */
  score(entities: readonly string[], ips: readonly string[], out?: Float32Array): Float32Array;
  /** The entity's embedding (a copy), as SageMaker's `;verbose=True` returns it. */
  entityEmbedding(entity: string): Float32Array;
  /** The IP's encoder output (a copy), as SageMaker's `;verbose=True` returns it. */
  ipEmbedding(ip: string): Float32Array;
  /**
   * If calibrated: the fraction of normal calibration pairs whose dot product is above
   * `dot` (0 = as expected as the most normal pair, 1 = less expected than every normal pair).
   */
  anomalyScore?(dot: number): number;
}

/** Encoder settings stored with the model (not SageMaker hyperparameters). */
export interface EncoderSettings {
  /** Rows of each hashed prefix table (/24 and /32). */
  readonly ipHashBuckets: number;
  /** Prefix lengths whose embeddings are learned and summed (the tables of the others are zero). */
  readonly prefixLevels: readonly number[];
}

/** Pairs to train or score on: a headerless `entity,ip` CSV path, or in-memory columns. */
export type PairSource = string | PairTable;

/** In-memory `(entity, ip)` pairs; the two arrays have the same length. */
export interface PairTable {
  readonly entities: readonly string[];
  readonly ips: readonly string[];
}

/** Per-epoch figures of a training run. */
export interface EpochReport {
  readonly epoch: number;
  /** Mean binary cross-entropy over all (positive and negative) pairs. */
  readonly loss: number;
  /** Fraction of pairs whose logit sign matches the label. */
  readonly accuracy: number;
  /** Positive + negative pairs trained on. */
  readonly pairs: number;
  readonly seconds: number;
  readonly pairsPerSecond: number;
  /** SageMaker's `validation:discriminator_auc`, when a validation set was given. */
  readonly discriminatorAuc?: number;
}

/** Summary of a training run. */
export interface TrainReport {
  readonly epochs: readonly EpochReport[];
  readonly positives: number;
  readonly distinctEntities: number;
  /** Input rows rejected (bad IP, missing field), with their reasons (first 100 kept). */
  readonly rejected: number;
  readonly rejects: readonly RejectedRow[];
  readonly threads: number;
  /** Seconds in the training loop (excluding loading and validation). */
  readonly trainSeconds: number;
  readonly wallSeconds: number;
  /** Mean training pairs/s over all epochs. */
  readonly pairsPerSecond: number;
  readonly finalDiscriminatorAuc?: number;
}

/** An input row that could not be used, and why. */
export interface RejectedRow {
  /** 1-based line number in the file (or 1-based index in a table). */
  readonly line: number;
  readonly reason: string;
  readonly text: string;
}

/** Progress of a training run, reported after every mini-batch (throttled). */
export interface TrainProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
}

/** Options of {@link train} that are not SageMaker hyperparameters. */
export interface TrainOptions {
  /** Seed of initialisation, shuffling and negative sampling. @default 0 */
  seed?: number;
  /** Worker threads. Results are deterministic for a given seed and thread count. @default min(2, CPUs) */
  threads?: number;
  /** Rows of each hashed IP prefix table. @default 262144 */
  ipHashBuckets?: number;
  /** Standard deviation of the normal initialisation of embeddings. @default 0.1 */
  initStd?: number;
  /** Held-out normal pairs for the per-epoch `discriminator_auc`. */
  validation?: PairSource;
  /**
   * Prefix levels whose embeddings are learned (any of 8, 16, 24, 32); the others stay zero.
   * Without 24 and 32 the hashed tables shrink to one (zero) row each.
   * @default [8, 16] (see DEFAULT_IP_PREFIX_LEVELS)
   */
  ipPrefixLevels?: readonly number[];
  /**
   * Standard deviation of the initialisation of the hashed /24 and /32 prefix tables; 0
   * starts them at zero, so an address never seen in training adds nothing but noise-free
   * zeros from those levels. @default 0
   */
  hashedInitStd?: number;
  /**
   * Called after each epoch with the epoch's figures and a live view of the model (valid
   * only during the call: training continues on the same weights afterwards).
   */
  onEpoch?: (report: EpochReport, model: IpInsightsModel) => void;
  /** Called at most every `progressIntervalMs` during an epoch. */
  onProgress?: (progress: TrainProgress) => void;
  /** @default 200 */
  progressIntervalMs?: number;
}
