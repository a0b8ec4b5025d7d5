import { createSocket } from 'node:dgram';
import { appendFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { FindingEnrichedV1 } from '@lakewatch/contracts';
import { createTransport } from 'nodemailer';
import { DeliveryError } from './errors.js';
import { cefMessage, octetCount, syslogFrame } from './formats/cef.js';
import { bulkBody, ecsDocument, splunkEvent } from './formats/siem.js';
import { slackMessage } from './formats/slack.js';
import { type FindingSummary, summarize } from './formats/summary.js';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './formats/webhook.js';
import { postChecked } from './http-post.js';
import type { TargetDef } from './targets-config.js';

/** One notification to send. */
export interface Notification {
  finding: FindingEnrichedV1;
  route: string;
  /** The EventBridge id of the FindingEnriched event. */
  eventId: string;
}

/** Sends one notification to one target; resolves with what the target answered. */
export type Sender = (n: Notification) => Promise<string>;

/** What senders need from outside. */
export interface SenderDeps {
  /** The SNS client for `sns` targets (one per region). */
  sns?: (region: string | undefined) => SNSClient;
  now?: () => Date;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function classifySmtp(e: unknown, id: string): DeliveryError {
  const err = e as { code?: string; responseCode?: number };
  const code = err.responseCode
    ? `smtp-${err.responseCode}`
    : (err.code ?? 'smtp-error').toLowerCase();
  // 4xx SMTP replies and connection problems are transient; 5xx are not.
  const retryable = err.responseCode ? err.responseCode < 500 : true;
  return new DeliveryError(code.slice(0, 64), `target ${id}: SMTP ${code}`, retryable);
}

function textBody(s: FindingSummary, route: string): string {
  return [
    s.title,
    '',
    `Risk:    ${s.riskScore} (${s.riskLevel})`,
    `Entity:  ${s.entity}`,
    `IP:      ${s.ip}`,
    `Route:   ${route}`,
    `Finding: ${s.findingId}`,
    ...(s.country || s.asn ? [`Where:   ${[s.country, s.asn].filter(Boolean).join(' · ')}`] : []),
    '',
    ...s.reasons.map((r) => `- ${r}`),
    ...(s.guardDuty.length > 0 ? [`GuardDuty: ${s.guardDuty.join(', ')}`] : []),
    ...(s.reputation.length > 0 ? [`Reputation: ${s.reputation.join(', ')}`] : []),
    `Tags: ${s.tags.join(', ')}`,
  ].join('\n');
}

/** Subjects and SNS subjects: one line of printable text. */
function oneLine(text: string, max: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, max);
}

function sendSyslog(
  def: Extract<TargetDef, { kind: 'syslog-cef' }>,
  frame: string,
): Promise<string> {
  if (def.protocol === 'udp') {
    return new Promise((resolve, reject) => {
      const socket = createSocket(def.host.includes(':') ? 'udp6' : 'udp4');
      socket.send(Buffer.from(frame), def.port, def.host, (e) => {
        socket.close();
        if (e)
          reject(
            new DeliveryError(
              'network-error',
              `target ${def.id}: UDP send failed (${(e as NodeJS.ErrnoException).code})`,
              true,
            ),
          );
        else resolve(`udp ${Buffer.byteLength(frame)} bytes`);
      });
    });
  }
  return new Promise((resolve, reject) => {
    const data = octetCount(frame);
    const socket = connect({ host: def.host, port: def.port, timeout: def.timeoutMs });
    socket.on('timeout', () =>
      socket.destroy(
        new DeliveryError(
          'timeout',
          `target ${def.id}: no connection within ${def.timeoutMs} ms`,
          true,
        ),
      ),
    );
    socket.on('error', (e) =>
      reject(
        e instanceof DeliveryError
          ? e
          : new DeliveryError(
              (e as NodeJS.ErrnoException).code === 'ECONNREFUSED'
                ? 'connection-refused'
                : 'network-error',
              `target ${def.id}: TCP ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
              true,
            ),
      ),
    );
    socket.on('connect', () =>
      socket.end(data, () => resolve(`tcp ${Buffer.byteLength(data)} bytes`)),
    );
  });
}

/** Builds the sender of a target definition. */
export function createSender(def: TargetDef, deps: SenderDeps = {}): Sender {
  const now = deps.now ?? (() => new Date());
  const http = { targetId: def.id, allow: def.allowAddresses, timeoutMs: def.timeoutMs };
  switch (def.kind) {
    case 'slack':
      return async ({ finding, route }) => {
        const a = await postChecked(
          def.url,
          JSON.stringify(slackMessage(summarize(finding), route)),
          { ...http, headers: JSON_HEADERS },
        );
        return `HTTP ${a.status}`;
      };
    case 'webhook':
      return async ({ finding, route, eventId }) => {
        const body = JSON.stringify({ route, target: def.id, eventId, finding });
        const ts = Math.floor(now().getTime() / 1000);
        const headers: Record<string, string> = {
          ...def.headers,
          ...JSON_HEADERS,
          [TIMESTAMP_HEADER]: String(ts),
        };
        if (def.signingSecret) headers[SIGNATURE_HEADER] = signWebhook(def.signingSecret, ts, body);
        const a = await postChecked(def.url, body, { ...http, headers });
        return `HTTP ${a.status}`;
      };
    case 'splunk-hec':
      return async ({ finding, route }) => {
        const url = new URL('/services/collector/event', def.url).toString();
        const body = JSON.stringify(
          splunkEvent(finding, summarize(finding), route, {
            ...(def.index !== undefined && { index: def.index }),
            ...(def.sourcetype !== undefined && { sourcetype: def.sourcetype }),
          }),
        );
        const a = await postChecked(url, body, {
          ...http,
          headers: { ...JSON_HEADERS, authorization: `Splunk ${def.token}` },
        });
        return `HTTP ${a.status} ${a.body.slice(0, 200)}`;
      };
    case 'elasticsearch':
      return async ({ finding, route }) => {
        const url = new URL('/_bulk', def.url).toString();
        const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
        if (def.apiKey) headers.authorization = `ApiKey ${def.apiKey}`;
        else if (def.username && def.password) {
          headers.authorization = `Basic ${Buffer.from(`${def.username}:${def.password}`).toString('base64')}`;
        }
        const body = bulkBody(
          def.index,
          finding.findingId,
          ecsDocument(finding, summarize(finding), route),
        );
        const a = await postChecked(url, body, { ...http, headers });
        // _bulk answers 200 even when an item failed: look at the item.
        let item: { status?: number; error?: { type?: string } } | undefined;
        try {
          const parsed = JSON.parse(a.body) as {
            errors?: boolean;
            items?: Record<string, typeof item>[];
          };
          item = parsed.items?.[0] ? Object.values(parsed.items[0])[0] : undefined;
          if (parsed.errors || (item?.status ?? 200) >= 300) {
            const status = item?.status ?? 500;
            throw new DeliveryError(
              `bulk-${status}`,
              `target ${def.id}: _bulk item failed (${status} ${item?.error?.type ?? ''})`,
              status === 429 || status >= 500,
            );
          }
        } catch (e) {
          if (e instanceof DeliveryError) throw e;
          throw new DeliveryError(
            'bad-response',
            `target ${def.id}: _bulk answer is not JSON`,
            true,
          );
        }
        return `HTTP ${a.status} item ${item?.status ?? '?'}`;
      };
    case 'syslog-cef':
      return ({ finding, route }) => {
        const s = summarize(finding);
        const frame = syslogFrame(cefMessage(s, route), {
          format: def.format,
          facility: def.facility,
          hostname: def.hostname,
          time: now(),
          level: s.riskLevel,
        });
        return sendSyslog(def, frame);
      };
    case 'sns':
      return async ({ finding, route }) => {
        const client = deps.sns?.(def.region);
        if (!client)
          throw new DeliveryError('not-configured', `target ${def.id}: no SNS client`, false);
        const s = summarize(finding);
        const fifo = def.topicArn.endsWith('.fifo');
        try {
          const out = await client.send(
            new PublishCommand({
              TopicArn: def.topicArn,
              Subject: oneLine(`[Lakewatch ${s.riskLevel}] ${s.title}`, 100),
              Message: textBody(s, route),
              MessageAttributes: {
                route: { DataType: 'String', StringValue: route },
                riskLevel: { DataType: 'String', StringValue: s.riskLevel },
                riskScore: { DataType: 'Number', StringValue: String(s.riskScore) },
              },
              ...(fifo && {
                MessageGroupId: route,
                MessageDeduplicationId: `${finding.findingId}`.slice(0, 128),
              }),
            }),
          );
          return `MessageId ${out.MessageId ?? '?'}`;
        } catch (e) {
          const err = e as {
            name?: string;
            $retryable?: unknown;
            $metadata?: { httpStatusCode?: number };
          };
          const status = err.$metadata?.httpStatusCode ?? 0;
          throw new DeliveryError(
            `sns-${err.name ?? 'error'}`.slice(0, 64),
            `target ${def.id}: SNS Publish failed (${err.name ?? 'error'})`,
            err.$retryable !== undefined || status >= 500 || status === 429 || status === 0,
          );
        }
      };
    case 'email': {
      const transport = createTransport({
        host: def.host,
        port: def.port,
        secure: def.secure,
        requireTLS: def.requireTls && !def.secure,
        ignoreTLS: !def.requireTls && !def.secure,
        connectionTimeout: def.timeoutMs,
        greetingTimeout: def.timeoutMs,
        socketTimeout: def.timeoutMs,
        ...(def.username && def.password && { auth: { user: def.username, pass: def.password } }),
      });
      return async ({ finding, route }) => {
        const s = summarize(finding);
        try {
          const info = await transport.sendMail({
            from: def.from,
            to: def.to,
            subject: oneLine(`[Lakewatch ${s.riskLevel}] ${s.title}`, 200),
            text: textBody(s, route),
            headers: {
              'X-Lakewatch-Finding': finding.findingId,
              'X-Lakewatch-Route': oneLine(route, 64),
            },
          });
          return oneLine(String(info.response), 512);
        } catch (e) {
          throw classifySmtp(e, def.id);
        }
      };
    }
    case 'file':
      return async ({ finding, route, eventId }) => {
        const line = `${JSON.stringify({ at: now().toISOString(), route, eventId, finding })}\n`;
        try {
          await appendFile(def.path, line, { encoding: 'utf8', flag: 'a' });
        } catch (e) {
          throw new DeliveryError(
            'file-error',
            `target ${def.id}: cannot append (${(e as NodeJS.ErrnoException).code})`,
            true,
          );
        }
        return `appended ${Buffer.byteLength(line)} bytes`;
      };
  }
}
