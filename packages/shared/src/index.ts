// The public API of @lakewatch/shared. Each area appends its exports in its own section.

export { SharedError } from './errors.js';
// --- IP Insights client (src/ipinsights-client/) ---
export { EmbeddedIpInsightsClient } from './ipinsights-client/embedded-client.js';
export {
  InvalidPairError,
  IpInsightsClientError,
} from './ipinsights-client/errors.js';
export { RETRYABLE_ERRORS, type RetryOptions } from './ipinsights-client/retry.js';
export {
  SageMakerIpInsightsClient,
  type SageMakerIpInsightsClientOptions,
} from './ipinsights-client/sagemaker-client.js';
export type {
  IpInsightsClient,
  PairToScore,
  RejectedPair,
  ScoredPairDetail,
  ScoreOutcome,
} from './ipinsights-client/types.js';
// --- OCSF models (src/ocsf/) ---
export {
  BOUNDARY,
  DETECTION_FINDING_ACTIVITY,
  DIRECTION,
  DNS_ACTIVITY,
  NETWORK_ACTIVITY,
  RCODE,
} from './ocsf/constants.js';
export { type OcsfUpgrade, TARGET_OCSF_VERSION, upgradeOcsfRecord } from './ocsf/convert.js';
export * from './ocsf/generated/enums.js';
export { CLASS_SCHEMAS } from './ocsf/generated/schemas.js';
export type * as Ocsf from './ocsf/generated/types.js';
export type { DetectionFinding, DnsActivity, NetworkActivity } from './ocsf/generated/types.js';
export type { OcsfCloud, OcsfMetadata, OcsfRecord } from './ocsf/record.js';
export { typeUid } from './ocsf/type-uid.js';
export {
  type OcsfIssue,
  type OcsfValidation,
  validatableClasses,
  validateOcsfRecord,
} from './ocsf/validate.js';
