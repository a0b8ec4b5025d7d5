import {
  InvokeEndpointCommand,
  ModelError,
  ModelNotReadyException,
  ValidationError,
} from '@aws-sdk/client-sagemaker-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelServer, type ModelServer } from '../src/index.js';
import { FixedModel } from './fixtures/fixed-model.js';
import { dotsOf, sdkClient } from './fixtures/sdk.js';

const model = new FixedModel();
const expected = (pairs: [string, string][]) =>
  Array.from(
    model.score(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    ),
  );

describe('Function: createModelServer (through the AWS SDK)', () => {
  let server: ModelServer;
  let url: string;
  const endpoint = 'lakewatch-ipinsights';

  beforeAll(async () => {
    server = createModelServer({ model, endpointName: endpoint });
    url = await server.listen();
  });
  afterAll(() => server.close());

  const invoke = (input: Partial<ConstructorParameters<typeof InvokeEndpointCommand>[0]>) =>
    sdkClient(url).send(new InvokeEndpointCommand({ EndpointName: endpoint, Body: '', ...input }));

  it('binds 127.0.0.1 only', () => {
    // Assess
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('scores text/csv and answers application/json predictions in input order', async () => {
    // Prepare
    const pairs: [string, string][] = [
      ['alice', '10.0.0.1'],
      ['bob', '192.168.1.2'],
      ['alice', '203.0.113.9'],
    ];

    // Act
    const out = await invoke({
      ContentType: 'text/csv',
      Body: pairs.map((p) => p.join(',')).join('\n'),
    });

    // Assess
    expect(out.ContentType).toBe('application/json');
    expect(out.InvokedProductionVariant).toBe('AllTraffic');
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(dotsOf(out.Body)).toEqual(expected(pairs));
  });

  it('scores application/json in both documented instance forms', async () => {
    // Prepare
    const body = {
      instances: [
        { data: { features: { values: ['entity_id_1', '192.168.1.2'] } } },
        { features: ['entity_id_2', '10.10.1.2'] },
      ],
    };

    // Act
    const out = await invoke({ ContentType: 'application/json', Body: JSON.stringify(body) });

    // Assess
    expect(dotsOf(out.Body)).toEqual(
      expected([
        ['entity_id_1', '192.168.1.2'],
        ['entity_id_2', '10.10.1.2'],
      ]),
    );
  });

  it('scores application/jsonlines and answers jsonlines when Accept asks', async () => {
    // Prepare
    const body = '{"features": ["carol", "8.8.8.8"]}\n{"features": ["dave", "1.1.1.1"]}\n';

    // Act
    const out = await invoke({
      ContentType: 'application/jsonlines',
      Accept: 'application/jsonlines',
      Body: body,
    });

    // Assess
    expect(out.ContentType).toBe('application/jsonlines');
    const lines = Buffer.from(out.Body ?? [])
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { dot_product: number });
    expect(lines.map((l) => l.dot_product)).toEqual(
      expected([
        ['carol', '8.8.8.8'],
        ['dave', '1.1.1.1'],
      ]),
    );
  });

  it('adds the entity and IP embeddings with ;verbose=True, in json and jsonlines', async () => {
    // Act
    const json = await invoke({
      ContentType: 'text/csv',
      Accept: 'application/json; verbose=True',
      Body: 'alice,10.0.0.1',
    });
    const jsonl = await invoke({
      ContentType: 'text/csv',
      Accept: 'application/jsonlines;verbose=True',
      Body: 'alice,10.0.0.1',
    });

    // Assess
    const want = {
      dot_product: expected([['alice', '10.0.0.1']])[0],
      entity_embedding: Array.from(model.entityEmbedding('alice')),
      ip_embedding: Array.from(model.ipEmbedding('10.0.0.1')),
    };
    expect(JSON.parse(Buffer.from(json.Body ?? []).toString())).toEqual({ predictions: [want] });
    expect(JSON.parse(Buffer.from(jsonl.Body ?? []).toString())).toEqual(want);
  });

  it('answers a bad pair with ModelError 424 carrying the container 400 and naming the value', async () => {
    // Act
    const error = await invoke({ ContentType: 'text/csv', Body: 'alice,10.0.0.1\nbob,10.0.0.999' })
      .then(() => undefined)
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ModelError);
    const e = error as ModelError;
    expect(e.$metadata.httpStatusCode).toBe(424);
    expect(e.OriginalStatusCode).toBe(400);
    expect(e.OriginalMessage).toBe("text/csv line 2: '10.0.0.999' is not an IPv4 or IPv6 address");
    expect(e.message).toContain('Received client error (400) from primary with message');
    expect(e.LogStreamArn).toBe(
      `arn:aws:logs:us-east-1:000000000000:log-group:/aws/sagemaker/Endpoints/${endpoint}`,
    );
  });

  it("answers an IP the model's encoder refuses (IPv6 on an IPv4 model) as a client error", async () => {
    // Act
    const error = await invoke({ ContentType: 'text/csv', Body: 'alice,2001:db8::1' }).catch(
      (e: unknown) => e,
    );

    // Assess
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).OriginalStatusCode).toBe(400);
    expect((error as ModelError).OriginalMessage).toContain("'2001:db8::1'");
  });

  it('answers an unsupported content type with ModelError carrying 415', async () => {
    // Act
    const error = await invoke({ ContentType: 'application/x-recordio-protobuf', Body: 'x' }).catch(
      (e: unknown) => e,
    );

    // Assess
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).OriginalStatusCode).toBe(415);
  });

  it('answers an unknown endpoint name with ValidationError 400', async () => {
    // Act
    const error = await invoke({
      EndpointName: 'no-such-endpoint',
      ContentType: 'text/csv',
      Body: 'alice,10.0.0.1',
    }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).$metadata.httpStatusCode).toBe(400);
    expect((error as Error).message).toBe(
      'Endpoint no-such-endpoint of account 000000000000 not found.',
    );
  });

  it('refuses a body over 6 MB with ValidationError and scores one just under it', async () => {
    // Prepare: 24-byte lines, 262,144 of them = exactly 6 MiB; one more line goes over.
    const line = 'entity-000001,10.1.2.3\n'.padStart(24, 'x');
    const limit = 6 * 1024 * 1024;
    const under = line.repeat(Math.floor(limit / line.length));
    const over = line.repeat(Math.floor(limit / line.length) + 1);

    // Act
    const ok = await invoke({ ContentType: 'text/csv', Body: under });
    const error = await invoke({ ContentType: 'text/csv', Body: over }).catch((e: unknown) => e);

    // Assess
    expect(dotsOf(ok.Body)).toHaveLength(Math.floor(limit / line.length));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain(`exceeds the ${limit}-byte payload limit`);
  });
});

