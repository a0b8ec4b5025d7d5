import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeArchiveCommand,
  EventBridgeClient,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { spawnBus } from './spawn-bus.js';

const client = (url: string) =>
  new EventBridgeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
  });

describe('Function: local bus durability under kill -9', () => {
  it('delivers every event PutEvents accepted, after a kill -9 and a restart on the same data dir', async () => {
    // Prepare: a target that refuses most deliveries until the crash, then accepts all
    const delivered = new Set<string>();
    let refuse = 0.7;
    const target = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (Math.random() < refuse) return void res.writeHead(503).end();
        delivered.add(JSON.parse(Buffer.concat(chunks).toString()).id);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/events`;
    const dir = mkdtempSync(join(tmpdir(), 'local-bus-crash-'));
    const routing = join(dir, 'routing.json');
    writeFileSync(
      routing,
      JSON.stringify({
        Version: 1,
        EventBuses: [
          {
            Name: 'default',
            Rules: [
              {
                Name: 'all',
                EventPattern: { source: ['load'] },
                Targets: [{ Id: 't', Url: targetUrl }],
              },
            ],
            Archives: [{ Name: 'all', RetentionDays: 1 }],
          },
        ],
      }),
    );
    const env = {
      LOCAL_BUS_DATA_DIR: join(dir, 'data'),
      LOCAL_BUS_PORT: '0',
      LOCAL_BUS_CONFIG: routing,
      LOCAL_BUS_RETRY_BASE_MS: '50',
      LOCAL_BUS_RETRY_MAX_MS: '200',
    };
    const first = await spawnBus(env);

    // Act: 8 concurrent publishers of 10-entry calls until the bus is killed
    const accepted = new Set<string>();
    const sdk = client(first.url);
    let stop = false;
    const publisher = async (): Promise<void> => {
      for (let i = 0; !stop; i++) {
        try {
          const out = await sdk.send(
            new PutEventsCommand({
              Entries: Array.from({ length: 10 }, (_, k) => ({
                Source: 'load',
                DetailType: 'Tick',
                Detail: JSON.stringify({ i, k }),
              })),
            }),
          );
          for (const e of out.Entries ?? []) if (e.EventId && !e.ErrorCode) accepted.add(e.EventId);
        } catch {
          return; // the bus is gone: calls in flight were never acknowledged
        }
      }
    };
    const publishers = Array.from({ length: 8 }, publisher);
    // Kill mid-load: after 1000 accepted events or 5 s, whichever comes first (slow CI machines).
    const loadStart = Date.now();
    while ((accepted.size < 1000 || Date.now() - loadStart < 500) && Date.now() - loadStart < 5000)
      await new Promise((r) => setTimeout(r, 25));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(publishers);
    sdk.destroy();
    const deliveredBeforeCrash = delivered.size;
    refuse = 0;
    const second = await spawnBus(env);

    // Assess
    const deadline = Date.now() + 25_000;
    while ([...accepted].some((id) => !delivered.has(id)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const archived = await client(second.url).send(
      new DescribeArchiveCommand({ ArchiveName: 'all' }),
    );
    second.child.kill('SIGTERM');
    target.close();
    target.closeAllConnections();
    rmSync(dir, { recursive: true, force: true });
    const lost = [...accepted].filter((id) => !delivered.has(id));
    expect(accepted.size).toBeGreaterThan(50);
    expect(deliveredBeforeCrash).toBeLessThan(accepted.size);
    expect(lost).toEqual([]);
    // Archives are written with the event, before PutEvents answers: none missing either.
    expect(archived.EventCount).toBeGreaterThanOrEqual(accepted.size);
  }, 60_000);
});
