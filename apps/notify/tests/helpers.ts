import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FindingEnrichedV1 } from '@lakewatch/contracts';

/** The critical scanner finding (contract example), optionally changed. */
export function finding(change: Partial<FindingEnrichedV1> = {}): FindingEnrichedV1 {
  const base = JSON.parse(
    readFileSync(join(import.meta.dirname, 'fixtures/finding-critical.json'), 'utf8'),
  ) as FindingEnrichedV1;
  return { ...base, ...change };
}

/** An EventBridge envelope around a FindingEnriched detail. */
export function envelope(
  detail: FindingEnrichedV1,
  id = `evt-${Math.random().toString(16).slice(2)}`,
) {
  return {
    version: '0',
    id,
    'detail-type': 'FindingEnriched',
    source: 'lakewatch.enrich',
    account: '000000000000',
    time: '2026-11-28T14:06:14Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

/** Every notify secret the example config names, with dummy values. */
export const EXAMPLE_SECRETS = {
  SLACK_SECOPS_WEBHOOK_URL: 'https://hooks.slack.example/services/T000/B000/XXXXSECRETXXXX',
  SIEM_WEBHOOK_SECRET: 'siem-hmac-secret-value',
  SMTP_PASSWORD: 'smtp-password-value',
  SPLUNK_HEC_TOKEN: 'splunk-token-value',
  ES_API_KEY: 'es-api-key-value',
};
