import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type EventPattern, rulePattern } from '@lakewatch/contracts';
import { loadRoutingFile } from '@lakewatch/local-bus-server';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/config.ts';
import { handlerEntry, SERVICES } from '../src/service-function.ts';
import {
  actions,
  type Cfn,
  exampleStack,
  functionId,
  resources,
  roleStatements,
  statements,
} from './helpers.ts';

const run = promisify(execFile);
const routing = loadRoutingFile(join(REPO_ROOT, 'contracts/routing/lakewatch.json'));
const pipeline = routing.EventBuses[0]!;
const finding = (detail: EventPattern) => rulePattern('FindingEnriched', 1, detail);

/** Each pipeline rule's pattern as the contracts build it. */
const CONTRACT_PATTERNS: Record<string, unknown> = {
  'observed-pairs-to-score': rulePattern('NetworkPairsObserved', 1),
  'model-published-to-score': rulePattern('ModelPublished', 1),
  'anomalies-to-enrich': rulePattern('AnomalyDetected', 1),
  'findings-high-risk': finding({ risk: { score: [{ numeric: ['>=', 70] }] } }),
  'findings-critical-oncall': {
    source: ['lakewatch.enrich'],
    'detail-type': ['FindingEnriched'],
    $or: [
      { detail: finding({ risk: { level: ['critical'] } }).detail },
      { detail: finding({ risk: { level: ['high'] }, tags: ['asset:db'] }).detail },
    ],
  },
  'findings-guardduty-to-siem': finding({
    tags: ['guardduty'],
    risk: { score: [{ numeric: ['>=', 40] }] },
  }),
  'findings-reputation-to-syslog': finding({
    intel: { reputation: { feed: [{ exists: true }] } },
    risk: { level: ['medium', 'high', 'critical'] },
  }),
};

/** Actions AWS gives no resource-level permission for: the only ones allowed on `*`. */
const STAR_ONLY = new Set([
  'guardduty:ListDetectors',
  'lakeformation:GetDataAccess',
  'ecr:GetAuthorizationToken',
  'cloudwatch:PutMetricData',
]);

type Resources = Record<string, { Type: string; Properties: Record<string, Cfn> }>;

