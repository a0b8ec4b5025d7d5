import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { InfraError } from './errors.js';
import { queueDepthAlarm } from './queue-alarm.js';

/** The services the stack deploys, each from `apps/<service>/src/handler.ts` (`handler`). */
export const SERVICES = ['ingest', 'score', 'enrich', 'notify'] as const;
/** One of {@link SERVICES}. */
export type ServiceName = (typeof SERVICES)[number];

/** The Lambda entry file of a service app. */
export function handlerEntry(repoRoot: string, service: ServiceName): string {
  return join(repoRoot, 'apps', service, 'src', 'handler.ts');
}

/** A file or folder copied from the repository into the function's bundle. */
export interface BundledFile {
  /** Absolute path on the deploying machine. */
  from: string;
  /** Path inside the bundle (`/var/task/<to>`). */
  to: string;
}

/** Options of {@link ServiceFunction}. */
export interface ServiceFunctionOptions {
  repoRoot: string;
  service: ServiceName;
  environment: Record<string, string>;
  /** @default 512 */
  memoryMiB?: number;
  /** @default 30 */
  timeoutSeconds?: number;
  /** Size of /tmp. @default 512 */
  ephemeralStorageMiB?: number;
  /** Packages left out of the bundle; they must be among `files` (copied node_modules). @default [] */
  externalModules?: string[];
  /** Files and folders copied into the bundle after esbuild. @default [] */
  files?: BundledFile[];
  /** Replaces the app's entry by a wrapper around it (given the app's entry, returns the wrapper's). */
  wrapEntry?: (appEntry: string) => string;
  /** @default X86_64 */
  architecture?: lambda.Architecture;
  /**
   * The function is invoked asynchronously (an EventBridge target): failed invocations go,
   * after Lambda's two retries, to a dead-letter queue with an alarm on its depth.
   * @default false
   */
  asyncDeadLetters?: boolean;
  alarmTopic: sns.ITopic;
}

function quote(path: string): string {
  return `'${path.replaceAll("'", `'\\''`)}'`;
}

/** The banner esbuild puts first: CommonJS dependencies bundled into ESM still find `require`. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __lakewatchCreateRequire } from 'node:module'; const require = __lakewatchCreateRequire(import.meta.url);";

/**
 * One service's Lambda function (Node.js 22, ESM) bundled locally by esbuild from the app's
 * TypeScript sources (the `@lakewatch/source` condition, so no prior build is needed), with
 * its own role (no managed policies: log writes are granted on its own log group only), a log
 * group with a retention, and for asynchronously invoked services a dead-letter queue plus alarm.
 */
export class ServiceFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly deadLetterQueue?: sqs.Queue;
  readonly deadLetterAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, options: ServiceFunctionOptions) {
    super(scope, id);
    const { service, repoRoot } = options;
    const appEntry = handlerEntry(repoRoot, service);
    if (!existsSync(appEntry))
      throw new InfraError(`the ${service} function's entry ${appEntry} does not exist`);
    const entry = options.wrapEntry ? options.wrapEntry(appEntry) : appEntry;
    const functionName = `lakewatch-${service}`;
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `The ${functionName} function`,
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.logGroup.grantWrite(this.role);
    if (options.asyncDeadLetters) {
      this.deadLetterQueue = new sqs.Queue(this, 'FailedInvocations', {
        retentionPeriod: Duration.days(14),
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      this.deadLetterAlarm = queueDepthAlarm(
        this,
        'FailedInvocationsDepth',
        this.deadLetterQueue,
        `${functionName} failed events after Lambda's retries: see its dead-letter queue`,
        options.alarmTopic,
      );
    }
    const files = options.files ?? [];
    this.fn = new NodejsFunction(this, 'Function', {
      functionName,
      description: `Lakewatch ${service} service (apps/${service})`,
      entry,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: options.architecture ?? lambda.Architecture.X86_64,
      memorySize: options.memoryMiB ?? 512,
      timeout: Duration.seconds(options.timeoutSeconds ?? 30),
      ephemeralStorageSize: Size.mebibytes(options.ephemeralStorageMiB ?? 512),
      role: this.role,
      logGroup: this.logGroup,
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        LOG_LEVEL: 'info',
        ...options.environment,
      },
      ...(this.deadLetterQueue && { deadLetterQueue: this.deadLetterQueue, retryAttempts: 2 }),
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        // Bundle everything, the AWS SDK included: the versions tested are the versions run.
        externalModules: options.externalModules ?? [],
        banner: ESM_REQUIRE_BANNER,
        esbuildArgs: { '--conditions': '@lakewatch/source' },
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_input: string, output: string) =>
            files.map(
              (f) =>
                `mkdir -p ${quote(dirname(join(output, f.to)))} && cp -R ${quote(f.from)} ${quote(join(output, f.to))}`,
            ),
        },
      },
    });
  }
}

/**
 * The installed copy of a package (its folder), followed through workspace symlinks.
 * @throws InfraError naming the package when it is not installed.
 */
export function installedPackage(repoRoot: string, name: string, why: string): string {
  const dir = join(repoRoot, 'node_modules', name);
  if (!existsSync(join(dir, 'package.json')))
    throw new InfraError(`${name} is not installed in ${join(repoRoot, 'node_modules')}: ${why}`);
  return realpathSync(dir);
}

/** Native addons some service code imports; esbuild cannot bundle them. */
export type NativeAddon = 'duckdb' | 'resvg';

/** Bundling settings that ship native addons next to a function's bundle. */
export interface NativeAddonBundling {
  externalModules: string[];
  files: BundledFile[];
  architecture: lambda.Architecture;
}

/**
 * Leaves native addons out of the bundle and copies their installed packages (the Linux
 * binary of the deploying machine's architecture, which the function then runs on) into
 * the bundle's node_modules. `@lakewatch/lake` needs DuckDB; `@lakewatch/ipinsights`
 * imports resvg (its calibration report) at module load, so every bundle with it needs resvg.
 * @throws InfraError when a Linux binary is not installed (deploy from Linux, after npm install).
 */
export function nativeAddons(
  repoRoot: string,
  addons: readonly NativeAddon[],
  arch: string = process.arch,
): NativeAddonBundling {
  const a = arch === 'arm64' ? 'arm64' : 'x64';
  const packages: Record<NativeAddon, string[]> = {
    duckdb: [
      '@duckdb/node-api',
      '@duckdb/node-bindings',
      `@duckdb/node-bindings-linux-${a}`,
      'detect-libc',
    ],
    resvg: ['@resvg/resvg-js', `@resvg/resvg-js-linux-${a}-gnu`],
  };
  const why =
    'the function ships the Linux binary of this native addon: deploy from Linux after npm install';
  return {
    externalModules: addons.map((x) => (x === 'duckdb' ? '@duckdb/*' : '@resvg/*')),
    files: addons.flatMap((x) =>
      packages[x].map((name) => ({
        from: installedPackage(repoRoot, name, why),
        to: `node_modules/${name}`,
      })),
    ),
    architecture: a === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64,
  };
}
