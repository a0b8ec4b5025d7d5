import {
  ConfigError,
  decimal,
  type Env,
  integer,
  oneOf,
  optionalString,
} from '@lakewatch/service-kit';

/** Where scores come from: the model in this process, or a SageMaker endpoint. */
export type ScoreMode = 'embedded' | 'sagemaker';
/** What the service publishes: live anomalies, or only shadow verdicts (backtests). */
export type PublishMode = 'live' | 'shadow';

/** A shadow model: its verdicts go out as ShadowVerdictsRecorded, never as AnomalyDetected. */
export interface ShadowConfig {
  modelPath: string;
  threshold?: number;
  role: 'candidate' | 'baseline';
  runId: string;
}

/** The score service's configuration (see README for each variable). */
export interface ScoreConfig {
  mode: ScoreMode;
  publish: PublishMode;
  /** Embedded: the model artifact directory (or file:// / s3:// URI). SageMaker: optional, for calibration. */
  modelPath?: string;
  endpointName?: string;
  /** Overrides the model's calibrated threshold. */
  threshold?: number;
  cacheTtlSeconds: number;
  cacheMaxPairs: number;
  role: 'candidate' | 'baseline';
  runId: string;
  shadow?: ShadowConfig;
  eventBusName?: string;
  port: number;
  host: string;
  stateDir: string;
  logLevel: string;
}

function optionalDecimal(env: Env, name: string): number | undefined {
  return env[name]?.trim() ? decimal(env, name, { default: 0 }) : undefined;
}

/** Reads the configuration; the only place the score service reads the environment. */
export function loadConfig(env: Env = process.env): ScoreConfig {
  const mode = oneOf(env, 'SCORE_MODE', ['embedded', 'sagemaker'] as const, 'embedded');
  const publish = oneOf(env, 'SCORE_PUBLISH', ['live', 'shadow'] as const, 'live');
  const modelPath = optionalString(env, 'SCORE_MODEL_PATH');
  const endpointName = optionalString(env, 'SCORE_ENDPOINT_NAME');
  const threshold = optionalDecimal(env, 'SCORE_THRESHOLD');
  if (mode === 'embedded' && !modelPath)
    throw new ConfigError('SCORE_MODEL_PATH is required when SCORE_MODE=embedded');
  if (mode === 'sagemaker' && !endpointName) {
    throw new ConfigError('SCORE_ENDPOINT_NAME is required when SCORE_MODE=sagemaker');
  }
  if (mode === 'sagemaker' && threshold === undefined && !modelPath) {
    throw new ConfigError(
      'SCORE_MODE=sagemaker needs SCORE_THRESHOLD or SCORE_MODEL_PATH (for the calibrated threshold)',
    );
  }
  const shadowPath = optionalString(env, 'SCORE_SHADOW_MODEL_PATH');
  const role = oneOf(env, 'SCORE_ROLE', ['candidate', 'baseline'] as const, 'candidate');
  const runId = optionalString(env, 'SCORE_RUN_ID', 'shadow');
  const shadowThreshold = optionalDecimal(env, 'SCORE_SHADOW_THRESHOLD');
  return {
    mode,
    publish,
    ...(modelPath !== undefined && { modelPath }),
    ...(endpointName !== undefined && { endpointName }),
    ...(threshold !== undefined && { threshold }),
    cacheTtlSeconds: integer(env, 'SCORE_CACHE_TTL_SECONDS', {
      default: 3600,
      min: 0,
      max: 7 * 86400,
    }),
    cacheMaxPairs: integer(env, 'SCORE_CACHE_MAX_PAIRS', {
      default: 200_000,
      min: 0,
      max: 50_000_000,
    }),
    role,
    runId,
    ...(shadowPath !== undefined && {
      shadow: {
        modelPath: shadowPath,
        role: oneOf(env, 'SCORE_SHADOW_ROLE', ['candidate', 'baseline'] as const, 'candidate'),
        runId: optionalString(env, 'SCORE_SHADOW_RUN_ID', runId),
        ...(shadowThreshold !== undefined && { threshold: shadowThreshold }),
      },
    }),
    ...(optionalString(env, 'EVENT_BUS_NAME') !== undefined && {
      eventBusName: optionalString(env, 'EVENT_BUS_NAME'),
    }),
    port: integer(env, 'PORT', { default: 0, min: 0, max: 65535 }),
    host: optionalString(env, 'HOST', '127.0.0.1'),
    stateDir: optionalString(env, 'SCORE_STATE_DIR', '.lakewatch/score'),
    logLevel: optionalString(env, 'LOG_LEVEL', 'info'),
  };
}
