import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, settingsFromContext } from '../src/config.ts';
import { applyContext, parseSettings } from '../src/settings.ts';

const example = JSON.parse(
  readFileSync(join(import.meta.dirname, '../config/example.json'), 'utf8'),
);
const defaults = { repoRoot: REPO_ROOT };

describe('Function: parseSettings', () => {
  it('fills the Security Lake Glue names and other documented defaults from the region', () => {
    const s = parseSettings(
      {
        region: 'eu-west-2',
        account: '123456789012',
        securityLake: { queueArn: example.securityLake.queueArn, bucketName: 'my-lake-bucket' },
      },
      defaults,
    );
    expect(s.securityLake.glueDatabase).toBe('amazon_security_lake_glue_db_eu_west_2');
    expect(s.securityLake.glueTables).toEqual([
      'amazon_security_lake_table_eu_west_2_vpc_flow_2_0',
    ]);
    expect(s.scoring).toMatchObject({
      mode: 'embedded',
      endpointName: 'lakewatch-ipinsights',
      instanceType: 'ml.m5.large',
    });
    expect(s.routingFile).toBe(join(REPO_ROOT, 'contracts/routing/lakewatch.json'));
    expect(s.archiveRetentionDays).toBeUndefined();
  });

  it('names the bad setting and value', () => {
    const bad = (patch: Record<string, unknown>) => () =>
      parseSettings({ ...example, ...patch }, defaults);
    expect(bad({ account: '12' })).toThrow(
      "setting 'account': must be a 12-digit AWS account id, got '12'",
    );
    expect(bad({ securityLake: { ...example.securityLake, queueArn: 'my-queue' } })).toThrow(
      "setting 'securityLake.queueArn': 'my-queue' is not an sqs ARN",
    );
    expect(bad({ scoring: { mode: 'gpu' } })).toThrow(
      "setting 'scoring.mode': must be 'embedded' or 'sagemaker', got 'gpu'",
    );
    expect(bad({ scoring: { mode: 'sagemaker' } })).toThrow(
      /'scoring.modelDataUrl': the s3:\/\/ URI of the trained model.tar.gz is required/,
    );
    expect(bad({ archiveRetentionDays: -1 })).toThrow(
      "setting 'archiveRetentionDays': must be an integer from 0 to 36500, got -1",
    );
    expect(bad({ notify: { secrets: { SLACK: 'plain-text' } } })).toThrow(
      /notify.secrets.SLACK.*got "plain-text"/,
    );
  });

  it('lets -c context values override single settings (strings as the CLI passes them)', () => {
    const merged = applyContext(example, {
      scoringMode: 'sagemaker',
      createEndpoint: 'false',
      archiveRetentionDays: '90',
    });
    const s = parseSettings(merged, defaults);
    expect(s.scoring).toMatchObject({ mode: 'sagemaker', createEndpoint: false });
    expect(s.archiveRetentionDays).toBe(90);
    expect(example.scoring.mode).toBe('embedded');
  });

  it('asks for a settings file when the context names none', () => {
    expect(() => settingsFromContext(() => undefined, {})).toThrow(
      /name a settings file: cdk synth -c config=/,
    );
    expect(() =>
      settingsFromContext((k) => (k === 'config' ? 'config/missing.json' : undefined), {}),
    ).toThrow(/setting 'config': cannot read .*config\/missing.json/);
  });
});
