// The public API of @lakewatch/simulator: a seeded AWS environment that writes raw VPC Flow
// Logs v5 and Route 53 Resolver query logs as AWS delivers them to S3, with injected incidents.

export { HOSTILE_RANGES } from './catalog.js';
export type { Eni, Environment, Instance, InstanceRole, Subnet, Vpc } from './environment.js';
export { INSTANCE_ROLES } from './environment.js';
export { InvalidOptionError, SimulatorError } from './errors.js';
export { FLOW_LOG_FIELDS, FLOW_LOG_HEADER, flowLogKey } from './flow-log.js';
export type { IncidentTruth, Pairing, PairTruth, Phase } from './incidents.js';
export type { Landed, LandOptions } from './land.js';
export { landObjects } from './land.js';
export type { IncidentKind, ResolvedOptions, ScaleName, SimulateOptions } from './options.js';
export { INCIDENT_KINDS, resolveIncidents, resolveOptions, SCALES } from './options.js';
export { RESOLVER_LOG_VERSION, resolverLogKey } from './resolver-log.js';
export type {
  GroundTruth,
  ObjectsOptions,
  SimulatedLogType,
  SimulatedObject,
  Simulation,
} from './simulation.js';
export { createSimulation } from './simulation.js';
export type { PhaseSummary, SimulateToFolderOptions, SimulationResult } from './write.js';
export { describeEnvironment, simulate } from './write.js';
