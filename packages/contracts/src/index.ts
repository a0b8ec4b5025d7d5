export { CONTRACT_KEYWORDS, createAjv, toIssues } from './ajv.js';
export type { ContractDefinition } from './definition.js';
export {
  ContractError,
  type ContractIssue,
  ContractValidationError,
  UnknownContractError,
} from './errors.js';
export {
  type AnyLakewatchEvent,
  type BuildEntryOptions,
  buildPutEventsEntry,
  currentSchemaVersion,
  type Detail,
  type DetailType,
  type EventPattern,
  getContract,
  type LakewatchEvent,
  listContracts,
  type MajorOf,
  type PutEventsEntry,
  parseEvent,
  rulePattern,
  type SourceOf,
  type ValidationMode,
  validateDetail,
} from './events.js';
export type * from './generated/index.js';
export { CONTRACT_DEFINITIONS } from './generated/registry.js';
