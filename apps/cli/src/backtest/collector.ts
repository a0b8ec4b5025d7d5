import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseEvent } from '@lakewatch/contracts';
import type { CollectedVerdict } from './report.js';

/** The HTTP target that receives a run's ShadowVerdictsRecorded events from the bus. */
export interface Collector {
  readonly url: string;
  /** Distinct ShadowVerdictsRecorded events received per role. */
  readonly events: { baseline: number; candidate: number };
  /** Events refused (off-contract, or another run's), with the reason. */
  readonly refused: Array<{ reason: string }>;
  /** Every verdict once, whatever the order or number of deliveries. */
  verdicts(): CollectedVerdict[];
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

/**
 * Starts the collector on 127.0.0.1. Delivery is at-least-once: an event is kept once per
 * event id, and a verdict once per (role, batch, entity, IP).
 */
export async function startCollector(runId: string): Promise<Collector> {
  const seen = new Set<string>();
  const byKey = new Map<string, CollectedVerdict>();
  const events = { baseline: 0, candidate: 0 };
  const refused: Array<{ reason: string }> = [];
  const accept = (body: string): void => {
    const event = parseEvent(body);
    if (event['detail-type'] !== 'ShadowVerdictsRecorded')
      throw new Error(`expected ShadowVerdictsRecorded, got ${event['detail-type']}`);
    const d = event.detail;
    if (d.runId !== runId) throw new Error(`verdicts of run ${d.runId}, not ${runId}`);
    if (seen.has(event.id)) return;
    seen.add(event.id);
    events[d.role] += 1;
    for (const v of d.verdicts) {
      const key = `${d.role}|${d.source.batchId}|${v.entity.type}:${v.entity.uid}|${v.ip}`;
      byKey.set(key, {
        role: d.role,
        batchId: d.source.batchId,
        entity: { type: v.entity.type, uid: v.entity.uid },
        ip: v.ip,
        dotProduct: v.dotProduct,
        anomalous: v.anomalous,
        lastSeen: v.lastSeen,
      });
    }
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        return;
      }
      try {
        accept(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200).end();
      } catch (e) {
        // 400 is not retried by the bus: the event goes to its dead letters with the reason
        refused.push({ reason: (e as Error).message });
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: (e as Error).message }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/verdicts`,
    events,
    refused,
    verdicts: () =>
      [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
