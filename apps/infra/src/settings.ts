import { isAbsolute, resolve } from 'node:path';
import { SettingsError } from './errors.js';

/** How the score function gets its dot products. */
export type ScoringMode = 'embedded' | 'sagemaker';

/** The Amazon Security Lake side: the subscriber queue, the bucket and the Glue catalog. */
export interface SecurityLakeSettings {
  /** The SQS queue of the Security Lake subscriber with S3 data access (object notifications). */
  queueArn: string;
  /** The Security Lake bucket (`aws-security-data-lake-<region>-<id>`), read by ingest. */
  bucketName: string;
  /** The KMS key of the Security Lake bucket, when it is not encrypted with S3-managed keys. */
  kmsKeyArn?: string;
  /** @default `amazon_security_lake_glue_db_<region with _>` */
  glueDatabase: string;
  /** @default [`amazon_security_lake_table_<region with _>_vpc_flow_2_0`] */
  glueTables: string[];
  /** Principals (role ARNs) granted Lake Formation SELECT/DESCRIBE on the tables. @default [] */
  lakeFormationPrincipals: string[];
}

/** The score function's mode and, for SageMaker, the IP Insights endpoint. */
export interface ScoringSettings {
  mode: ScoringMode;
  /** The model artifact (embedded) or its calibration (SageMaker). @default `s3://<data bucket>/models/current/` */
  modelUri?: string;
  /** Overrides the model's calibrated threshold. */
  threshold?: number;
  /** @default 'lakewatch-ipinsights' */
  endpointName: string;
  /** In SageMaker mode, create the model, endpoint config and endpoint. @default true */
  createEndpoint: boolean;
  /** The trained model.tar.gz the endpoint serves (required when the stack creates the endpoint). */
  modelDataUrl?: string;
  /** @default 'ml.m5.large' */
  instanceType: string;
  /** @default 1 */
  instanceCount: number;
}

/** Everything a deployment can set: `apps/infra/config/example.json` shows each field. */
export interface LakewatchSettings {
  account: string;
  region: string;
  /** @default 'Lakewatch' */
  stackName: string;
  /** The repository root: relative paths below are resolved from it. */
  repoRoot: string;
  /** The routing file (absolute). @default `contracts/routing/lakewatch.json` */
  routingFile: string;
  /** Overrides every archive's `RetentionDays` from the routing file (0 = forever). */
  archiveRetentionDays?: number;
  /** An existing bucket for the lake, models, training data and Athena results. @default a new bucket */
  dataBucketName?: string;
  /** E-mail subscribed to the alarm topic. */
  alarmEmail?: string;
  securityLake: SecurityLakeSettings;
  ingest: { pairing: string; batchSize: number; memoryMiB: number; timeoutSeconds: number };
  scoring: ScoringSettings;
  enrich: { guardDutyDetectorId?: string; geo: boolean };
  notify: {
    /** The notify targets file (absolute), packaged with the function. */
    configFile: string;
    /** Secret env name → `arn:aws:secretsmanager:…` or `ssm:/parameter/name`. */
    secrets: Record<string, string>;
    /** Customer-managed KMS keys of those secrets/parameters. @default [] */
    kmsKeyArns: string[];
  };
}

type Obj = Record<string, unknown>;

function obj(v: unknown, name: string): Obj {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new SettingsError(name, `must be an object, got ${JSON.stringify(v)}`);
  return v as Obj;
}

function str(o: Obj, key: string, name: string, fallback?: string): string {
  const v = o[key] ?? fallback;
  if (typeof v !== 'string' || v.trim() === '')
    throw new SettingsError(name, `must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

function optStr(o: Obj, key: string, name: string): string | undefined {
  return o[key] === undefined ? undefined : str(o, key, name);
}

function int(
  o: Obj,
  key: string,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = o[key] ?? fallback;
  // context values given with -c arrive as strings
  const v = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max)
    throw new SettingsError(
      name,
      `must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  return v as number;
}

function strList(o: Obj, key: string, name: string, fallback: string[]): string[] {
  const v = o[key] ?? fallback;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === ''))
    throw new SettingsError(name, `must be a list of strings, got ${JSON.stringify(v)}`);
  return v as string[];
}

function arn(value: string, service: string, name: string): string {
  if (!new RegExp(`^arn:aws[a-z-]*:${service}:`).test(value))
    throw new SettingsError(name, `'${value}' is not an ${service} ARN`);
  return value;
}

function bool(o: Obj, key: string, name: string, fallback: boolean): boolean {
  const v = o[key] ?? fallback;
  if (v === 'true' || v === true) return true;
  if (v === 'false' || v === false) return false;
  throw new SettingsError(name, `must be true or false, got ${JSON.stringify(v)}`);
}

