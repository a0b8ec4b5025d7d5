import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyLakewatchEvent } from '@lakewatch/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { startTargetServer, type TargetServer } from '../src/index.js';

const EVENT = readFileSync(
  join(import.meta.dirname, 'fixtures/anomaly-detected-event.json'),
  'utf8',
);

async function post(server: TargetServer, path: string, body: string) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Function: startTargetServer', () => {
  let server: TargetServer | undefined;
  afterEach(async () => server?.close());

  it('handles a valid event once, and answers a redelivery as a duplicate', async () => {
    // Prepare
    const seen: AnyLakewatchEvent[] = [];
    server = await startTargetServer({
      accepts: ['AnomalyDetected'],
      handle: async (e) => void seen.push(e),
    });

    // Act
    const first = await post(server, '/events', EVENT);
    const again = await post(server, '/events', EVENT);

    // Assess
    expect(first).toEqual({
      status: 200,
      body: { status: 'processed', id: '6a7e3c2b-0e4f-4a47-9d43-1c2f9e0b8a11' },
    });
    expect(again.body.status).toBe('duplicate');
    expect(seen).toHaveLength(1);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses off-contract events and unconsumed detail types with 400 and the reason', async () => {
    server = await startTargetServer({ accepts: ['FindingEnriched'], handle: async () => {} });
    const bad = JSON.parse(EVENT);
    bad.detail.dotProduct = 'low';
    expect(await post(server, '/events', JSON.stringify(bad))).toEqual({
      status: 400,
      body: {
        error: 'invalid-event',
        message: 'AnomalyDetected v1: /detail/dotProduct must be number (type)',
      },
    });
    expect((await post(server, '/events', EVENT)).body).toEqual({
      error: 'unexpected-detail-type',
      message: 'this service does not consume AnomalyDetected',
    });
  });

  it('answers 500 when the handler fails, then processes the retry', async () => {
    let calls = 0;
    server = await startTargetServer({
      accepts: ['AnomalyDetected'],
      handle: async () => {
        calls += 1;
        if (calls === 1) throw new Error('GuardDuty throttled');
      },
    });
    expect(await post(server, '/events', EVENT)).toEqual({
      status: 500,
      body: { error: 'handler-failed', message: 'GuardDuty throttled' },
    });
    expect((await post(server, '/events', EVENT)).body.status).toBe('processed');
  });

  it('limits the body, serves health and extra routes, and 404s the rest', async () => {
    server = await startTargetServer({
      accepts: ['AnomalyDetected'],
      handle: async () => {},
      bodyLimitBytes: 1000,
      health: () => ({ model: 'v1' }),
      routes: { '/objects': async (body) => ({ status: 202, body: { accepted: body } }) },
    });
    expect((await post(server, '/events', EVENT)).status).toBe(413);
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({
      status: 'ok',
      model: 'v1',
    });
    expect(await post(server, '/objects', '{"uri":"file:///x"}')).toEqual({
      status: 202,
      body: { accepted: { uri: 'file:///x' } },
    });
    expect((await post(server, '/objects', '{nope')).body.error).toBe('invalid-json');
    expect((await post(server, '/other', '{}')).status).toBe(404);
  });
});
