import { describe, expect, it } from 'vitest';
import { HyperparameterError, validateHyperparameters } from '../src/index.js';

describe('Function: validateHyperparameters', () => {
  it('fills in SageMaker defaults for optional hyperparameters', () => {
    // Act
    const h = validateHyperparameters({ num_entity_vectors: 20000, vector_dim: 128 });

    // Assess
    expect(h).toEqual({
      num_entity_vectors: 20000,
      vector_dim: 128,
      batch_metrics_publish_interval: 1000,
      epochs: 10,
      learning_rate: 0.001,
      mini_batch_size: 10000,
      num_ip_encoder_layers: 1,
      random_negative_sampling_rate: 1,
      shuffled_negative_sampling_rate: 1,
      weight_decay: 0.00001,
    });
  });

  it('accepts numeric strings, as SageMaker passes hyperparameters', () => {
    const h = validateHyperparameters({
      num_entity_vectors: '50',
      vector_dim: '4',
      learning_rate: '1e-2',
    });
    expect(h.num_entity_vectors).toBe(50);
    expect(h.learning_rate).toBe(0.01);
  });

  it('requires num_entity_vectors and vector_dim', () => {
    expect(() => validateHyperparameters({ vector_dim: 128 })).toThrow(
      "Missing required hyperparameter: 'num_entity_vectors'",
    );
    expect(() => validateHyperparameters({ num_entity_vectors: 10 })).toThrow(
      "Missing required hyperparameter: 'vector_dim'",
    );
  });

  it.each([
    ['vector_dim', 2, "Hyperparameter 'vector_dim' must be an integer between 4 and 4096, got '2'"],
    ['vector_dim', 4097, 'between 4 and 4096'],
    ['num_entity_vectors', 250_000_001, 'between 1 and 250000000'],
    ['learning_rate', 0, "Hyperparameter 'learning_rate' must be a number between 0.000001 and 10"],
    ['learning_rate', 11, 'between'],
    ['mini_batch_size', 500_001, 'between 1 and 500000'],
    ['epochs', 0, "Hyperparameter 'epochs' must be an integer greater than or equal to 1, got '0'"],
    ['epochs', 1.5, 'must be an integer'],
    ['num_ip_encoder_layers', 101, 'between 0 and 100'],
    ['random_negative_sampling_rate', -1, 'between 0 and 500'],
    ['shuffled_negative_sampling_rate', 501, 'between 0 and 500'],
    ['weight_decay', 10.5, 'between 0 and 10'],
    ['vector_dim', 'abc', "got 'abc'"],
  ])('rejects %s = %s', (name, value, message) => {
    // Prepare
    const input = { num_entity_vectors: 100, vector_dim: 8, [name]: value };

    // Act / Assess
    let error: unknown;
    try {
      validateHyperparameters(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HyperparameterError);
    expect((error as HyperparameterError).hyperparameter).toBe(name);
    expect((error as Error).message).toContain(message);
  });

  it('rejects unknown hyperparameters, naming them', () => {
    expect(() =>
      validateHyperparameters({ num_entity_vectors: 1, vector_dim: 4, vectordim: 3 }),
    ).toThrow("Unknown hyperparameter 'vectordim'");
  });
});