/** `us-east-1` → `us_east_1`, as Security Lake names its Glue database and tables. */
export function glueRegion(region: string): string {
  return region.replaceAll('-', '_');
}

/** Where the deployment's values come from besides the settings object. */
export interface SettingsDefaults {
  repoRoot: string;
  account?: string;
  region?: string;
}

/**
 * Validates deployment settings (the `config` file merged with `-c key=value` context) and
 * fills the documented defaults. Paths are resolved from the repository root.
 * @throws SettingsError naming the first bad setting.
 */
export function parseSettings(value: unknown, defaults: SettingsDefaults): LakewatchSettings {
  const root = obj(value, '(settings)');
  const account = str(root, 'account', 'account', defaults.account);
  if (!/^\d{12}$/.test(account))
    throw new SettingsError('account', `must be a 12-digit AWS account id, got '${account}'`);
  const region = str(root, 'region', 'region', defaults.region);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new SettingsError('region', `'${region}' is not an AWS region name`);
  const path = (p: string): string => (isAbsolute(p) ? p : resolve(defaults.repoRoot, p));

  const sl = obj(root.securityLake, 'securityLake');
  const bucketName = str(sl, 'bucketName', 'securityLake.bucketName');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucketName))
    throw new SettingsError('securityLake.bucketName', `'${bucketName}' is not an S3 bucket name`);
  const kmsKeyArn = optStr(sl, 'kmsKeyArn', 'securityLake.kmsKeyArn');
  const securityLake: SecurityLakeSettings = {
    queueArn: arn(str(sl, 'queueArn', 'securityLake.queueArn'), 'sqs', 'securityLake.queueArn'),
    bucketName,
    ...(kmsKeyArn && { kmsKeyArn: arn(kmsKeyArn, 'kms', 'securityLake.kmsKeyArn') }),
    glueDatabase: str(
      sl,
      'glueDatabase',
      'securityLake.glueDatabase',
      `amazon_security_lake_glue_db_${glueRegion(region)}`,
    ),
    glueTables: strList(sl, 'glueTables', 'securityLake.glueTables', [
      `amazon_security_lake_table_${glueRegion(region)}_vpc_flow_2_0`,
    ]),
    lakeFormationPrincipals: strList(
      sl,
      'lakeFormationPrincipals',
      'securityLake.lakeFormationPrincipals',
      [],
    ).map((p) => arn(p, 'iam', 'securityLake.lakeFormationPrincipals')),
  };

  const sc = obj(root.scoring, 'scoring');
  const mode = str(sc, 'mode', 'scoring.mode', 'embedded');
  if (mode !== 'embedded' && mode !== 'sagemaker')
    throw new SettingsError('scoring.mode', `must be 'embedded' or 'sagemaker', got '${mode}'`);
  const modelUri = optStr(sc, 'modelUri', 'scoring.modelUri');
  if (modelUri !== undefined && !modelUri.startsWith('s3://'))
    throw new SettingsError('scoring.modelUri', `must be an s3:// URI, got '${modelUri}'`);
  const thresholdRaw = sc.threshold;
  const threshold = thresholdRaw === undefined ? undefined : Number(thresholdRaw);
  if (threshold !== undefined && !Number.isFinite(threshold))
    throw new SettingsError(
      'scoring.threshold',
      `must be a number, got ${JSON.stringify(thresholdRaw)}`,
    );
  const modelDataUrl = optStr(sc, 'modelDataUrl', 'scoring.modelDataUrl');
  const scoring: ScoringSettings = {
    mode,
    ...(modelUri && { modelUri }),
    ...(threshold !== undefined && { threshold }),
    endpointName: str(sc, 'endpointName', 'scoring.endpointName', 'lakewatch-ipinsights'),
    createEndpoint: bool(sc, 'createEndpoint', 'scoring.createEndpoint', true),
    ...(modelDataUrl && { modelDataUrl }),
    instanceType: str(sc, 'instanceType', 'scoring.instanceType', 'ml.m5.large'),
    instanceCount: int(sc, 'instanceCount', 'scoring.instanceCount', 1, 1, 10),
  };
  if (!/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(scoring.endpointName))
    throw new SettingsError(
      'scoring.endpointName',
      `'${scoring.endpointName}' is not a SageMaker endpoint name`,
    );
  if (mode === 'sagemaker' && scoring.createEndpoint && !modelDataUrl?.startsWith('s3://'))
    throw new SettingsError(
      'scoring.modelDataUrl',
      'the s3:// URI of the trained model.tar.gz is required when scoring.mode is sagemaker and the stack creates the endpoint (or set scoring.createEndpoint false and name an existing endpoint)',
    );

  const no = obj(root.notify, 'notify');
  const secrets = obj(no.secrets, 'notify.secrets');
  for (const [name, ref] of Object.entries(secrets)) {
    if (!/^[A-Z_][A-Z0-9_]*$/.test(name))
      throw new SettingsError(
        `notify.secrets.${name}`,
        'the name must be an environment variable name',
      );
    if (
      typeof ref !== 'string' ||
      !(/^arn:aws[a-z-]*:secretsmanager:/.test(ref) || /^ssm:\/\S+$/.test(ref))
    )
      throw new SettingsError(
        `notify.secrets.${name}`,
        `must be a Secrets Manager ARN or ssm:/parameter/name, got ${JSON.stringify(ref)}`,
      );
  }
  const en = obj(root.enrich, 'enrich');
  const detector = optStr(en, 'guardDutyDetectorId', 'enrich.guardDutyDetectorId');
  if (detector !== undefined && !/^[a-z0-9]{32}$/.test(detector))
    throw new SettingsError(
      'enrich.guardDutyDetectorId',
      `'${detector}' is not a GuardDuty detector id`,
    );
  const ig = obj(root.ingest, 'ingest');
  const retention = root.archiveRetentionDays;
  const dataBucketName = optStr(root, 'dataBucketName', 'dataBucketName');
  const alarmEmail = optStr(root, 'alarmEmail', 'alarmEmail');
  return {
    account,
    region,
    stackName: str(root, 'stackName', 'stackName', 'Lakewatch'),
    repoRoot: defaults.repoRoot,
    routingFile: path(str(root, 'routingFile', 'routingFile', 'contracts/routing/lakewatch.json')),
    ...(retention !== undefined && {
      archiveRetentionDays: int(root, 'archiveRetentionDays', 'archiveRetentionDays', 0, 0, 36_500),
    }),
    ...(dataBucketName && { dataBucketName }),
    ...(alarmEmail && { alarmEmail }),
    securityLake,
    ingest: {
      pairing: str(ig, 'pairing', 'ingest.pairing', 'peer'),
      batchSize: int(ig, 'batchSize', 'ingest.batchSize', 10, 1, 10_000),
      memoryMiB: int(ig, 'memoryMiB', 'ingest.memoryMiB', 2048, 128, 10_240),
      timeoutSeconds: int(ig, 'timeoutSeconds', 'ingest.timeoutSeconds', 300, 10, 900),
    },
    scoring,
    enrich: {
      ...(detector && { guardDutyDetectorId: detector }),
      geo: bool(en, 'geo', 'enrich.geo', true),
    },
    notify: {
      configFile: path(
        str(no, 'configFile', 'notify.configFile', 'apps/notify/notify.example.json'),
      ),
      secrets: secrets as Record<string, string>,
      kmsKeyArns: strList(no, 'kmsKeyArns', 'notify.kmsKeyArns', []).map((k) =>
        arn(k, 'kms', 'notify.kmsKeyArns'),
      ),
    },
  };
}

