import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  loadConfig,
  loadNotifyTargets,
  NotifyConfigError,
  parseNotifyTargets,
} from '../src/index.js';
import { EXAMPLE_SECRETS } from './helpers.js';

describe('Function: loadConfig', () => {
  it('reads the documented variables with their defaults', () => {
    expect(loadConfig({ NOTIFY_CONFIG: 'n.json' })).toMatchObject({
      configPath: 'n.json',
      stateDir: '.lakewatch/notify',
      port: 4014,
      host: '127.0.0.1',
      logLevel: 'info',
    });
    expect(
      loadConfig({ NOTIFY_CONFIG: 'n.json', PORT: '0', EVENT_BUS_NAME: 'lakewatch' }),
    ).toMatchObject({ port: 0, eventBusName: 'lakewatch' });
    expect(() => loadConfig({})).toThrow(/NOTIFY_CONFIG/);
  });
});

describe('Function: parseNotifyTargets', () => {
  it('loads the example config, every target kind, with secrets from NAME or NAME_FILE', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'notify-cfg-'));
    await writeFile(join(dir, 'es-key'), 'key-from-file\n');
    const { ES_API_KEY: _drop, ...env } = EXAMPLE_SECRETS;
    // Act
    const config = loadNotifyTargets(join(import.meta.dirname, '../notify.example.json'), {
      ...env,
      ES_API_KEY_FILE: join(dir, 'es-key'),
    });
    // Assess
    expect([...config.targets.values()].map((t) => t.kind).sort()).toEqual([
      'elasticsearch',
      'email',
      'file',
      'slack',
      'sns',
      'splunk-hec',
      'syslog-cef',
      'webhook',
    ]);
    expect(config.targets.get('elastic')).toMatchObject({
      apiKey: 'key-from-file',
      maxAttempts: 4,
      allowAddresses: [],
    });
    expect(config.secrets).toContain('key-from-file');
    expect(config.targets.get('syslog-cef')).toMatchObject({
      protocol: 'tcp',
      port: 6514,
      facility: 10,
    });
  });

  it.each([
    [{ targets: { a: { kind: 'pager' } } }, /targets\.a\.kind: must be one of/],
    [
      { targets: { a: { kind: 'slack', url: 'https://hooks.slack.com/x' } } },
      /targets\.a\.url: must be \{"secretEnv"/,
    ],
    [
      { targets: { a: { kind: 'slack', url: { secretEnv: 'MISSING' } } } },
      /MISSING \(or MISSING_FILE\) is not set/,
    ],
    [{ targets: { a: { kind: 'webhook', url: 'ftp://x' } } }, /targets\.a\.url: must be http\(s\)/],
    [
      { defaults: { maxAttempts: 0 }, targets: {} },
      /defaults\.maxAttempts: must be an integer from 1 to 20, got 0/,
    ],
    [
      { targets: { a: { kind: 'sns', topicArn: 'arn:aws:sqs:us-east-1:1:q' } } },
      /targets\.a\.topicArn: is not an SNS topic ARN/,
    ],
    [
      { targets: { a: { kind: 'syslog-cef', host: 'h', protocol: 'tls' } } },
      /targets\.a\.protocol: must be udp or tcp/,
    ],
    [
      { targets: { a: { kind: 'email', host: 'h', from: 'f', to: [] } } },
      /targets\.a\.to: must be a non-empty array/,
    ],
  ])('refuses %j', (value, message) => {
    expect(() => parseNotifyTargets(value, {}, 'notify.json')).toThrow(NotifyConfigError);
    expect(() => parseNotifyTargets(value, {}, 'notify.json')).toThrow(message);
  });

  it('applies defaults to every target', () => {
    const t = parseNotifyTargets(
      { targets: { f: { kind: 'file', path: '/tmp/x' } } },
      {},
    ).targets.get('f');
    expect(t).toMatchObject({ ...DEFAULT_POLICY, kind: 'file', path: '/tmp/x' });
  });
});
