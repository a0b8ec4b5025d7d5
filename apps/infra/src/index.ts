export { LakeQueryAccess, type LakeQueryAccessOptions } from './analytics.js';
export { type AppOptions, buildApp, synthesize } from './app.js';
export { REPO_ROOT, readSettingsFile, settingsFromContext } from './config.js';
export { InfraError, SettingsError } from './errors.js';
export {
  IPINSIGHTS_REGISTRY_ACCOUNTS,
  type IpInsightsImage,
  ipInsightsImage,
} from './ipinsights-image.js';
export { type NotifyConfigNeeds, readNotifyConfigNeeds } from './notify-config.js';
export { RoutedBus, type RoutedBusOptions, type TargetDeadLetters } from './routing.js';
export {
  loadSecrets,
  parseSecretRefs,
  SECRETS_VARIABLE,
  type SecretClients,
} from './runtime/secrets.js';
export {
  endpointArn,
  IpInsightsEndpoint,
  type IpInsightsEndpointOptions,
  SageMakerTraining,
  type SageMakerTrainingOptions,
  s3ObjectArn,
} from './sagemaker.js';
export { writeSecretsEntry } from './secrets-entry.js';
export {
  type BundledFile,
  handlerEntry,
  installedPackage,
  SERVICES,
  ServiceFunction,
  type ServiceFunctionOptions,
  type ServiceName,
} from './service-function.js';
export {
  LakewatchServices,
  type LakewatchServicesOptions,
  NOTIFY_CONFIG_IN_BUNDLE,
} from './services.js';
export {
  applyContext,
  CONTEXT_KEYS,
  glueRegion,
  type LakewatchSettings,
  parseSettings,
  type ScoringMode,
  type ScoringSettings,
  type SecurityLakeSettings,
  type SettingsDefaults,
} from './settings.js';
export { LakewatchStack, type LakewatchStackProps } from './stack.js';
