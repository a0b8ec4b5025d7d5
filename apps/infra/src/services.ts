import { join } from 'node:path';
import { Annotations, Stack } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SettingsError } from './errors.js';
import { readNotifyConfigNeeds } from './notify-config.js';
import { SECRETS_VARIABLE } from './runtime/secrets.js';
import { endpointArn, s3ObjectArn } from './sagemaker.js';
import { writeSecretsEntry } from './secrets-entry.js';
import {
  type BundledFile,
  installedPackage,
  nativeAddons,
  ServiceFunction,
  type ServiceName,
} from './service-function.js';
import type { LakewatchSettings } from './settings.js';

/** Options of {@link LakewatchServices}. */
export interface LakewatchServicesOptions {
  settings: LakewatchSettings;
  bus: events.IEventBus;
  dataBucket: s3.IBucket;
  alarmTopic: sns.ITopic;
  /** The score function's model artifact (embedded) or calibration (SageMaker). */
  modelUri: string;
}

/** The bundle path of the notify targets file (`/var/task/…`). */
export const NOTIFY_CONFIG_IN_BUNDLE = 'notify-config.json';

/**
 * The four service functions with least-privilege roles: events:PutEvents on the pipeline bus
 * only; ingest consumes the Security Lake subscriber queue (partial batch responses) and reads
 * that bucket; score reads its model prefix or invokes its endpoint; enrich reads GuardDuty;
 * notify reads its named secrets and publishes to the SNS topics its config names.
 */
export class LakewatchServices extends Construct {
  readonly functions: Record<ServiceName, ServiceFunction>;

