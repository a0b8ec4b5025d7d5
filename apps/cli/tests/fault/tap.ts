import { createServer, type Server } from 'node:http';

/** One event as the bus delivers it (no input transformer on the tap's rule). */
export interface TappedEvent {
  id: string;
  source: string;
  'detail-type': string;
  detail: Record<string, unknown>;
}

/** A bus target in the test process that keeps every event once (by id) and counts redeliveries. */
export interface Tap {
  url: string;
  /** Events by id, in first-arrival order. */
  readonly events: Map<string, TappedEvent>;
  /** Deliveries of an id already seen (the bus is at-least-once). */
  redeliveries: number;
  /** Distinct events of one detail type. */
  of(detailType: string): TappedEvent[];
  close(): Promise<void>;
}

/**
 * Starts the tap on a free loopback port. It never fails a delivery, so what it holds is
 * everything the bus accepted and routed to it, whatever was killed meanwhile.
 */
export async function startTap(): Promise<Tap> {
  const events = new Map<string, TappedEvent>();
  const tap: Omit<Tap, 'url'> & { url: string } = {
    url: '',
    events,
    redeliveries: 0,
    of: (t) => [...events.values()].filter((e) => e['detail-type'] === t),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const e = JSON.parse(Buffer.concat(chunks).toString('utf8')) as TappedEvent;
        if (events.has(e.id)) tap.redeliveries++;
        else events.set(e.id, e);
        res.writeHead(200).end('{}');
      } catch {
        res.writeHead(400).end('not an event');
      }
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  tap.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  return tap;
}