describe('Stack: LakewatchStack (example settings, functions bundled)', () => {
  let template: Template;
  let json: { Resources: Resources };
  let outdir: string;
  let ssm: Server | undefined;
  const ssmRequests: { target: string; body: Record<string, unknown> }[] = [];

  beforeAll(() => {
    // Prepare: one synthesis for the whole file (esbuild bundles the four functions once)
    const built = exampleStack({}, true);
    outdir = built.outdir;
    built.app.synth();
    template = Template.fromStack(built.stack);
    json = template.toJSON() as { Resources: Resources };
  });
  afterAll(() => ssm?.close());

  const byType = (type: string) =>
    Object.entries(json.Resources).filter(([, r]) => r.Type === type);
  const rules = () => byType('AWS::Events::Rule').map(([, r]) => r.Properties);
  const assetDir = (fn: string): string => {
    const key = json.Resources[functionId(json, fn)]!.Properties.Code.S3Key as string;
    return join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
  };

  it('builds every rule of the routing file with the same name, state and pattern', () => {
    const file = new Map(pipeline.Rules.map((r) => [r.Name, r]));
    expect(
      rules()
        .map((r) => r.Name)
        .sort(),
    ).toEqual([...file.keys()].sort());
    for (const r of rules()) {
      expect(r.EventPattern).toEqual(JSON.parse(file.get(r.Name)!.EventPattern));
      expect(r.State).toBe(file.get(r.Name)!.State ?? 'ENABLED');
      expect(r.EventBusName).toEqual({ Ref: expect.stringMatching(/^Bus[0-9A-F]{8}$/) });
    }
  });

  it('gives each pipeline rule the pattern the contracts build for its events', () => {
    const built = new Map(rules().map((r) => [r.Name, r.EventPattern]));
    for (const [name, pattern] of Object.entries(CONTRACT_PATTERNS))
      expect(built.get(name), name).toEqual(pattern);
  });

  it('points each Service target at its function, with the file retry policy and input transformer', () => {
    for (const r of rules()) {
      const fileRule = pipeline.Rules.find((x) => x.Name === r.Name)!;
      expect(r.Targets).toHaveLength(fileRule.Targets.length);
      for (const t of r.Targets) {
        const ft = fileRule.Targets.find((x) => x.Id === t.Id)!;
        expect(t.Arn).toEqual({
          'Fn::GetAtt': [functionId(json, `lakewatch-${ft.Service}`), 'Arn'],
        });
        expect(t.RetryPolicy).toEqual(ft.RetryPolicy);
        if (ft.InputTransformer)
          expect(t.InputTransformer).toEqual({ InputTemplate: ft.InputTransformer.InputTemplate });
        else expect(t.InputTransformer).toBeUndefined();
        expect(t.DeadLetterConfig.Arn['Fn::GetAtt'][1]).toBe('Arn');
      }
    }
    // notify routes carry the rule name, the notify target ids and the whole event
    const high = rules().find((r) => r.Name === 'findings-high-risk')!;
    expect(high.Targets[0].InputTransformer.InputTemplate).toContain('<aws.events.rule-name>');
    expect(high.Targets[0].InputTransformer.InputTemplate).toContain('<aws.events.event.json>');
  });

  it('lets each rule, and only that rule, invoke its target function', () => {
    const perms = byType('AWS::Lambda::Permission').map(([, r]) => r.Properties);
    for (const r of rules())
      for (const t of r.Targets) {
        const p = perms.filter(
          (x) =>
            x.Principal === 'events.amazonaws.com' &&
            JSON.stringify(x.FunctionName).includes(t.Arn['Fn::GetAtt'][0]) &&
            JSON.stringify(x.SourceArn).includes(`:rule/lakewatch/${r.Name}`),
        );
        expect(p, `${r.Name}/${t.Id}`).toHaveLength(1);
        expect(p[0]!.Action).toBe('lambda:InvokeFunction');
      }
  });

  it('gives every target its own dead-letter queue, writable only by its rule, with a depth alarm', () => {
    const queuePolicies = byType('AWS::SQS::QueuePolicy').map(([, r]) => r.Properties);
    const alarms = byType('AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
    const dlqIds = new Set<string>();
    for (const r of rules())
      for (const t of r.Targets) {
        const dlq = t.DeadLetterConfig.Arn['Fn::GetAtt'][0] as string;
        dlqIds.add(dlq);
        const policy = queuePolicies.find((p) =>
          p.Queues.some((q: { Ref: string }) => q.Ref === dlq),
        )!;
        const st = policy.PolicyDocument.Statement.find((s: Cfn) => s.Action === 'sqs:SendMessage');
        expect(st.Principal).toEqual({ Service: 'events.amazonaws.com' });
        expect(JSON.stringify(st.Condition.ArnEquals['aws:SourceArn'])).toContain(
          `:rule/lakewatch/${r.Name}`,
        );
        const alarm = alarms.find((a) =>
          a.Dimensions?.some((d: Cfn) => d.Value?.['Fn::GetAtt']?.[0] === dlq),
        );
        expect(alarm, `alarm for ${r.Name}/${t.Id}`).toMatchObject({
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [{ Ref: expect.stringMatching(/^Alarms/) }],
        });
      }
    expect(dlqIds.size).toBe(pipeline.Rules.reduce((n, r) => n + r.Targets.length, 0));
  });

  it('archives every event on the bus with the file retention', () => {
    const archives = byType('AWS::Events::Archive').map(([, r]) => r.Properties);
    expect(archives).toHaveLength(pipeline.Archives.length);
    expect(archives[0]).toMatchObject({
      ArchiveName: pipeline.Archives[0]!.Name,
      RetentionDays: pipeline.Archives[0]!.RetentionDays,
      SourceArn: { 'Fn::GetAtt': [expect.stringMatching(/^Bus[0-9A-F]{8}$/), 'Arn'] },
    });
    expect(archives[0]!.EventPattern).toBeUndefined();
  });

  it('deploys the four services on Node.js 22 from their apps, with a DLQ and alarm for async ones', () => {
    for (const s of SERVICES) {
      expect(existsSync(handlerEntry(REPO_ROOT, s)), s).toBe(true);
      const fn = json.Resources[functionId(json, `lakewatch-${s}`)]!.Properties;
      expect(fn).toMatchObject({ Runtime: 'nodejs22.x', Handler: 'index.handler' });
      expect(fn.Environment.Variables.EVENT_BUS_NAME).toEqual({
        Ref: expect.stringMatching(/^Bus[0-9A-F]{8}$/),
      });
      if (s !== 'ingest') expect(fn.DeadLetterConfig.TargetArn['Fn::GetAtt'][1]).toBe('Arn');
    }
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn:
        'arn:aws:sqs:us-east-1:111122223333:AmazonSecurityLake-00000000-0000-0000-0000-000000000000-Main-Queue',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
    const ingest = json.Resources[functionId(json, 'lakewatch-ingest')]!.Properties;
    expect(ingest.EphemeralStorage).toEqual({ Size: 2048 });
    expect(ingest.Environment.Variables).toMatchObject({ HOME: '/tmp', INGEST_PAIRING: 'peer' });
    expect(JSON.stringify(ingest.Environment.Variables.INGEST_LAKE)).toContain('/lake');
    const score =
      json.Resources[functionId(json, 'lakewatch-score')]!.Properties.Environment.Variables;
    expect(score.SCORE_MODE).toBe('embedded');
    expect(JSON.stringify(score.SCORE_MODEL_PATH)).toContain('/models/current/');
  });

  it('grants no * resource where AWS allows narrowing', () => {
    const all = statements(json);
    expect(all.length).toBeGreaterThan(10);
    for (const { owner, s } of all)
      if (resources(s).includes('*'))
        for (const a of actions(s)) expect(STAR_ONLY.has(a), `${owner}: ${a} on *`).toBe(true);
  });

  it('narrows each function role to its bus, queue, bucket, detector, secrets and topic', () => {
    const putEvents = (fn: string) =>
      roleStatements(json, fn).filter((s) => actions(s).includes('events:PutEvents'));
    for (const s of SERVICES) {
      const st = putEvents(`lakewatch-${s}`);
      expect(st, s).toHaveLength(1);
      expect(st[0]!.Resource).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^Bus[0-9A-F]{8}$/), 'Arn'],
      });
    }
    const ingest = roleStatements(json, 'lakewatch-ingest');
    expect(ingest).toContainEqual(
      expect.objectContaining({
        Action: 's3:GetObject',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':s3:::aws-security-data-lake-us-east-1-exampleid0000000000000000/*',
            ],
          ],
        },
      }),
    );
    expect(JSON.stringify(ingest)).toContain('sqs:ReceiveMessage');
    const enrich = roleStatements(json, 'lakewatch-enrich');
    const gd = enrich.find((s) => actions(s).includes('guardduty:GetFindings'))!;
    expect(actions(gd).sort()).toEqual(['guardduty:GetFindings', 'guardduty:ListFindings']);
    expect(JSON.stringify(gd.Resource)).toContain(':detector/*');
    const notify = roleStatements(json, 'lakewatch-notify');
    const sm = notify.find((s) => actions(s).includes('secretsmanager:GetSecretValue'))!;
    expect(resources(sm).sort()).toEqual([
      'arn:aws:secretsmanager:us-east-1:111122223333:secret:lakewatch/es-api-key-??????',
      'arn:aws:secretsmanager:us-east-1:111122223333:secret:lakewatch/siem-webhook-AbCdEf',
      'arn:aws:secretsmanager:us-east-1:111122223333:secret:lakewatch/slack-secops-AbCdEf',
    ]);
    const params = notify.find((s) => actions(s).includes('ssm:GetParameter'))!;
    expect(JSON.stringify(params.Resource)).toContain(':parameter/lakewatch/smtp-password');
    expect(resources(params)).toHaveLength(2);
    expect(notify).toContainEqual(
      expect.objectContaining({
        Action: 'sns:Publish',
        Resource: 'arn:aws:sns:us-east-1:111122223333:lakewatch-oncall',
      }),
    );
    // the score function reads models, nothing else of the bucket, and invokes no endpoint
    const score = roleStatements(json, 'lakewatch-score');
    expect(JSON.stringify(score)).toContain('/models/*');
    expect(JSON.stringify(score)).not.toContain('sagemaker:InvokeEndpoint');
  });

  it('bundles each function into a self-contained ESM module that loads and exports handler', {
    timeout: 120_000,
  }, async () => {
    const env = {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      INGEST_LAKE: 's3://lakewatch-test-data/lake',
      SCORE_MODEL_PATH: 's3://lakewatch-test-data/models/current/',
      NOTIFY_CONFIG: join(assetDir('lakewatch-notify'), 'notify-config.json'),
    };
    const loaded = await Promise.all(
      SERVICES.map(async (s) => {
        const file = join(assetDir(`lakewatch-${s}`), 'index.mjs');
        const script = `const m = await import(${JSON.stringify(file)}); console.log(typeof m.handler)`;
        const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
          cwd: outdir,
          env,
        });
        return [s, stdout.trim()];
      }),
    );
    expect(Object.fromEntries(loaded)).toEqual({
      ingest: 'function',
      score: 'function',
      enrich: 'function',
      notify: 'function',
    });
    expect(
      existsSync(join(assetDir('lakewatch-ingest'), 'node_modules/@duckdb/node-api/package.json')),
    ).toBe(true);
    expect(
      existsSync(
        join(assetDir('lakewatch-enrich'), 'node_modules/@ip-location-db/asn/asn-ipv4-num.csv'),
      ),
    ).toBe(true);
    expect(JSON.parse(readFileSync(env.NOTIFY_CONFIG, 'utf8')).targets['slack-secops'].kind).toBe(
      'slack',
    );
  });

  it('reads the notify secrets from SSM before the notify handler runs', {
    timeout: 60_000,
  }, async () => {
    // Prepare: a stand-in for the SSM API on 127.0.0.1 that the bundled SDK client calls
    ssm = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        ssmRequests.push({ target: String(req.headers['x-amz-target']), body: JSON.parse(body) });
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        res.end(
          JSON.stringify({
            Parameter: {
              Name: '/lakewatch/slack',
              Type: 'SecureString',
              Value: 'https://hooks.example/x',
            },
          }),
        );
      });
    });
    await new Promise<void>((r) => ssm!.listen(0, '127.0.0.1', r));
    const port = (ssm.address() as AddressInfo).port;
    const script = `const m = await import(${JSON.stringify(join(assetDir('lakewatch-notify'), 'index.mjs'))});
try { await m.handler(null); console.log(JSON.stringify({ ok: true })); }
catch (e) { console.log(JSON.stringify({ error: e.message, secret: process.env.SLACK_SECOPS_WEBHOOK_URL })); }`;
    // Act: invoke with an input that is not a routed finding
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: outdir,
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${port}`,
        NOTIFY_CONFIG: join(assetDir('lakewatch-notify'), 'notify-config.json'),
        NOTIFY_STATE_DIR: join(outdir, 'notify-state'),
        LAKEWATCH_SECRETS: JSON.stringify({ SLACK_SECOPS_WEBHOOK_URL: 'ssm:/lakewatch/slack' }),
      },
    });
    // Assess: the secret was read (with decryption) first, then notify refused the input
    const out = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(out.secret).toBe('https://hooks.example/x');
    expect(out.error).toMatch(/routed input must be an object/);
    expect(ssmRequests).toEqual([
      {
        target: 'AmazonSSM.GetParameter',
        body: { Name: '/lakewatch/slack', WithDecryption: true },
      },
    ]);
  });
});
