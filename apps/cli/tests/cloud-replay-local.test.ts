import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateArchiveCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { type LocalBus, startLocalBus } from '@lakewatch/local-bus-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

// Without --aws, `lakewatch replay` makes the same calls against the real local bus.
describe('Command: lakewatch replay (local bus)', () => {
  let bus: LocalBus;
  let dir: string;
  let target: Server;
  let targetUrl: string;
  const received: Array<{ id: string; replay?: string }> = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lakewatch-cli-replay-'));
    bus = await startLocalBus({ dataDir: join(dir, 'bus'), port: 0 });
    target = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        const e = JSON.parse(body) as { id: string; 'replay-name'?: string };
        received.push({ id: e.id, ...(e['replay-name'] ? { replay: e['replay-name'] } : {}) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hook`;
  });

  afterAll(async () => {
    target.close();
    target.closeAllConnections();
    await bus.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("replays the archive's window to one rule and waits until COMPLETED", async () => {
    // Prepare: an archive of the default bus, a rule with an HTTP target, three events.
    const client = new EventBridgeClient({
      endpoint: bus.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const { ArchiveArn } = await client.send(
      new CreateArchiveCommand({
        ArchiveName: 'all',
        EventSourceArn: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
      }),
    );
    await client.send(
      new PutRuleCommand({ Name: 'pairs', EventPattern: '{"source":["cli.replay.test"]}' }),
    );
    await client.send(
      new PutTargetsCommand({ Rule: 'pairs', Targets: [{ Id: 'hook', Arn: targetUrl }] }),
    );
    const before = new Date(Date.now() - 60_000);
    await client.send(
      new PutEventsCommand({
        Entries: [1, 2, 3].map((i) => ({
          Source: 'cli.replay.test',
          DetailType: 'T',
          Detail: JSON.stringify({ i }),
        })),
      }),
    );
    client.destroy();
    const deadline = Date.now() + 10_000;
    while (received.length < 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));

    // Act
    const r = await runCli(
      'replay',
      '--endpoint',
      bus.url,
      '--archive',
      ArchiveArn ?? 'all',
      '--from',
      before.toISOString(),
      '--to',
      new Date().toISOString(),
      '--rules',
      'pairs',
      '--name',
      'local-1',
      '--poll-interval',
      '0.05',
    );

    // Assess
    expect(r.err).not.toContain('lakewatch:');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ replay: 'local-1', state: 'COMPLETED' });
    while (received.length < 6 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const original = received.filter((e) => !e.replay).map((e) => e.id);
    const replayed = received.filter((e) => e.replay === 'local-1').map((e) => e.id);
    expect(original).toHaveLength(3);
    expect(replayed.sort()).toEqual([...original].sort());
  });
});
