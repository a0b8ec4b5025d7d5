import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callLocalBus } from '../src/index.js';
import { type Harness, sdkClient, startHarness } from './helpers.js';

describe('Function: SigV4 verification', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({
      credentials: [{ accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' }],
    });
  });
  afterEach(async () => h.close());

  it('accepts requests the SDK signs with a configured key', async () => {
    const client = sdkClient(h.bus.url, 'AKIDLOCAL', 'local-secret');
    const out = await client.send(new ListRulesCommand({}));
    client.destroy();
    expect(out.Rules).toEqual([]);
  });

  it('rejects an unknown access key with UnrecognizedClientException', async () => {
    const client = sdkClient(h.bus.url, 'AKIDOTHER', 'local-secret');
    await expect(client.send(new ListRulesCommand({}))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      $metadata: { httpStatusCode: 400 },
    });
    client.destroy();
  });

  it('rejects a wrong secret with InvalidSignatureException', async () => {
    const client = sdkClient(h.bus.url, 'AKIDLOCAL', 'wrong-secret');
    await expect(client.send(new ListRulesCommand({}))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      message: expect.stringContaining('does not match the signature you provided'),
    });
    client.destroy();
  });

  it('rejects a request signed more than 15 minutes off the server clock', async () => {
    const client = new EventBridgeClient({
      endpoint: h.bus.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      maxAttempts: 1,
      systemClockOffset: -3_600_000,
    });
    await expect(client.send(new ListRulesCommand({}))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      message: expect.stringContaining('Signature expired'),
    });
    client.destroy();
  });

  it('rejects an unsigned request, and accepts the local client when it signs', async () => {
    await expect(
      callLocalBus('ListDeadLetters', {}, { endpoint: h.bus.url }),
    ).rejects.toMatchObject({
      type: 'MissingAuthenticationTokenException',
      status: 403,
    });
    const out = await callLocalBus(
      'ListDeadLetters',
      {},
      {
        endpoint: h.bus.url,
        credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      },
    );
    expect(out.DeadLetters).toEqual([]);
  });
});
