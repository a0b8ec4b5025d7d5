import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_FILE } from '../src/stack/paths.js';
import { readyUrlOf } from '../src/stack/process.js';
import {
  deriveRouting,
  localNotifyConfig,
  notifyTargetIds,
  type RoutingJson,
} from '../src/stack/routing.js';

const routing = JSON.parse(readFileSync(DEFAULT_ROUTING_FILE, 'utf8')) as RoutingJson;

describe('Function: readyUrlOf', () => {
  it.each([
    ['{"service":"score","url":"http://127.0.0.1:4012"}', 'http://127.0.0.1:4012'],
    [
      '{"level":30,"name":"ingest","url":"http://127.0.0.1:39343","msg":"listening"}',
      'http://127.0.0.1:39343',
    ],
    ['local-bus listening on http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
    [
      '(node:1) Warning: something\n{"service":"enrich","url":"http://127.0.0.1:1"}',
      'http://127.0.0.1:1',
    ],
  ])('finds the address in %j', (text, url) => {
    expect(readyUrlOf(text)).toBe(url);
  });

  it('finds none in log lines without an address', () => {
    expect(readyUrlOf('{"level":30,"msg":"model loaded"}\nstarting\n{"url":"ftp://x"}')).toBe(
      undefined,
    );
  });
});

describe('Function: deriveRouting', () => {
  it("points each service at its real address, keeping the file's paths, and adds rules", () => {
    // Act
    const derived = deriveRouting(
      routing,
      { score: 'http://127.0.0.1:40001', notify: 'http://127.0.0.1:40002' },
      [
        {
          ...(routing.EventBuses[0]?.Rules[3] as RoutingJson['EventBuses'][0]['Rules'][0]),
          Name: 'extra',
        },
      ],
    );

    // Assess
    expect(derived.Services.score).toBe('http://127.0.0.1:40001/events');
    expect(derived.Services.notify).toBe('http://127.0.0.1:40002/routed');
    expect(derived.Services.ingest).toBe(routing.Services.ingest);
    expect(derived.EventBuses[0]?.Rules.map((r) => r.Name).at(-1)).toBe('extra');
    expect(routing.EventBuses[0]?.Rules.map((r) => r.Name)).not.toContain('extra');
  });

  it('refuses a rule the local bus would refuse, naming the field', () => {
    const bad = {
      Name: 'bad',
      EventPattern: { source: ['x'] },
      Targets: [{ Id: 'x', Service: 'nowhere' }],
    };
    expect(() => deriveRouting(routing, {}, [bad])).toThrow(
      /Rules\[7\]\.Targets\[0\]\.Service: service 'nowhere' has no URL/,
    );
  });
});

describe('Function: notifyTargetIds / localNotifyConfig', () => {
  it('lists every target the notify routes name, each as a local file', () => {
    const ids = notifyTargetIds(routing);
    expect(ids).toEqual([
      'audit-file',
      'elastic',
      'email-soc',
      'siem-webhook',
      'slack-secops',
      'sns-oncall',
      'splunk-hec',
      'syslog-cef',
    ]);
    const config = localNotifyConfig(ids, '/tmp/n') as {
      targets: Record<string, { kind: string; path: string }>;
    };
    expect(config.targets['slack-secops']).toEqual({
      kind: 'file',
      path: '/tmp/n/slack-secops.jsonl',
    });
  });
});
