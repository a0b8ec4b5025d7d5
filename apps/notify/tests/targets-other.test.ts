import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createSender, parseNotifyTargets, type TargetDef } from '../src/index.js';
import { finding } from './helpers.js';
import { tcpListener, udpListener, until } from './receivers.js';

function target(def: Record<string, unknown>, env: Record<string, string> = {}): TargetDef {
  const t = parseNotifyTargets({ targets: { t1: def } }, env).targets.get('t1');
  if (!t) throw new Error('no target');
  return t;
}

const NOW = new Date('2026-11-28T14:06:20.000Z');
const n = { finding: finding(), route: 'findings-reputation-to-syslog', eventId: 'evt-1' };

describe('Function: createSender (syslog, file, e-mail, SNS)', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  it('syslog-cef over UDP: one RFC 5424 datagram carrying the CEF message', async () => {
    // Prepare
    const udp = await udpListener();
    cleanup.push(() => udp.close());
    const send = createSender(
      target({ kind: 'syslog-cef', host: '127.0.0.1', port: udp.port, protocol: 'udp' }),
      { now: () => NOW },
    );
    // Act
    await send(n);
    // Assess
    const msg = await until(() => udp.messages[0]);
    // facility 10 (authpriv) · 8 + severity 2 (critical)
    expect(msg).toMatch(
      /^<82>1 2026-11-28T14:06:20\.000Z lakewatch lakewatch - finding - CEF:0\|Lakewatch\|Lakewatch\|1\.0\|lakewatch-finding\|/,
    );
    expect(msg).toContain('|9|rt=1795874773002 externalId=fnd-7c4a8d09ca3762af');
    expect(msg).toContain('src=198.51.100.23');
  });

  it('syslog-cef over TCP: RFC 3164 frames with RFC 6587 octet counting', async () => {
    // Prepare
    const tcp = await tcpListener();
    cleanup.push(() => tcp.close());
    const send = createSender(
      target({
        kind: 'syslog-cef',
        host: '127.0.0.1',
        port: tcp.port,
        protocol: 'tcp',
        format: 'rfc3164',
        hostname: 'lw host',
      }),
      { now: () => NOW },
    );
    // Act
    await send(n);
    // Assess
    const stream = await until(() => tcp.streams[0]);
    const space = stream.indexOf(' ');
    const length = Number(stream.slice(0, space));
    const frame = stream.slice(space + 1);
    expect(Buffer.byteLength(frame)).toBe(length);
    expect(frame).toMatch(/^<82>Nov 28 14:06:20 lw_host lakewatch: CEF:0\|/);
  });

  it('syslog-cef over TCP: a closed port fails retryable connection-refused', async () => {
    // Prepare
    const tcp = await tcpListener();
    await tcp.close();
    const send = createSender(
      target({ kind: 'syslog-cef', host: '127.0.0.1', port: tcp.port, protocol: 'tcp' }),
    );
    // Act & Assess
    await expect(send(n)).rejects.toMatchObject({ code: 'connection-refused', retryable: true });
  });

  it('file: one JSON line per notification, hostile text kept on its line', async () => {
    // Prepare
    const path = join(await mkdtemp(join(tmpdir(), 'notify-file-')), 'findings.jsonl');
    const send = createSender(target({ kind: 'file', path }), { now: () => NOW });
    const evil = finding({ tags: ['a\nb', '"}\n{"x":1'] });
    // Act
    await send({ ...n, finding: evil });
    await send(n);
    // Assess
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0] ?? '').finding.tags).toEqual(['a\nb', '"}\n{"x":1']);
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({
      route: n.route,
      eventId: 'evt-1',
      at: NOW.toISOString(),
    });
  });

  it('email: a real SMTP client delivers to a real SMTP server, with authentication', async () => {
    // Prepare
    const mails: { from: string; to: string[]; data: string; user?: string }[] = [];
    const server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      authOptional: false,
      onAuth(auth, _session, cb) {
        if (auth.username === 'lw' && auth.password === 'pw-secret') cb(null, { user: 'lw' });
        else cb(new Error('bad credentials'));
      },
      onData(stream, session, cb) {
        let data = '';
        stream.on('data', (c: Buffer) => {
          data += c.toString('utf8');
        });
        stream.on('end', () => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            data,
            user: String(session.user),
          });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.server.address() as { port: number }).port;
    const send = createSender(
      target(
        {
          kind: 'email',
          host: '127.0.0.1',
          port,
          requireTls: false,
          from: 'lakewatch@example.com',
          to: ['soc@example.com'],
          username: 'lw',
          password: { secretEnv: 'SMTP_PW' },
        },
        { SMTP_PW: 'pw-secret' },
      ),
    );
    const evil = finding();
    evil.finding = {
      ...evil.finding,
      finding_info: { ...evil.finding.finding_info, title: 'Title\r\nBcc: victim@example.com' },
    };
    // Act
    const response = await send({ ...n, finding: evil });
    // Assess
    expect(response).toMatch(/^250/);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      from: 'lakewatch@example.com',
      to: ['soc@example.com'],
      user: 'lw',
    });
    expect(mails[0]?.data).toContain('Subject: [Lakewatch critical] Title Bcc: victim@example.com');
    const headers = (mails[0]?.data ?? '').split('\r\n\r\n')[0] ?? '';
    expect(headers).not.toMatch(/^Bcc:/m);
    expect(mails[0]?.data).toContain('X-Lakewatch-Finding: fnd-7c4a8d09ca3762af');
  });

  it('email: a rejected recipient (550) fails for good', async () => {
    // Prepare
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(_a, _s, cb) {
        cb(Object.assign(new Error('no such user'), { responseCode: 550 }));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.server.address() as { port: number }).port;
    const send = createSender(
      target({
        kind: 'email',
        host: '127.0.0.1',
        port,
        requireTls: false,
        from: 'a@example.com',
        to: ['b@example.com'],
      }),
    );
    // Act & Assess
    await expect(send(n)).rejects.toMatchObject({ code: 'smtp-550', retryable: false });
  });

  it('sns: Publish with subject, text message and attributes (SDK level)', async () => {
    // Prepare
    const sns = mockClient(SNSClient);
    cleanup.push(() => sns.restore());
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const client = new SNSClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const send = createSender(
      target({ kind: 'sns', topicArn: 'arn:aws:sns:us-east-1:111122223333:oncall.fifo' }),
      { sns: () => client },
    );
    // Act
    const response = await send(n);
    // Assess
    expect(response).toBe('MessageId m-1');
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      TopicArn: 'arn:aws:sns:us-east-1:111122223333:oncall.fifo',
      MessageGroupId: n.route,
      MessageDeduplicationId: n.finding.findingId,
      MessageAttributes: {
        riskLevel: { DataType: 'String', StringValue: 'critical' },
        riskScore: { DataType: 'Number', StringValue: '91' },
      },
    });
    expect(input?.Subject?.length).toBeLessThanOrEqual(100);
    expect(input?.Message).toContain('IP:      198.51.100.23');
  });

  it('sns: a throttled Publish is retryable', async () => {
    // Prepare
    const sns = mockClient(SNSClient);
    cleanup.push(() => sns.restore());
    sns.on(PublishCommand).rejects(
      Object.assign(new Error('slow down'), {
        name: 'ThrottledException',
        $metadata: { httpStatusCode: 429 },
      }),
    );
    const client = new SNSClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const send = createSender(
      target({ kind: 'sns', topicArn: 'arn:aws:sns:us-east-1:111122223333:oncall' }),
      { sns: () => client },
    );
    // Act & Assess
    await expect(send(n)).rejects.toMatchObject({
      code: 'sns-ThrottledException',
      retryable: true,
    });
  });
});
