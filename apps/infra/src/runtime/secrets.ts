import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { InfraError } from '../errors.js';

/** The environment variable that lists the secrets: JSON `{NAME: "arn:aws:secretsmanager:…" | "ssm:/name"}`. */
export const SECRETS_VARIABLE = 'LAKEWATCH_SECRETS';

/** The clients {@link loadSecrets} reads with. */
export interface SecretClients {
  secretsManager: () => SecretsManagerClient;
  ssm: () => SSMClient;
}

/** Parses the `LAKEWATCH_SECRETS` value. @throws InfraError naming the bad entry. */
export function parseSecretRefs(text: string | undefined): Record<string, string> {
  if (!text?.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InfraError(`${SECRETS_VARIABLE} is not JSON: ${(cause as Error).message}`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InfraError(`${SECRETS_VARIABLE} must be a JSON object of NAME: reference`);
  for (const [name, ref] of Object.entries(value))
    if (typeof ref !== 'string' || !/^(arn:aws[a-z-]*:secretsmanager:|ssm:\/)/.test(ref))
      throw new InfraError(
        `${SECRETS_VARIABLE}.${name}: must be a Secrets Manager ARN or ssm:/parameter, got ${JSON.stringify(ref)}`,
      );
  return value as Record<string, string>;
}

/**
 * Reads each listed secret (Secrets Manager `GetSecretValue`, or SSM `GetParameter` with
 * decryption) into `env[NAME]`, where the service reads its secrets. A name already set in
 * the environment is left alone. Values are never logged; errors name the variable only.
 * @returns the names that were set.
 */
export async function loadSecrets(
  env: Record<string, string | undefined>,
  clients: SecretClients,
): Promise<string[]> {
  const refs = parseSecretRefs(env[SECRETS_VARIABLE]);
  const set: string[] = [];
  await Promise.all(
    Object.entries(refs).map(async ([name, ref]) => {
      if (env[name] !== undefined) return;
      let value: string | undefined;
      try {
        if (ref.startsWith('ssm:')) {
          const out = await clients
            .ssm()
            .send(new GetParameterCommand({ Name: ref.slice(4), WithDecryption: true }));
          value = out.Parameter?.Value;
        } else {
          const out = await clients
            .secretsManager()
            .send(new GetSecretValueCommand({ SecretId: ref }));
          value = out.SecretString;
        }
      } catch (cause) {
        throw new InfraError(`secret ${name}: cannot read ${ref}: ${(cause as Error).name}`, {
          cause,
        });
      }
      if (value === undefined) throw new InfraError(`secret ${name}: ${ref} has no string value`);
      env[name] = value;
      set.push(name);
    }),
  );
  return set.sort();
}