  constructor(scope: Construct, id: string, options: LakewatchServicesOptions) {
    super(scope, id);
    const { settings, bus, dataBucket, alarmTopic } = options;
    const stack = Stack.of(this);
    const root = settings.repoRoot;
    const common = { repoRoot: root, alarmTopic };
    const busEnv = { EVENT_BUS_NAME: bus.eventBusName };

    const withResvg = nativeAddons(root, ['resvg']);
    const ingest = new ServiceFunction(this, 'Ingest', {
      ...common,
      ...nativeAddons(root, ['duckdb', 'resvg']),
      service: 'ingest',
      memoryMiB: settings.ingest.memoryMiB,
      timeoutSeconds: settings.ingest.timeoutSeconds,
      // DuckDB spools partitions under the OS temp folder while it writes Parquet
      ephemeralStorageMiB: 2048,
      environment: {
        ...busEnv,
        INGEST_LAKE: `s3://${dataBucket.bucketName}/lake`,
        INGEST_PAIRING: settings.ingest.pairing,
        // DuckDB looks for a home directory; Lambda sets none and only /tmp is writable
        HOME: '/tmp',
      },
    });
    const queue = sqs.Queue.fromQueueArn(this, 'SecurityLakeQueue', settings.securityLake.queueArn);
    ingest.fn.addEventSource(
      new SqsEventSource(queue, {
        batchSize: settings.ingest.batchSize,
        reportBatchItemFailures: true,
      }),
    );
    const lakeBucketArn = `arn:${stack.partition}:s3:::${settings.securityLake.bucketName}`;
    ingest.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`${lakeBucketArn}/*`] }),
    );
    if (settings.securityLake.kmsKeyArn)
      ingest.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [settings.securityLake.kmsKeyArn],
        }),
      );
    dataBucket.grantReadWrite(ingest.role, 'lake/*');

    // score
    const sc = settings.scoring;
    const score = new ServiceFunction(this, 'Score', {
      ...common,
      ...withResvg,
      service: 'score',
      asyncDeadLetters: true,
      memoryMiB: 1024,
      timeoutSeconds: 60,
      environment: {
        ...busEnv,
        SCORE_MODE: sc.mode,
        SCORE_MODEL_PATH: options.modelUri,
        SCORE_STATE_DIR: '/tmp/lakewatch/score',
        ...(sc.mode === 'sagemaker' && { SCORE_ENDPOINT_NAME: sc.endpointName }),
        ...(sc.threshold !== undefined && { SCORE_THRESHOLD: String(sc.threshold) }),
      },
    });
    dataBucket.grantRead(score.role, 'models/*');
    if (sc.modelUri && !sc.modelUri.startsWith(`s3://${dataBucket.bucketName}/models/`))
      score.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [s3ObjectArn(stack, sc.modelUri)],
        }),
      );
    if (sc.mode === 'sagemaker')
      score.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['sagemaker:InvokeEndpoint'],
          resources: [endpointArn(stack, sc.endpointName)],
        }),
      );

    // enrich: ASN/country tables are data files read at run time, copied into the bundle.
    const geo: BundledFile[] = settings.enrich.geo
      ? ['@ip-location-db/asn', '@ip-location-db/asn-country'].flatMap((name) => {
          const dir = installedPackage(
            root,
            name,
            'enrich.geo needs the ASN/country data packages',
          );
          const base = name.split('/')[1] as string;
          return ['package.json', `${base}-ipv4-num.csv`, `${base}-ipv6.csv`].map((f) => ({
            from: join(dir, f),
            to: `node_modules/${name}/${f}`,
          }));
        })
      : [];
    const enrich = new ServiceFunction(this, 'Enrich', {
      ...common,
      ...withResvg,
      service: 'enrich',
      asyncDeadLetters: true,
      memoryMiB: 1024,
      timeoutSeconds: 60,
      files: [...withResvg.files, ...geo],
      environment: {
        ...busEnv,
        ENRICH_GUARDDUTY: 'on',
        ENRICH_GEO: String(settings.enrich.geo),
        ENRICH_STATE_DIR: '/tmp/lakewatch/enrich',
        ...(settings.enrich.guardDutyDetectorId && {
          ENRICH_GUARDDUTY_DETECTOR_ID: settings.enrich.guardDutyDetectorId,
        }),
      },
    });
    // ListDetectors has no resource-level permission; the finding reads are per detector.
    enrich.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['guardduty:ListDetectors'], resources: ['*'] }),
    );
    enrich.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['guardduty:ListFindings', 'guardduty:GetFindings'],
        resources: [
          stack.formatArn({
            service: 'guardduty',
            resource: 'detector',
            resourceName: settings.enrich.guardDutyDetectorId ?? '*',
          }),
        ],
      }),
    );

    // notify
    const needs = readNotifyConfigNeeds(settings.notify.configFile);
    const secrets = settings.notify.secrets;
    const missing = needs.secretNames.filter((n) => !(n in secrets));
    if (missing.length > 0)
      throw new SettingsError(
        'notify.secrets',
        `the notify config ${settings.notify.configFile} reads ${missing.join(', ')}: map each to a Secrets Manager ARN or ssm:/parameter`,
      );
    for (const p of needs.filePaths)
      if (!p.startsWith('/tmp/'))
        Annotations.of(this).addWarning(
          `notify file target path '${p}' is not under /tmp: Lambda cannot write it`,
        );
    const notify = new ServiceFunction(this, 'Notify', {
      ...common,
      service: 'notify',
      asyncDeadLetters: true,
      memoryMiB: 512,
      timeoutSeconds: 120,
      files: [{ from: settings.notify.configFile, to: NOTIFY_CONFIG_IN_BUNDLE }],
      wrapEntry: (entry) => writeSecretsEntry(root, entry, 'notify'),
      environment: {
        ...busEnv,
        NOTIFY_CONFIG: `/var/task/${NOTIFY_CONFIG_IN_BUNDLE}`,
        NOTIFY_STATE_DIR: '/tmp/lakewatch/notify',
        [SECRETS_VARIABLE]: JSON.stringify(secrets),
      },
    });
    const refs = Object.values(secrets);
    const secretArns = refs
      .filter((r) => r.startsWith('arn:'))
      // a secret ARN ends in -XXXXXX; a name-only ARN matches any such suffix
      .map((r) => (/-[A-Za-z0-9]{6}$/.test(r) ? r : `${r}-??????`));
    if (secretArns.length > 0)
      notify.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: secretArns,
        }),
      );
    const params = refs
      .filter((r) => r.startsWith('ssm:'))
      .map((r) =>
        stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: r.slice(5) }),
      );
    if (params.length > 0)
      notify.role.addToPolicy(
        new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: params }),
      );
    if (settings.notify.kmsKeyArns.length > 0)
      notify.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: settings.notify.kmsKeyArns,
        }),
      );
    if (needs.snsTopicArns.length > 0)
      notify.role.addToPolicy(
        new iam.PolicyStatement({ actions: ['sns:Publish'], resources: needs.snsTopicArns }),
      );

    this.functions = { ingest, score, enrich, notify };
    for (const f of Object.values(this.functions)) bus.grantPutEventsTo(f.role);
  }
}
