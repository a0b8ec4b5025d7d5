import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSecrets, parseSecretRefs } from '../src/runtime/secrets.ts';

const sm = mockClient(SecretsManagerClient);
const ssm = mockClient(SSMClient);
const clients = {
  secretsManager: () => new SecretsManagerClient({}),
  ssm: () => new SSMClient({}),
};
const ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:lakewatch/hec-AbCdEf';

describe('Function: loadSecrets', () => {
  afterEach(() => {
    sm.reset();
    ssm.reset();
  });

  it('reads Secrets Manager and SSM references into the environment', async () => {
    // Prepare
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'hec-token' });
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'smtp-pass' } });
    const env: Record<string, string | undefined> = {
      LAKEWATCH_SECRETS: JSON.stringify({
        SPLUNK_HEC_TOKEN: ARN,
        SMTP_PASSWORD: 'ssm:/lakewatch/smtp',
      }),
    };
    // Act
    const set = await loadSecrets(env, clients);
    // Assess
    expect(set).toEqual(['SMTP_PASSWORD', 'SPLUNK_HEC_TOKEN']);
    expect(env).toMatchObject({ SPLUNK_HEC_TOKEN: 'hec-token', SMTP_PASSWORD: 'smtp-pass' });
    expect(sm.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: ARN });
    expect(ssm.commandCalls(GetParameterCommand)[0]!.args[0].input).toEqual({
      Name: '/lakewatch/smtp',
      WithDecryption: true,
    });
  });

  it('leaves a variable already set alone and does nothing without LAKEWATCH_SECRETS', async () => {
    const env: Record<string, string | undefined> = {
      X: 'local',
      LAKEWATCH_SECRETS: JSON.stringify({ X: ARN }),
    };
    expect(await loadSecrets(env, clients)).toEqual([]);
    expect(await loadSecrets({}, clients)).toEqual([]);
    expect(env.X).toBe('local');
    expect(sm.calls()).toHaveLength(0);
  });

  it('names the variable, never the value, when a read fails', async () => {
    const denied = Object.assign(new Error('User is not authorized'), {
      name: 'AccessDeniedException',
    });
    sm.on(GetSecretValueCommand).rejects(denied);
    const env = { LAKEWATCH_SECRETS: JSON.stringify({ SPLUNK_HEC_TOKEN: ARN }) };
    await expect(loadSecrets(env, clients)).rejects.toThrow(
      `secret SPLUNK_HEC_TOKEN: cannot read ${ARN}: AccessDeniedException`,
    );
    sm.on(GetSecretValueCommand).resolves({});
    await expect(loadSecrets(env, clients)).rejects.toThrow(/has no string value/);
  });

  it('refuses a reference that is neither a secret ARN nor an SSM parameter', () => {
    expect(() => parseSecretRefs('{"A": "hunter2"}')).toThrow(
      'LAKEWATCH_SECRETS.A: must be a Secrets Manager ARN or ssm:/parameter, got "hunter2"',
    );
    expect(() => parseSecretRefs('[')).toThrow(/LAKEWATCH_SECRETS is not JSON/);
  });
});
