export { type EnrichConfig, loadConfig } from './config.js';
export { EnrichError, InvalidFindingError } from './errors.js';
export { buildFinding, findingIdOf, type Intel } from './finding.js';
export { handler } from './handler.js';
export {
  type AssetContext,
  type AssetInventory,
  type Ranked,
  type RankInput,
  RISK_LEVELS,
  rank,
} from './rank.js';
export { createEnrichService } from './runtime.js';
export { main } from './server.js';
export { EnrichService, type EnrichServiceDeps, type EnrichStats } from './service.js';
