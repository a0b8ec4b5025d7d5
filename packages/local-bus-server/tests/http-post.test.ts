import { createServer, type IncomingMessage, type Server } from 'node:http';
import {
  type AddressInfo,
  createServer as createTcpServer,
  type Server as TcpServer,
} from 'node:net';
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

  it('reads raw HTTP/1.1 answers: 100 Continue, chunked error bodies, Connection: close, bodies up to the end, garbage', async () => {
    // Prepare: a TCP server that answers the n-th request with answers[n] as bytes.
    const answers = [
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7\r\n wörld\r\n0\r\n\r\n',
      'HTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok',
      'HTTP/1.0 200 OK\r\n\r\nbody up to the end',
      'HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnop',
      'SMTP ready\r\n\r\n',
    ];
    let n = 0;
    const connections: number[] = [];
    const tcp: TcpServer = createTcpServer((sock) => {
      connections.push(n);
      let buf = '';
      sock.on('data', (d) => {
        buf += d.toString('latin1');
        for (;;) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const len = Number(/content-length: (\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
          if (buf.length < end + 4 + len) return;
          buf = buf.slice(end + 4 + len);
          const a = answers[n++] ?? '';
          // Split each answer in two writes to cross the parser's chunk boundaries.
          const bytes = Buffer.from(a, 'utf8');
          sock.write(bytes.subarray(0, 7));
          setTimeout(() => {
            sock.write(bytes.subarray(7));
            if (/Connection: close|HTTP\/1\.0/.test(a)) sock.end();
          }, 5);
        }
      });
      sock.on('error', () => {});
    });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const ep = postEndpoint(new URL(`http://127.0.0.1:${(tcp.address() as AddressInfo).port}/x`));

    // Act
    const results = [];
    for (const _ of answers) results.push(await post(ep, '{"a":1}', {}, 2000));
    tcp.close();

    // Assess
    expect(results[0]).toEqual({
      ok: false,
      retryable: true,
      error: `HTTP 502 from ${ep.name}: hello wörld`,
    });
    expect(results[1]).toEqual({ ok: true, retryable: false });
    expect(results[2]).toEqual({ ok: true, retryable: false });
    expect(results[3]).toEqual({
      ok: false,
      retryable: false,
      error: `HTTP 404 from ${ep.name}: nop`,
    });
    expect(results[4]?.ok).toBe(false);
    expect(results[4]?.retryable).toBe(true);
    expect(results[4]?.error).toMatch(/bad response: not an HTTP\/1.x status line/);
    // A new connection after each answer that closed one, the same one otherwise.
    expect(connections).toEqual([0, 2, 3]);
  });

  it('refuses a header that would break the request framing, without sending it', async () => {
    // Prepare
    const t = await target(() => 200);
    server = t.server;
    const ep = postEndpoint(t.url);

    // Act
    const injected = await post(ep, '{}', { 'x-a': 'v\r\nx-b: injected' }, 1000);
    const framing = await post(ep, '{}', { 'Content-Length': '1' }, 1000);

    // Assess
    expect(injected).toEqual({ ok: false, retryable: true, error: 'invalid value for header x-a' });
    expect(framing.ok).toBe(false);
    expect(framing.error).toMatch(/Content-Length cannot be set/);
    expect(t.seen).toEqual([]);
  });

  it('rejects a URL that is not http(s)', () => {
    expect(() => postEndpoint(new URL('ftp://example.com/x'))).toThrow(/unsupported protocol ftp:/);
  });
});
