import { join } from 'node:path';
import { SNSClient } from '@aws-sdk/client-sns';
import { EventBridgeBus } from '@lakewatch/eventbus';
import { ContractPublisher, createLogger } from '@lakewatch/service-kit';
import type { Logger } from 'pino';
import type { NotifyConfig } from './config.js';
import { Notifier } from './notifier.js';
import { createSender, type Sender } from './senders.js';
import { SentStore } from './sent-store.js';
import { FeedbackSuppressions } from './suppressions.js';
import { loadNotifyTargets } from './targets-config.js';

/** Wires the notifier from configuration: targets file, senders, sent log, EventBridge. */
export function createNotifier(
  config: NotifyConfig,
  logger: Logger = createLogger('notify', { level: config.logLevel }),
): Notifier {
  const { targets } = loadNotifyTargets(config.configPath, config.secretsEnv);
  const sns = new Map<string, SNSClient>();
  const snsFor = (region: string | undefined) => {
    const k = region ?? '';
    let c = sns.get(k);
    if (!c) {
      c = new SNSClient(region ? { region } : {});
      sns.set(k, c);
    }
    return c;
  };
  const senders = new Map<string, Sender>();
  for (const [id, def] of targets) senders.set(id, createSender(def, { sns: snsFor }));
  const bus = new EventBridgeBus(
    config.eventBusName !== undefined ? { eventBusName: config.eventBusName } : {},
  );
  logger.info(
    { targets: [...targets.values()].map((t) => `${t.id}:${t.kind}`) },
    'notify targets loaded',
  );
  return new Notifier({
    targets,
    senders,
    store: new SentStore(join(config.stateDir, 'sent.log')),
    publisher: new ContractPublisher(bus),
    ...(config.suppressionsPath !== undefined && {
      suppressions: new FeedbackSuppressions(config.suppressionsPath, { logger }),
    }),
    logger,
  });
}
