import { type ChildProcess, spawn } from 'node:child_process';
import { appendFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type LocalBus, startLocalBus } from '@lakewatch/local-bus-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedbackSuppressions } from '../src/index.js';
import { envelope, finding } from './helpers.js';
import { type HttpReceiver, httpReceiver } from './receivers.js';

const BIN = join(import.meta.dirname, '../bin/notify.js');
const CREDS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };

const label = (verdict: string, uid: string, ip: string, findingId = 'fnd-1') =>
  `${JSON.stringify({ findingId, verdict, entity: { type: 'instance', uid }, ip, labeledAt: '2026-11-29T00:00:00Z' })}\n`;

describe('Function: FeedbackSuppressions', () => {
  it('suppresses the pairs whose last label is false-positive, skips bad lines, reloads on change', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'notify-supp-'));
    const file = join(dir, 'labels.jsonl');
    const s = new FeedbackSuppressions(file, { reloadMs: 0 });
    // Act + Assess: missing file suppresses nothing
    expect(s.match({ type: 'instance', uid: 'i-1' }, '198.51.100.7')).toBeUndefined();
    await writeFile(
      file,
      label('false-positive', 'i-1', '198.51.100.7', 'fnd-a') +
        'not json\n{"findingId":"x","verdict":"maybe"}\n' +
        label('false-positive', 'i-2', '203.0.113.9', 'fnd-b'),
    );
    expect(s.match({ type: 'instance', uid: 'i-1' }, '198.51.100.7')?.findingId).toBe('fnd-a');
    expect(s.match({ type: 'instance', uid: 'i-1' }, '203.0.113.9')).toBeUndefined();
    expect(s.rejected).toBe(2);
    await appendFile(file, label('true-positive', 'i-1', '198.51.100.7', 'fnd-c'));
    expect(s.match({ type: 'instance', uid: 'i-1' }, '198.51.100.7')).toBeUndefined();
    expect(s.size).toBe(1);
  });
});

describe('Function: notify process with NOTIFY_SUPPRESSIONS', () => {
  let bus: LocalBus;
  let child: ChildProcess;
  let rx: HttpReceiver;
  let url = '';
  let labels = '';

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'notify-supp-it-'));
    rx = await httpReceiver();
    labels = join(dir, 'labels.jsonl');
    await writeFile(
      join(dir, 'notify.json'),
      JSON.stringify({
        defaults: { maxAttempts: 1, suppressionSeconds: 0 },
        targets: {
          hook: { kind: 'webhook', url: `${rx.url}/hook`, allowAddresses: ['127.0.0.1'] },
        },
      }),
    );
    bus = await startLocalBus({ dataDir: join(dir, 'bus'), port: 0, log: () => {} });
    child = spawn(process.execPath, [BIN], {
      env: {
        ...process.env,
        ...CREDS,
        AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url,
        PORT: '0',
        NOTIFY_CONFIG: join(dir, 'notify.json'),
        NOTIFY_STATE_DIR: join(dir, 'state'),
        NOTIFY_SUPPRESSIONS: labels,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`notify exited with ${code}`)));
      lines.on('line', (line) => {
        if (line.startsWith('{"service":"notify"')) resolve(JSON.parse(line).url as string);
      });
    });
  }, 30_000);

  afterAll(async () => {
    child?.kill('SIGTERM');
    await bus?.close();
    await rx?.close();
  });

  const send = async (findingId: string, ip: string) => {
    const f = finding({ findingId, ip });
    const res = await fetch(`${url}/routed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: 'r', targets: ['hook'], event: envelope(f) }),
    });
    if (res.status !== 200) throw new Error(`routed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { outcomes: Array<{ status: string }> }).outcomes[0]!.status;
  };

  it('stops notifying an (entity, IP) an analyst marked false-positive, and resumes when relabelled', async () => {
    // Prepare: the analyst's label on the example finding's pair
    const uid = finding().entity.uid;
    await writeFile(labels, label('false-positive', uid, '198.51.100.23', 'fnd-old'));
    // Act + Assess: that pair is suppressed; another IP of the same entity is delivered
    expect(await send('fnd-00001', '198.51.100.23')).toBe('suppressed');
    expect(await send('fnd-00002', '198.51.100.24')).toBe('delivered');
    expect(
      rx.requests.map((r) => (JSON.parse(r.body) as { finding: { ip: string } }).finding.ip),
    ).toEqual(['198.51.100.24']);
    // a later true-positive label lifts the suppression (file re-read within a second)
    await appendFile(labels, label('true-positive', uid, '198.51.100.23', 'fnd-1'));
    await new Promise((r) => setTimeout(r, 1100));
    expect(await send('fnd-00003', '198.51.100.23')).toBe('delivered');
    const health = (await (await fetch(`${url}/health`)).json()) as Record<string, number>;
    expect(health.suppressedByFeedback).toBe(1);
    expect(rx.requests).toHaveLength(2);
  }, 30_000);
});
