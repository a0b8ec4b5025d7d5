import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SettingsError } from './errors.js';
import { applyContext, CONTEXT_KEYS, type LakewatchSettings, parseSettings } from './settings.js';

/** The repository root (this file is `apps/infra/{src,dist}/config.*`). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Reads a settings file (JSON). @throws SettingsError naming the file. */
export function readSettingsFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new SettingsError('config', `cannot read ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/**
 * The deployment settings of a CDK run: the `config` context names a settings file
 * (relative to apps/infra), other context keys override single settings; account and region
 * fall back to CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION. The only reader of `process.env`.
 */
export function settingsFromContext(
  context: (key: string) => unknown,
  env: Record<string, string | undefined> = process.env,
): LakewatchSettings {
  const file = context('config');
  if (typeof file !== 'string' || file === '')
    throw new SettingsError(
      'config',
      'name a settings file: cdk synth -c config=config/example.json (see docs/deploy.md)',
    );
  const path = isAbsolute(file) ? file : resolve(REPO_ROOT, 'apps/infra', file);
  const ctx = Object.fromEntries(
    Object.keys(CONTEXT_KEYS)
      .map((k) => [k, context(k)])
      .filter(([, v]) => v !== undefined),
  );
  const account = env.CDK_DEFAULT_ACCOUNT;
  const region = env.CDK_DEFAULT_REGION;
  return parseSettings(applyContext(readSettingsFile(path), ctx), {
    repoRoot: REPO_ROOT,
    ...(account && { account }),
    ...(region && { region }),
  });
}
