import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { buildPutEventsEntry } from '@lakewatch/contracts';
import { type LocalBus, loadRoutingFile, startLocalBus } from '@lakewatch/local-bus-server';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../src/index.js';
import { finding } from './helpers.js';
import { type HttpReceiver, httpReceiver, udpListener, until } from './receivers.js';

const BIN = join(import.meta.dirname, '../bin/notify.js');
const ROUTING = join(import.meta.dirname, '../../../contracts/routing/lakewatch.json');
const CREDS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('Function: notify behind the real local bus (process, pipeline routing file)', () => {
  let bus: LocalBus;
  let child: ChildProcess;
  let rx: HttpReceiver;
  let outcomes: HttpReceiver;
  let udp: Awaited<ReturnType<typeof udpListener>>;
  let smtp: SMTPServer;
  const mails: string[] = [];
  let dir: string;
  let stdout = '';
  let notifyUrl = '';

  async function waitForHealth(ok: (h: Record<string, number>) => boolean): Promise<void> {
    const end = Date.now() + 20_000;
    for (;;) {
      const h = (await (await fetch(`${notifyUrl}/health`)).json()) as Record<string, number>;
      if (ok(h)) return;
      if (Date.now() > end) throw new Error(`health never matched: ${JSON.stringify(h)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    // Prepare: receivers for every target the pipeline routes name (SNS has no local stand-in:
    // its target is left out of the config, so that route reports NotificationFailed unknown-target)
    dir = await mkdtemp(join(tmpdir(), 'notify-it-'));
    rx = await httpReceiver([
      { status: 200, body: '{"errors":false,"items":[{"index":{"status":201}}]}' },
    ]);
    outcomes = await httpReceiver();
    udp = await udpListener();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _s, cb) {
        let d = '';
        stream.on('data', (c: Buffer) => {
          d += c.toString();
        });
        stream.on('end', () => {
          mails.push(d);
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const local = { allowAddresses: ['127.0.0.1'] };
    await writeFile(
      join(dir, 'notify.json'),
      JSON.stringify({
        defaults: { maxAttempts: 2, backoffBaseMs: 50, suppressionSeconds: 3600 },
        targets: {
          'slack-secops': { kind: 'slack', url: { secretEnv: 'SLACK_URL' }, ...local },
          'siem-webhook': {
            kind: 'webhook',
            url: `${rx.url}/siem`,
            signingSecret: { secretEnv: 'SIEM_SECRET' },
            ...local,
          },
          'audit-file': { kind: 'file', path: join(dir, 'findings.jsonl') },
          'email-soc': {
            kind: 'email',
            host: '127.0.0.1',
            port: (smtp.server.address() as AddressInfo).port,
            requireTls: false,
            from: 'lw@example.com',
            to: ['soc@example.com'],
          },
          'splunk-hec': {
            kind: 'splunk-hec',
            url: rx.url,
            token: { secretEnv: 'HEC_TOKEN' },
            ...local,
          },
          elastic: { kind: 'elasticsearch', url: rx.url, index: 'findings', ...local },
          'syslog-cef': { kind: 'syslog-cef', host: '127.0.0.1', port: udp.port },
        },
      }),
    );
    await writeFile(join(dir, 'siem-secret'), 'siem-secret-from-file\n');
    const port = await freePort();
    notifyUrl = `http://127.0.0.1:${port}`;
    const routing = loadRoutingFile(ROUTING);
    routing.Services.notify = `http://127.0.0.1:${port}/routed`;
    bus = await startLocalBus({
      dataDir: join(dir, 'bus'),
      port: 0,
      routing,
      retryBaseDelayMs: 100,
      log: () => {},
    });
    const client = new EventBridgeClient({
      endpoint: bus.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    await client.send(
      new PutRuleCommand({
        Name: 'outcomes',
        EventBusName: 'lakewatch',
        EventPattern: JSON.stringify({ source: ['lakewatch.notify'] }),
      }),
    );
    await client.send(
      new PutTargetsCommand({
        Rule: 'outcomes',
        EventBusName: 'lakewatch',
        Targets: [{ Id: 'rx', Arn: `${outcomes.url}/outcomes` }],
      }),
    );
    child = spawn('node', [BIN], {
      env: {
        ...process.env,
        ...CREDS,
        AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url,
        PORT: String(port),
        NOTIFY_CONFIG: join(dir, 'notify.json'),
        NOTIFY_STATE_DIR: join(dir, 'state'),
        EVENT_BUS_NAME: 'lakewatch',
        LOG_LEVEL: 'debug',
        SLACK_URL: `${rx.url}/slack/T0/B0/slack-secret-token`,
        SIEM_SECRET_FILE: join(dir, 'siem-secret'),
        HEC_TOKEN: 'hec-secret-token',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`notify exited with ${code}`)));
      lines.on('line', (line) => {
        stdout += `${line}\n`;
        if (line.startsWith('{"service":"notify"')) resolve();
      });
    });
    // Act: the same finding published twice (two events, one finding id)
    const f = finding();
    for (let i = 0; i < 2; i++) {
      const out = await client.send(
        new PutEventsCommand({
          Entries: [buildPutEventsEntry('FindingEnriched', f, { eventBusName: 'lakewatch' })],
        }),
      );
      expect(out.FailedEntryCount).toBe(0);
    }
  }, 60_000);

  afterAll(async () => {
    child?.kill('SIGTERM');
    await bus?.close();
    await rx?.close();
    await outcomes?.close();
    udp?.close();
    await new Promise<void>((r) => smtp?.close(() => r()));
  });

  it('delivers the finding once to every routed target, and publishes one outcome per target', async () => {
    // Assess: 4 routes match the critical finding → 8 targets; SNS is not configured
    const results = await until(
      () => (outcomes.requests.length >= 8 ? outcomes.requests : undefined),
      30_000,
    );
    const byTarget = Object.fromEntries(
      results.map((r) => {
        const e = JSON.parse(r.body) as {
          'detail-type': string;
          detail: { target: { id: string }; error?: { code: string } };
        };
        return [e.detail.target.id, e.detail.error?.code ?? e['detail-type']];
      }),
    );
    expect(byTarget).toEqual({
      'slack-secops': 'NotificationDelivered',
      'siem-webhook': 'NotificationDelivered',
      'audit-file': 'NotificationDelivered',
      'email-soc': 'NotificationDelivered',
      'sns-oncall': 'unknown-target',
      'splunk-hec': 'NotificationDelivered',
      elastic: 'NotificationDelivered',
      'syslog-cef': 'NotificationDelivered',
    });
    // the second publication has reached notify (8 duplicates) and sent nothing more
    await waitForHealth((h) => h.duplicates === 8);
    const paths = rx.requests.map((r) => r.path.split('/')[1]).sort();
    expect(paths).toEqual(['_bulk', 'services', 'siem', 'slack']);
    const siem = rx.requests.find((r) => r.path === '/siem');
    expect(
      verifyWebhook(
        'siem-secret-from-file',
        Number(siem?.headers['x-lakewatch-timestamp']),
        siem?.body ?? '',
        String(siem?.headers['x-lakewatch-signature']),
      ),
    ).toBe(true);
    expect(udp.messages).toHaveLength(1);
    expect(mails).toHaveLength(1);
    expect((await readFile(join(dir, 'findings.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(
      1,
    );
    expect(outcomes.requests).toHaveLength(8);
    expect(stdout).not.toContain('slack-secret-token');
    expect(stdout).not.toContain('hec-secret-token');
    expect(stdout).not.toContain('siem-secret-from-file');
  }, 40_000);

  it('answers 400 to an input that is not a routed FindingEnriched (the bus dead-letters it)', async () => {
    // Act
    const res = await fetch(`${notifyUrl}/routed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: 'r', targets: ['elastic'], event: { id: 'x' } }),
    });
    // Assess
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^route r: /);
  });
});