describe('Function: createModelServer (container contract and readiness)', () => {
  it('answers ModelNotReadyException and /ping 503 until a model is loaded, then serves it', async () => {
    // Prepare: a path where no artifact exists yet.
    const server = createModelServer({
      modelPath: '/nonexistent/lakewatch-model',
      loadModel: async (path) => {
        throw new Error(`no model artifact at ${path}`);
      },
      watch: false,
    });
    const url = await server.listen();
    try {
      const call = () =>
        sdkClient(url).send(
          new InvokeEndpointCommand({
            EndpointName: 'any',
            ContentType: 'text/csv',
            Body: 'alice,10.0.0.1',
          }),
        );

      // Act
      const notReady = await call().catch((e: unknown) => e);
      const pingBefore = await fetch(`${url}/ping`);
      server.slot.swap(new FixedModel('fixed-2'));
      const ready = await call();
      const pingAfter = await fetch(`${url}/ping`);

      // Assess
      expect(notReady).toBeInstanceOf(ModelNotReadyException);
      expect((notReady as ModelNotReadyException).$metadata.httpStatusCode).toBe(429);
      expect(pingBefore.status).toBe(503);
      expect(dotsOf(ready.Body)).toEqual(expected([['alice', '10.0.0.1']]));
      expect(pingAfter.status).toBe(200);
      expect(await pingAfter.json()).toEqual({ status: 'Healthy', modelVersion: 'fixed-2' });
    } finally {
      await server.close();
    }
  });

  it('serves POST /invocations with plain container status codes', async () => {
    // Prepare
    const server = createModelServer({ model });
    const url = await server.listen();
    try {
      // Act
      const ok = await fetch(`${url}/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', accept: 'application/jsonlines' },
        body: 'alice,10.0.0.1\n',
      });
      const bad = await fetch(`${url}/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: 'alice\n',
      });
      const params = await fetch(`${url}/execution-parameters`);

      // Assess
      expect(ok.status).toBe(200);
      expect(JSON.parse(await ok.text())).toEqual({
        dot_product: expected([['alice', '10.0.0.1']])[0],
      });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toBe("text/csv line 1: expected 2 columns 'entity,ip', got 'alice'");
      expect(await params.json()).toEqual({
        MaxConcurrentTransforms: 1,
        BatchStrategy: 'MULTI_RECORD',
        MaxPayloadInMB: 6,
      });
    } finally {
      await server.close();
    }
  });

  it('answers a body over the limit on /invocations with 413, naming the limit', async () => {
    // Prepare
    const server = createModelServer({ model, bodyLimit: 1000 });
    const url = await server.listen();
    try {
      // Act
      const answer = await fetch(`${url}/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: 'alice,10.0.0.1\n'.repeat(100),
      });

      // Assess
      expect(answer.status).toBe(413);
      expect(await answer.text()).toBe(
        'Request body of 1500 bytes exceeds the 1000-byte payload limit of InvokeEndpoint: split the pairs into smaller requests',
      );
    } finally {
      await server.close();
    }
  });

  it('throttles above maxInvocationsPerSecond with ThrottlingException, which the SDK retries', async () => {
    // Prepare
    const server = createModelServer({ model, maxInvocationsPerSecond: 2 });
    const url = await server.listen();
    const input = { EndpointName: 'ep', ContentType: 'text/csv', Body: 'alice,10.0.0.1' };
    try {
      // Act: a burst of 6 with no retries: the bucket holds 2.
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () => sdkClient(url).send(new InvokeEndpointCommand(input))),
      );

      // Assess
      const rejected = results.filter((r) => r.status === 'rejected');
      expect(results.filter((r) => r.status === 'fulfilled').length).toBe(2);
      expect(rejected).toHaveLength(4);
      const reason = (rejected[0] as PromiseRejectedResult).reason as Error & {
        $metadata: { httpStatusCode: number };
      };
      expect(reason.name).toBe('ThrottlingException');
      expect(reason.$metadata.httpStatusCode).toBe(400);
    } finally {
      await server.close();
    }
  });
});
