import { readFileSync } from 'node:fs';
import type { FeedSource } from '@lakewatch/intel';
import {
  boolean,
  ConfigError,
  type Env,
  integer,
  oneOf,
  optionalString,
} from '@lakewatch/service-kit';
import type { AssetInventory } from './rank.js';

/** The enrich service's configuration (see README for each variable). */
export interface EnrichConfig {
  feeds: FeedSource[];
  feedReloadMs: number;
  assets: AssetInventory;
  guardDuty: boolean;
  guardDutyDetectorId?: string;
  guardDutyCacheTtlSeconds: number;
  geo: boolean;
  eventBusName?: string;
  port: number;
  host: string;
  stateDir: string;
  logLevel: string;
}

/** `path`, `path#category`, `name=path` or `name=path#category`, comma-separated. */
function parseFeeds(text: string | undefined): FeedSource[] {
  if (!text) return [];
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((spec) => {
      const [left, category] = spec.split('#');
      const eq = left!.indexOf('=');
      const name = eq > 0 ? left!.slice(0, eq) : undefined;
      const path = eq > 0 ? left!.slice(eq + 1) : left!;
      return { path, ...(name && { name }), ...(category && { category }) };
    });
}

function readAssets(path: string | undefined): AssetInventory {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as AssetInventory;
  } catch (cause) {
    throw new ConfigError(
      `ENRICH_ASSETS: cannot read asset inventory ${path}: ${(cause as Error).message}`,
      { cause },
    );
  }
}

/** Reads the configuration; the only place the enrich service reads the environment. */
export function loadConfig(env: Env = process.env): EnrichConfig {
  // GuardDuty needs an AWS account: on by default in Lambda, off by default locally.
  const inLambda = Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
  const gd = oneOf(env, 'ENRICH_GUARDDUTY', ['auto', 'on', 'off'] as const, 'auto');
  const detector = optionalString(env, 'ENRICH_GUARDDUTY_DETECTOR_ID');
  const bus = optionalString(env, 'EVENT_BUS_NAME');
  return {
    feeds: parseFeeds(optionalString(env, 'ENRICH_FEEDS')),
    feedReloadMs: integer(env, 'ENRICH_FEED_RELOAD_MS', { default: 2000, min: 0, max: 3_600_000 }),
    assets: readAssets(optionalString(env, 'ENRICH_ASSETS')),
    guardDuty: gd === 'on' || (gd === 'auto' && inLambda),
    ...(detector !== undefined && { guardDutyDetectorId: detector }),
    guardDutyCacheTtlSeconds: integer(env, 'ENRICH_GUARDDUTY_CACHE_TTL_SECONDS', {
      default: 300,
      min: 0,
      max: 86_400,
    }),
    geo: boolean(env, 'ENRICH_GEO', true),
    ...(bus !== undefined && { eventBusName: bus }),
    port: integer(env, 'PORT', { default: 0, min: 0, max: 65535 }),
    host: optionalString(env, 'HOST', '127.0.0.1'),
    stateDir: optionalString(env, 'ENRICH_STATE_DIR', '.lakewatch/enrich'),
    logLevel: optionalString(env, 'LOG_LEVEL', 'info'),
  };
}
