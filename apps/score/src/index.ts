export {
  loadConfig,
  type PublishMode,
  type ScoreConfig,
  type ScoreMode,
  type ShadowConfig,
} from './config.js';
export { ModelLoadError, ScoreError } from './errors.js';
export { handler } from './handler.js';
export {
  anomalyScorer,
  type Judge,
  loadEmbeddedJudge,
  localArtifact,
  weightsSha256,
} from './judge.js';
export { type CreateScoreServiceOptions, createScoreService } from './runtime.js';
export {
  anomalyId,
  type BatchContext,
  type ScoredBatch,
  scorePairs,
  type UnscoredPair,
} from './score-pairs.js';
export { main } from './server.js';
export {
  ScoreService,
  type ScoreServiceDeps,
  type ScoreStats,
  type ShadowJudge,
} from './service.js';
export { type CachedVerdict, VerdictCache } from './verdict-cache.js';
export {
  FileVerdictCache,
  type FileVerdictCacheOptions,
  type VerdictFileLoad,
} from './verdict-file.js';
