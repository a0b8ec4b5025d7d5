import { createSocket } from 'node:dgram';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';

/** One request an HTTP receiver got. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server standing in for Slack, a webhook, Splunk HEC or Elasticsearch. */
export interface HttpReceiver {
  url: string;
  requests: Received[];
  /** Answers to give, in order; the last repeats. */
  answers: { status: number; body?: string }[];
  close(): Promise<void>;
}

export async function httpReceiver(
  answers: { status: number; body?: string }[] = [{ status: 200, body: '{"ok":true}' }],
): Promise<HttpReceiver> {
  const requests: Received[] = [];
  const r = { answers } as HttpReceiver;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const answer = r.answers[Math.min(requests.length - 1, r.answers.length - 1)] ?? {
        status: 200,
      };
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body ?? '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  r.requests = requests;
  r.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return r;
}

/** A UDP syslog listener: every datagram as text. */
export async function udpListener(): Promise<{ port: number; messages: string[]; close(): void }> {
  const messages: string[] = [];
  const socket = createSocket('udp4');
  socket.on('message', (m) => messages.push(m.toString('utf8')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, messages, close: () => socket.close() };
}

/** A TCP syslog listener: the raw bytes of every connection. */
export async function tcpListener(): Promise<{
  port: number;
  streams: string[];
  close(): Promise<void>;
}> {
  const streams: string[] = [];
  const server = createTcpServer((socket) => {
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => {
      data += c;
    });
    socket.on('end', () => streams.push(data));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    streams,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Waits until `what` gives a value. */
export async function until<T>(what: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
