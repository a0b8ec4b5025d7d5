import { HyperparameterError } from './errors.js';

/**
 * The hyperparameters of SageMaker's built-in IP Insights algorithm, by their SageMaker
 * names, with SageMaker's defaults and valid ranges (see {@link HYPERPARAMETER_SPECS}).
 */
export interface Hyperparameters {
  /** Entity embedding vectors; entities are hashed into them. Required, 1 – 250,000,000. */
  num_entity_vectors: number;
  /** Size of entity and IP embeddings. Required, 4 – 4096. */
  vector_dim: number;
  /** Batches between speed logs. @default 1000 (≥ 1) */
  batch_metrics_publish_interval: number;
  /** Passes over the training data. @default 10 (≥ 1) */
  epochs: number;
  /** Adam step size. @default 0.001 (1e-6 – 10.0) */
  learning_rate: number;
  /** Positive pairs per mini-batch. @default 10000 (1 – 500,000) */
  mini_batch_size: number;
  /** Linear layers of the IP encoder after the prefix-embedding sum. @default 1 (0 – 100) */
  num_ip_encoder_layers: number;
  /** Random-IP negatives per positive pair. @default 1 (0 – 500) */
  random_negative_sampling_rate: number;
  /** Shuffled-IP negatives per positive pair. @default 1 (0 – 500) */
  shuffled_negative_sampling_rate: number;
  /** L2 weight decay. @default 0.00001 (0.0 – 10.0) */
  weight_decay: number;
}

/** The name of one IP Insights hyperparameter. */
export type HyperparameterName = keyof Hyperparameters;

/** How one hyperparameter is validated. */
export interface HyperparameterSpec {
  readonly type: 'integer' | 'float';
  readonly min: number;
  readonly max: number;
  /** `undefined` = required (no default), as in SageMaker. */
  readonly default?: number;
}

/** SageMaker's documented ranges and defaults, one entry per hyperparameter. */
export const HYPERPARAMETER_SPECS: Readonly<Record<HyperparameterName, HyperparameterSpec>> = {
  num_entity_vectors: { type: 'integer', min: 1, max: 250_000_000 },
  vector_dim: { type: 'integer', min: 4, max: 4096 },
  batch_metrics_publish_interval: {
    type: 'integer',
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    default: 1000,
  },
  epochs: { type: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER, default: 10 },
  learning_rate: { type: 'float', min: 1e-6, max: 10, default: 0.001 },
  mini_batch_size: { type: 'integer', min: 1, max: 500_000, default: 10_000 },
  num_ip_encoder_layers: { type: 'integer', min: 0, max: 100, default: 1 },
  random_negative_sampling_rate: { type: 'integer', min: 0, max: 500, default: 1 },
  shuffled_negative_sampling_rate: { type: 'integer', min: 0, max: 500, default: 1 },
  weight_decay: { type: 'float', min: 0, max: 10, default: 0.00001 },
};

/** Every hyperparameter name, in documentation order. */
export const HYPERPARAMETER_NAMES = Object.keys(HYPERPARAMETER_SPECS) as HyperparameterName[];

function describeRange(spec: HyperparameterSpec): string {
  const kind = spec.type === 'integer' ? 'an integer' : 'a number';
  return spec.max === Number.MAX_SAFE_INTEGER
    ? `${kind} greater than or equal to ${spec.min}`
    : `${kind} between ${spec.min} and ${spec.max}`;
}

function toNumber(name: string, spec: HyperparameterSpec, raw: unknown): number {
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string' && raw.trim() !== '') n = Number(raw.trim());
  else n = Number.NaN;
  const bad =
    !Number.isFinite(n) ||
    (spec.type === 'integer' && !Number.isInteger(n)) ||
    n < spec.min ||
    n > spec.max;
  if (bad)
    throw new HyperparameterError(
      name,
      `Hyperparameter '${name}' must be ${describeRange(spec)}, got '${String(raw)}'`,
    );
  return n;
}

/**
 * Checks hyperparameters the way a SageMaker training job does: names must be known,
 * required ones present, values in range (numbers or numeric strings, as SageMaker passes
 * them as a string map). Returns the complete set with defaults filled in.
 *
 * @throws {HyperparameterError} naming the first bad hyperparameter and its value.
 * @example
 * validateHyperparameters({ num_entity_vectors: '20000', vector_dim: 128, epochs: 5 });
 */
export function validateHyperparameters(
  input: Readonly<Partial<Record<HyperparameterName, number | string>>> | Record<string, unknown>,
): Hyperparameters {
  const source = input as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (!(key in HYPERPARAMETER_SPECS))
      throw new HyperparameterError(
        key,
        `Unknown hyperparameter '${key}'; valid hyperparameters are: ${HYPERPARAMETER_NAMES.join(', ')}`,
      );
  }
  const out = {} as Hyperparameters;
  for (const name of HYPERPARAMETER_NAMES) {
    const spec = HYPERPARAMETER_SPECS[name];
    const raw = source[name];
    if (raw === undefined || raw === null) {
      if (spec.default === undefined)
        throw new HyperparameterError(name, `Missing required hyperparameter: '${name}'`);
      out[name] = spec.default;
    } else {
      out[name] = toNumber(name, spec, raw);
    }
  }
  return out;
}
