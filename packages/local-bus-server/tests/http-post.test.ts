import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { post, postEndpoint } from '../src/http-post.js';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A target that answers each request with `answer(n)` (status, or 'hang' for no answer). */
async function target(answer: (n: number) => number | 'hang'): Promise<{
  url: URL;
  seen: Seen[];
  server: Server;
}> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      const a = answer(seen.length);
      if (a === 'hang') return;
      res.writeHead(a, { 'content-type': 'text/plain' });
      res.end(a >= 300 ? `status ${a} body` : '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/hook?x=1`), seen, server };
}

describe('Function: post (one POST to a target over a pooled keep-alive connection)', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
    server = undefined;
  });

  it('sends the body, content type, length and given headers to the URL path and query, and reuses the connection', async () => {
    // Prepare
    const t = await target(() => 200);
    server = t.server;
    const ep = postEndpoint(t.url);
    const body = JSON.stringify({ id: 'é1', n: 1 });

    // Act
    const first = await post(ep, body, { 'x-lakewatch-event-id': 'e1' }, 2000);
    const second = await post(ep, body, { 'x-api-key': 'k' }, 2000);

    // Assess
    expect(first).toEqual({ ok: true, retryable: false });
    expect(second).toEqual({ ok: true, retryable: false });
    expect(t.seen[0]).toMatchObject({ method: 'POST', url: '/hook?x=1', body });
    expect(t.seen[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(t.seen[0]?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(t.seen[0]?.headers['x-lakewatch-event-id']).toBe('e1');
    expect(t.seen[1]?.headers['x-api-key']).toBe('k');
    expect(t.seen[1]?.headers.connection).not.toBe('close');
  });

  it('classifies statuses as AWS retries them and keeps the start of the error body', async () => {
    // Prepare
    const statuses = [503, 429, 400, 404];
    const t = await target((n) => statuses[n - 1] ?? 200);
    server = t.server;
    const ep = postEndpoint(t.url);

    // Act
    const results = [];
    for (const _ of statuses) results.push(await post(ep, '{}', {}, 2000));

    // Assess
    expect(results.map((r) => [r.ok, r.retryable])).toEqual([
      [false, true],
      [false, true],
      [false, false],
      [false, false],
    ]);
    expect(results[0]?.error).toBe(`HTTP 503 from ${t.url.origin}/hook: status 503 body`);
  });

  it('fails a target that does not answer within the timeout, as retryable, naming it', async () => {
    // Prepare
    const t = await target(() => 'hang');
    server = t.server;

    // Act
    const started = Date.now();
    const res = await post(t.url, '{}', {}, 300);

    // Assess
    expect(res).toEqual({
      ok: false,
      retryable: true,
      error: `no response from ${t.url.origin}/hook within 300 ms`,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('fails a refused connection as retryable', async () => {
    // Prepare
    const t = await target(() => 200);
    const url = t.url;
    await new Promise((r) => t.server.close(r));

    // Act
    const res = await post(url, '{}', {}, 1000);

    // Assess
    expect(res.ok).toBe(false);
    expect(res.retryable).toBe(true);
    expect(res.error).toMatch(/ECONNREFUSED|connect/);
  });

  it('rejects a URL that is not http(s)', () => {
    expect(() => postEndpoint(new URL('ftp://example.com/x'))).toThrow(/unsupported protocol ftp:/);
  });
});
