import { afterEach, describe, expect, it } from 'vitest';
import {
  createSender,
  DeliveryError,
  parseNotifyTargets,
  postChecked,
  SIGNATURE_HEADER,
  type TargetDef,
  TIMESTAMP_HEADER,
  verifyWebhook,
} from '../src/index.js';
import { finding } from './helpers.js';
import { type HttpReceiver, httpReceiver } from './receivers.js';

const LOCAL = ['127.0.0.1'];

function target(def: Record<string, unknown>, env: Record<string, string> = {}): TargetDef {
  const t = parseNotifyTargets({ targets: { t1: def } }, env).targets.get('t1');
  if (!t) throw new Error('no target');
  return t;
}

const hostile = finding({
  ip: '198.51.100.23',
  tags: ['<!channel>', 'a|b=c\\d', 'line\nbreak'],
});
hostile.finding = {
  ...hostile.finding,
  finding_info: {
    ...hostile.finding.finding_info,
    title: '<!channel> & <https://evil.example|click> *bold*',
  },
};

describe('Function: createSender (HTTP targets against a real receiver)', () => {
  let rx: HttpReceiver | undefined;
  afterEach(async () => rx?.close());

  it('webhook: JSON body with an HMAC-SHA256 signature over timestamp + body', async () => {
    // Prepare
    rx = await httpReceiver();
    const send = createSender(
      target(
        {
          kind: 'webhook',
          url: `${rx.url}/hook`,
          signingSecret: { secretEnv: 'HOOK_SECRET' },
          allowAddresses: LOCAL,
          headers: { 'x-source': 'lakewatch' },
        },
        { HOOK_SECRET: 's3cr3t' },
      ),
    );
    // Act
    const response = await send({
      finding: finding(),
      route: 'findings-high-risk',
      eventId: 'evt-1',
    });
    // Assess
    expect(response).toBe('HTTP 200');
    const req = rx.requests[0];
    expect(req?.path).toBe('/hook');
    expect(req?.headers['x-source']).toBe('lakewatch');
    const ts = Number(req?.headers[TIMESTAMP_HEADER]);
    expect(
      verifyWebhook('s3cr3t', ts, req?.body ?? '', String(req?.headers[SIGNATURE_HEADER])),
    ).toBe(true);
    expect(
      verifyWebhook('wrong', ts, req?.body ?? '', String(req?.headers[SIGNATURE_HEADER])),
    ).toBe(false);
    expect(JSON.parse(req?.body ?? '')).toMatchObject({
      route: 'findings-high-risk',
      eventId: 'evt-1',
      finding: { findingId: finding().findingId },
    });
  });

  it('refuses loopback unless the target allows it (unsafe-address), sending nothing', async () => {
    // Prepare
    rx = await httpReceiver();
    const send = createSender(target({ kind: 'webhook', url: `${rx.url}/hook` }));
    // Act
    const error = await send({ finding: finding(), route: 'r', eventId: 'e' }).catch(
      (e: unknown) => e,
    );
    // Assess
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ code: 'unsafe-address', retryable: false });
    expect(rx.requests).toHaveLength(0);
  });

  it('slack: readable blocks with mrkdwn escaped (no mention or link can be injected)', async () => {
    // Prepare
    rx = await httpReceiver([{ status: 200, body: 'ok' }]);
    const send = createSender(
      target(
        { kind: 'slack', url: { secretEnv: 'SLACK_URL' }, allowAddresses: LOCAL },
        { SLACK_URL: `${rx.url}/services/T/B/X` },
      ),
    );
    // Act
    await send({ finding: hostile, route: 'findings-high-risk', eventId: 'e' });
    // Assess
    const body = JSON.parse(rx.requests[0]?.body ?? '{}') as {
      text: string;
      blocks: { type: string }[];
    };
    expect(body.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    const mrkdwn = JSON.stringify(body.blocks.slice(1)) + body.text;
    expect(mrkdwn).not.toContain('<!channel>');
    expect(mrkdwn).not.toContain('<https://');
    expect(mrkdwn).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
  });

  it('splunk-hec: POST /services/collector/event with Authorization: Splunk <token>', async () => {
    // Prepare
    rx = await httpReceiver([{ status: 200, body: '{"text":"Success","code":0}' }]);
    const send = createSender(
      target(
        {
          kind: 'splunk-hec',
          url: rx.url,
          token: { secretEnv: 'HEC' },
          index: 'security',
          allowAddresses: LOCAL,
        },
        { HEC: 'tok-123' },
      ),
    );
    // Act
    const response = await send({
      finding: finding(),
      route: 'findings-guardduty-to-siem',
      eventId: 'e',
    });
    // Assess
    const req = rx.requests[0];
    expect(req?.path).toBe('/services/collector/event');
    expect(req?.headers.authorization).toBe('Splunk tok-123');
    const body = JSON.parse(req?.body ?? '{}');
    expect(body).toMatchObject({
      index: 'security',
      sourcetype: 'lakewatch:finding',
      event: { route: 'findings-guardduty-to-siem', findingId: finding().findingId },
    });
    expect(body.time).toBe(finding().finding.time / 1000);
    expect(response).toContain('HTTP 200');
  });

  it('elasticsearch: NDJSON _bulk of an ECS document with _id = finding id; a failed item fails', async () => {
    // Prepare
    rx = await httpReceiver([
      { status: 200, body: '{"errors":false,"items":[{"index":{"status":201}}]}' },
      {
        status: 200,
        body: '{"errors":true,"items":[{"index":{"status":400,"error":{"type":"mapper_parsing_exception"}}}]}',
      },
    ]);
    const send = createSender(
      target(
        {
          kind: 'elasticsearch',
          url: rx.url,
          index: 'lakewatch-findings',
          apiKey: { secretEnv: 'ES_KEY' },
          allowAddresses: LOCAL,
        },
        { ES_KEY: 'k' },
      ),
    );
    // Act
    const ok = await send({ finding: hostile, route: 'r', eventId: 'e' });
    const bad = await send({ finding: hostile, route: 'r', eventId: 'e' }).catch((e: unknown) => e);
    // Assess
    expect(ok).toBe('HTTP 200 item 201');
    expect(bad).toMatchObject({ code: 'bulk-400', retryable: false });
    const req = rx.requests[0];
    expect(req?.path).toBe('/_bulk');
    expect(req?.headers['content-type']).toBe('application/x-ndjson');
    expect(req?.headers.authorization).toBe('ApiKey k');
    const lines = (req?.body ?? '').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      index: { _index: 'lakewatch-findings', _id: hostile.findingId },
    });
    const doc = JSON.parse(lines[1] ?? '');
    expect(doc).toMatchObject({
      event: { kind: 'alert', risk_score: 91 },
      related: { ip: ['198.51.100.23'] },
      tags: hostile.tags,
    });
    expect(doc['@timestamp']).toBe(new Date(hostile.finding.time).toISOString());
  });

  it('classifies answers: 500 and 429 are retryable, 400 is not; messages never quote the URL', async () => {
    // Prepare
    rx = await httpReceiver([{ status: 500 }, { status: 429 }, { status: 400 }]);
    const send = createSender(
      target(
        { kind: 'slack', url: { secretEnv: 'U' }, allowAddresses: LOCAL },
        { U: `${rx.url}/secret-path-xyz` },
      ),
    );
    const n = { finding: finding(), route: 'r', eventId: 'e' };
    // Act
    const errors = [
      await send(n).catch((e) => e),
      await send(n).catch((e) => e),
      await send(n).catch((e) => e),
    ];
    // Assess
    expect(errors.map((e) => [e.code, e.retryable])).toEqual([
      ['http-500', true],
      ['http-429', true],
      ['http-400', false],
    ]);
    for (const e of errors) expect(e.message).not.toContain('secret-path-xyz');
  });

  it('connects to the address it checked (no second resolution), keeping the URL host', async () => {
    // Prepare: a name no DNS knows, resolved once by the checking resolver to an allowed address
    rx = await httpReceiver();
    const port = new URL(rx.url).port;
    let lookups = 0;
    const resolver = async () => {
      lookups += 1;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    // Act
    const answer = await postChecked(`http://hooks.lakewatch.invalid:${port}/x`, '{}', {
      targetId: 't',
      headers: {},
      allow: LOCAL,
      resolver,
    });
    // Assess
    expect(answer.status).toBe(200);
    expect(lookups).toBe(1);
    expect(rx.requests[0]?.headers.host).toBe(`hooks.lakewatch.invalid:${port}`);
  });
});
