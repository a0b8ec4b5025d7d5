import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { buildPutEventsEntry, rulePattern } from '@lakewatch/contracts';
import { type LocalBus, startLocalBus } from '@lakewatch/local-bus-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../bin/enrich.js');
const FIXTURES = join(import.meta.dirname, 'fixtures');
const EVENT = JSON.parse(
  readFileSync(join(import.meta.dirname, 'events/eventbridge/anomaly-detected.json'), 'utf8'),
);

describe('Integration: enrich as a process behind the local bus', () => {
  let bus: LocalBus;
  let child: ChildProcess;
  let sink: Server;
  const findings: { detail: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    bus = await startLocalBus({
      dataDir: await mkdtemp(join(tmpdir(), 'lakewatch-bus-')),
      port: 0,
      log: () => {},
    });
    sink = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        findings.push(JSON.parse(body));
        res.end();
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    child = spawn('node', [BIN], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url,
        ENRICH_FEEDS: `${join(FIXTURES, 'firehol_level1.netset')}#attacker,${join(FIXTURES, 'scores.csv')}`,
        ENRICH_ASSETS: join(FIXTURES, 'assets.json'),
        ENRICH_GEO: 'false',
        ENRICH_STATE_DIR: await mkdtemp(join(tmpdir(), 'lakewatch-enrich-state-')),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`enrich exited with ${code}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.startsWith('{"service":"enrich"')) resolve(JSON.parse(line).url as string);
      });
    });
    const client = new EventBridgeClient({
      endpoint: bus.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    for (const [name, pattern, target] of [
      ['anomalies-to-enrich', rulePattern('AnomalyDetected'), `${url}/events`],
      [
        'findings-to-sink',
        rulePattern('FindingEnriched'),
        `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`,
      ],
    ] as const) {
      await client.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(pattern) }));
      await client.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't', Arn: target }] }));
    }
  }, 120_000);

  afterAll(async () => {
    child?.kill('SIGTERM');
    sink?.close();
    await bus?.close();
  });

  it('turns AnomalyDetected into a FindingEnriched with reputation and asset context', async () => {
    const client = new EventBridgeClient({
      endpoint: bus.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await client.send(
      new PutEventsCommand({ Entries: [buildPutEventsEntry('AnomalyDetected', EVENT.detail)] }),
    );
    for (let i = 0; i < 200 && findings.length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.detail).toMatchObject({
      ip: '198.51.100.23',
      intel: {
        guardDuty: { status: 'disabled' },
        reputation: [{ feed: 'scores' }, { feed: 'firehol_level1' }],
      },
      tags: expect.arrayContaining(['asset:db', 'reputation:scanner', 'pci']),
      finding: { class_uid: 2004 },
    });
  });
});