/** Flat `-c key=value` context names and the settings path each one sets. */
export const CONTEXT_KEYS: Readonly<Record<string, readonly string[]>> = {
  account: ['account'],
  region: ['region'],
  stackName: ['stackName'],
  routingFile: ['routingFile'],
  archiveRetentionDays: ['archiveRetentionDays'],
  dataBucketName: ['dataBucketName'],
  alarmEmail: ['alarmEmail'],
  securityLakeQueueArn: ['securityLake', 'queueArn'],
  securityLakeBucket: ['securityLake', 'bucketName'],
  glueDatabase: ['securityLake', 'glueDatabase'],
  scoringMode: ['scoring', 'mode'],
  modelUri: ['scoring', 'modelUri'],
  modelDataUrl: ['scoring', 'modelDataUrl'],
  endpointName: ['scoring', 'endpointName'],
  createEndpoint: ['scoring', 'createEndpoint'],
  notifyConfig: ['notify', 'configFile'],
};

/**
 * Lays flat context values over a settings object (a copy): `-c scoringMode=sagemaker` sets
 * `scoring.mode`. Unknown context keys are left alone (CDK keeps its own there).
 */
export function applyContext(settings: unknown, context: Record<string, unknown>): Obj {
  const out = structuredClone(obj(settings, '(settings)'));
  for (const [key, path] of Object.entries(CONTEXT_KEYS)) {
    const v = context[key];
    if (v === undefined) continue;
    let at = out;
    for (const p of path.slice(0, -1)) {
      at[p] = obj(at[p], path.join('.'));
      at = at[p] as Obj;
    }
    at[path[path.length - 1] as string] = v;
  }
  return out;
}
