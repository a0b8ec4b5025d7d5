import { type Env, integer, optionalString, requiredString } from '@lakewatch/service-kit';

/** The notify service's configuration (see README for each variable). */
export interface NotifyConfig {
  /** `NOTIFY_CONFIG`: the targets file. */
  configPath: string;
  /** `NOTIFY_STATE_DIR`: where the sent-notifications log lives. @default `.lakewatch/notify` */
  stateDir: string;
  /** `NOTIFY_SUPPRESSIONS`: the feedback store (labels.jsonl) whose false positives are never notified. */
  suppressionsPath?: string;
  /** `EVENT_BUS_NAME`: where NotificationDelivered/Failed go. @default the default bus */
  eventBusName?: string;
  /** `PORT`. @default 4014 */
  port: number;
  /** `HOST`. @default 127.0.0.1 */
  host: string;
  /** `LOG_LEVEL`. @default info */
  logLevel: string;
  /** The environment secrets are read from (`NAME` / `NAME_FILE` in the targets file). */
  secretsEnv: Env;
}

/** Reads the configuration; the only place the notify service reads the environment. */
export function loadConfig(env: Env = process.env): NotifyConfig {
  const eventBusName = optionalString(env, 'EVENT_BUS_NAME');
  const suppressionsPath = optionalString(env, 'NOTIFY_SUPPRESSIONS');
  return {
    ...(suppressionsPath !== undefined && { suppressionsPath }),
    configPath: requiredString(env, 'NOTIFY_CONFIG'),
    stateDir: optionalString(env, 'NOTIFY_STATE_DIR', '.lakewatch/notify'),
    ...(eventBusName !== undefined && { eventBusName }),
    port: integer(env, 'PORT', { default: 4014, min: 0, max: 65535 }),
    host: optionalString(env, 'HOST', '127.0.0.1'),
    logLevel: optionalString(env, 'LOG_LEVEL', 'info'),
    secretsEnv: env,
  };
}
