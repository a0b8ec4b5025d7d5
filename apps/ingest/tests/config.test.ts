import { ConfigError } from '@lakewatch/service-kit';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/index.js';

describe('Function: readConfig', () => {
  it('applies the documented defaults', () => {
    // Act
    const config = readConfig({ INGEST_LAKE: '/data/lake' });

    // Assess
    expect(config).toEqual({
      lake: '/data/lake',
      pairings: ['peer'],
      maxPairsPerBatch: 250,
      maxBatchBytes: 102_400,
      eventBusName: 'lakewatch',
      landingPollMs: 1000,
      landingStableMs: 2000,
      port: 4011,
      host: '127.0.0.1',
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    // Act
    const config = readConfig({
      INGEST_LAKE: 's3://lake/prefix',
      INGEST_PAIRING: 'source, dns',
      INGEST_FORMAT: 'zeek-conn',
      INGEST_VPC_FLOW_FORMAT: 'version account-id',
      INGEST_LAKE_SOURCE: 'custom_flows',
      INGEST_MAX_PAIRS_PER_BATCH: '100',
      INGEST_MAX_BATCH_BYTES: '65536',
      EVENT_BUS_NAME: 'other',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569',
      INGEST_LANDING_DIR: '/landing',
      INGEST_LANDING_POLL_MS: '250',
      INGEST_LANDING_STABLE_MS: '0',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
    });

    // Assess
    expect(config).toMatchObject({
      pairings: ['source', 'dns'],
      format: 'zeek-conn',
      vpcFlowFormat: 'version account-id',
      lakeSource: 'custom_flows',
      maxPairsPerBatch: 100,
      maxBatchBytes: 65536,
      eventBusName: 'other',
      s3Endpoint: 'http://127.0.0.1:4569',
      landingDir: '/landing',
      landingPollMs: 250,
      landingStableMs: 0,
      port: 0,
      logLevel: 'debug',
    });
  });

  it('names the variable and the bad value', () => {
    expect(() => readConfig({})).toThrow(/INGEST_LAKE is required/);
    expect(() => readConfig({ INGEST_LAKE: 'l', INGEST_PAIRING: 'peer,blog' })).toThrow(
      ConfigError,
    );
    expect(() => readConfig({ INGEST_LAKE: 'l', INGEST_PAIRING: 'peer,blog' })).toThrow(
      /INGEST_PAIRING: unknown pairing 'blog'/,
    );
    expect(() => readConfig({ INGEST_LAKE: 'l', INGEST_MAX_PAIRS_PER_BATCH: '251' })).toThrow(
      /INGEST_MAX_PAIRS_PER_BATCH must be a whole number from 1 to 250, got '251'/,
    );
    expect(() => readConfig({ INGEST_LAKE: 'l', INGEST_FORMAT: 'csv' })).toThrow(
      /INGEST_FORMAT must be one of .*got 'csv'/,
    );
  });
});
