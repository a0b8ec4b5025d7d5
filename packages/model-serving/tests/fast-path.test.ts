import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelServer, type ModelServer } from '../src/index.js';
import { FixedModel } from './fixtures/fixed-model.js';
import { INVOCATION_CASES } from './fixtures/invocation-cases.js';

// Headers that differ between any two answers (or that only a socket has).
const VARYING = new Set(['date', 'connection', 'keep-alive', 'x-amzn-requestid']);

function comparable(status: number, headers: Iterable<[string, string]>, body: string) {
  const kept = [...headers].filter(([k]) => !VARYING.has(k)).sort(([a], [b]) => a.localeCompare(b));
  return { status, headers: Object.fromEntries(kept), body };
}

describe('Function: invocationFastPath (raw node:http invocations)', () => {
  let server: ModelServer;
  let url: string;
  let fastifyRequests = 0;

  beforeAll(async () => {
    server = createModelServer({ model: new FixedModel(), endpointName: 'ep' });
    server.app.addHook('onRequest', (_request, _reply, done) => {
      fastifyRequests++;
      done();
    });
    url = await server.listen();
  });
  afterAll(() => server.close());

  it.each(INVOCATION_CASES)(
    'answers "$name" over HTTP exactly as the fastify route does',
    async (c) => {
      // Prepare
      const before = fastifyRequests;

      // Act
      const http = await fetch(`${url}${c.path}`, {
        method: 'POST',
        headers: c.headers,
        body: c.body,
      });
      const httpBody = await http.text();
      const viaFastify = fastifyRequests - before;
      const injected = await server.app.inject({
        method: 'POST',
        url: c.path,
        headers: c.headers,
        payload: c.body,
      });

      // Assess
      expect(viaFastify).toBe(c.viaFastify ? 1 : 0);
      expect(http.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
      expect(injected.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
      expect(comparable(http.status, http.headers, httpBody)).toEqual(
        comparable(
          injected.statusCode,
          Object.entries(injected.headers).map(([k, v]) => [k, String(v)]),
          injected.body,
        ),
      );
    },
  );

  it('hands a chunked body to fastify, which scores it the same', async () => {
    // Prepare
    const before = fastifyRequests;
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('alice,10.0.0.1\n'));
        controller.enqueue(new TextEncoder().encode('bob,10.0.0.2\n'));
        controller.close();
      },
    });

    // Act
    const chunked = await fetch(`${url}/endpoints/ep/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const plain = await fetch(`${url}/endpoints/ep/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'alice,10.0.0.1\nbob,10.0.0.2\n',
    });

    // Assess
    expect(fastifyRequests - before).toBe(1);
    expect(chunked.status).toBe(200);
    expect(await chunked.text()).toBe(await plain.text());
  });

  it('keeps serving on one keep-alive connection while the model is swapped', async () => {
    // Prepare
    const ask = () =>
      fetch(`${url}/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: 'alice,10.0.0.1',
      }).then((r) => r.text());
    const first = await ask();

    // Act
    server.slot.swap(new FixedModel('fixed-2', 2));
    const second = await ask();
    server.slot.swap(new FixedModel());

    // Assess
    const dot = (text: string) =>
      (JSON.parse(text) as { predictions: { dot_product: number }[] }).predictions[0]!.dot_product;
    expect(dot(second)).toBeCloseTo(2 * dot(first), 6);
  });
});
