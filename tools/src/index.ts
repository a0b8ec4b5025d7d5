export {
  checkBoundaries,
  DEFAULT_CONSTRAINTS,
  type DependencyConstraint,
  importSpecifiers,
  listProjects,
  type Project,
  type Violation,
} from './boundaries/check.js';
export { diffSchemas, type SchemaDiff } from './contracts/compat.js';
export { type ContractFile, discoverContracts } from './contracts/discover.js';
export { exportDraft4, toDraft4 } from './contracts/draft4.js';
export { checkExamples } from './contracts/examples.js';
export { renderGenerated, staleGenerated, writeGenerated } from './contracts/generate.js';
export { checkLock, readLock, schemaChecksum, updateLock } from './contracts/lock.js';
export {
  type CheckResult,
  generateContracts,
  lockContracts,
  runContractChecks,
} from './contracts/run.js';
export { ContractCheckError, ToolError } from './errors.js';
export { findRepoRoot } from './repo-root.js';
export { RESULTS_FILE, sumTestResults, type TestTotals } from './test-summary.js';
