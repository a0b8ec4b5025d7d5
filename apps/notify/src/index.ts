export { loadConfig, type NotifyConfig } from './config.js';
export { DeliveryError, NotifyConfigError, NotifyError, RoutedInputError } from './errors.js';
export {
  cefMessage,
  escapeCefHeader,
  escapeCefValue,
  octetCount,
  syslogFrame,
} from './formats/cef.js';
export { bulkBody, ecsDocument, splunkEvent } from './formats/siem.js';
export { escapeMrkdwn, slackMessage } from './formats/slack.js';
export { type FindingSummary, summarize } from './formats/summary.js';
export {
  SIGNATURE_HEADER,
  signWebhook,
  TIMESTAMP_HEADER,
  verifyWebhook,
} from './formats/webhook.js';
export { type HttpAnswer, type PostOptions, postChecked } from './http-post.js';
export { Notifier, type NotifierDeps, type NotifierStats, type TargetOutcome } from './notifier.js';
export { TokenBucket } from './rate-limit.js';
export { parseRouted, type RoutedFinding } from './routed.js';
export { createNotifier } from './runtime.js';
export { isUnsafeAddress, type Resolver, resolveSafe } from './safe-address.js';
export { createSender, type Notification, type Sender, type SenderDeps } from './senders.js';
export { type SentRecord, SentStore } from './sent-store.js';
export {
  FeedbackSuppressions,
  type FeedbackSuppressionsOptions,
  type Suppression,
} from './suppressions.js';
export {
  DEFAULT_POLICY,
  type DeliveryPolicy,
  loadNotifyTargets,
  type NotifyTargets,
  parseNotifyTargets,
  type TargetDef,
  type TargetKind,
} from './targets-config.js';
