import { readFileSync } from 'node:fs';
import { InfraError } from './errors.js';

/** What the stack needs to know of the notify targets file (apps/notify/README.md). */
export interface NotifyConfigNeeds {
  /** Every `{"secretEnv": NAME}` in the file. */
  secretNames: string[];
  /** `topicArn` of every `sns` target: the function may publish there and nowhere else. */
  snsTopicArns: string[];
  /** `path` of every `file` target: Lambda can only write under /tmp. */
  filePaths: string[];
}

function walkSecrets(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) for (const x of v) walkSecrets(x, out);
  else if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    if (typeof o.secretEnv === 'string') out.add(o.secretEnv);
    for (const x of Object.values(o)) walkSecrets(x, out);
  }
}

/**
 * Reads the notify targets file for the permissions and secrets it implies. The notify
 * service validates the file itself when it starts; this reads only the fields named above.
 * @throws InfraError naming the file when it cannot be read.
 */
export function readNotifyConfigNeeds(path: string): NotifyConfigNeeds {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new InfraError(`notify config ${path}: cannot read: ${(cause as Error).message}`, {
      cause,
    });
  }
  const targets = (value as { targets?: unknown } | null)?.targets;
  if (typeof targets !== 'object' || targets === null || Array.isArray(targets))
    throw new InfraError(`notify config ${path}: 'targets' must be an object`);
  const secrets = new Set<string>();
  walkSecrets(value, secrets);
  const snsTopicArns: string[] = [];
  const filePaths: string[] = [];
  for (const [id, t] of Object.entries(targets as Record<string, Record<string, unknown>>)) {
    if (t?.kind === 'sns') {
      if (typeof t.topicArn !== 'string' || !/^arn:aws[a-z-]*:sns:/.test(t.topicArn))
        throw new InfraError(`notify config ${path}: target '${id}' has no SNS topicArn`);
      snsTopicArns.push(t.topicArn);
    }
    if (t?.kind === 'file' && typeof t.path === 'string') filePaths.push(t.path);
  }
  return { secretNames: [...secrets].sort(), snsTopicArns, filePaths };
}
