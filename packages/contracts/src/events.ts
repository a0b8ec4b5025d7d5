import type { ValidateFunction } from 'ajv';
import { createAjv, toIssues } from './ajv.js';
import type { ContractDefinition } from './definition.js';
import { ContractValidationError, UnknownContractError } from './errors.js';
import { CONTRACT_DEFINITIONS, type ContractTypes } from './generated/registry.js';

/** Every detail type that has a contract. */
export type DetailType = keyof ContractTypes;
/** The major versions a detail type has. */
export type MajorOf<D extends DetailType> = keyof ContractTypes[D]['majors'] & number;
/** The typed `detail` of a detail type's major version (v1 unless named). */
export type Detail<
  D extends DetailType,
  M extends MajorOf<D> = 1 & MajorOf<D>,
> = ContractTypes[D]['majors'][M];
/** The EventBridge `source` that publishes a detail type. */
export type SourceOf<D extends DetailType> = ContractTypes[D]['source'];

/** The EventBridge envelope around a Lakewatch event, typed by its detail type. */
export interface LakewatchEvent<
  D extends DetailType = DetailType,
  M extends MajorOf<D> = 1 & MajorOf<D>,
> {
  version: string;
  id: string;
  'detail-type': D;
  source: SourceOf<D>;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Detail<D, M>;
  /** Set by EventBridge when the event is re-delivered by an archive replay. */
  'replay-name'?: string;
}

/** Any Lakewatch event: narrow on `detail-type`. */
export type AnyLakewatchEvent = { [D in DetailType]: LakewatchEvent<D> }[DetailType];

/** A PutEvents request entry, shaped like `@aws-sdk/client-eventbridge`'s `PutEventsRequestEntry`. */
export interface PutEventsEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: Date;
  TraceHeader?: string;
}

/** Options of {@link buildPutEventsEntry}. */
export interface BuildEntryOptions {
  /** Bus name or ARN. @default the account's default bus (omitted from the entry) */
  eventBusName?: string;
  /** ARNs the event concerns. @default none */
  resources?: string[];
  /** Event time. @default the time EventBridge receives it */
  time?: Date;
  /** X-Ray trace header. */
  traceHeader?: string;
}

// Producers validate strictly; consumers are tolerant readers: a newer minor version may add
// optional properties, which they drop (removeAdditional) instead of rejecting the event.
const ajv = createAjv();
const tolerantAjv = createAjv({ removeAdditional: true });
const validators = new Map<string, ValidateFunction>();
const definitions = new Map<string, ContractDefinition>();
const sourceOfType = new Map<string, string>();
for (const def of CONTRACT_DEFINITIONS as readonly ContractDefinition[]) {
  definitions.set(`${def.detailType}@${def.major}`, def);
  sourceOfType.set(def.detailType, def.source);
}

const validateEnvelope = ajv.compile({
  type: 'object',
  required: [
    'version',
    'id',
    'detail-type',
    'source',
    'account',
    'time',
    'region',
    'resources',
    'detail',
  ],
  properties: {
    version: { type: 'string' },
    id: { type: 'string', minLength: 1 },
    'detail-type': { type: 'string', minLength: 1 },
    source: { type: 'string', minLength: 1 },
    account: { type: 'string' },
    time: { type: 'string', format: 'date-time' },
    region: { type: 'string' },
    resources: { type: 'array', items: { type: 'string' } },
    detail: { type: 'object' },
    'replay-name': { type: 'string' },
  },
});

/** The contract of a detail type's major version; throws {@link UnknownContractError} if none. */
export function getContract(detailType: string, major = 1): ContractDefinition {
  const def = definitions.get(`${detailType}@${major}`);
  if (!def) {
    const known = [...definitions.keys()].join(', ');
    throw new UnknownContractError(
      `no contract for detail-type '${detailType}' v${major}; known: ${known}`,
    );
  }
  return def;
}

/** Every contract this build knows. */
export function listContracts(): readonly ContractDefinition[] {
  return [...definitions.values()];
}

/** Who validates: a producer rejects unknown properties, a consumer drops them. */
export type ValidationMode = 'producer' | 'consumer';

function validatorFor(def: ContractDefinition, mode: ValidationMode): ValidateFunction {
  const key = `${def.detailType}@${def.major}/${mode}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = (mode === 'producer' ? ajv : tolerantAjv).compile(def.schema);
    validators.set(key, validate);
  }
  return validate;
}

function majorOf(detail: unknown): number | undefined {
  const v = (detail as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof v !== 'string') return undefined;
  const m = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)$/.exec(v);
  return m ? Number(m[1]) : undefined;
}

/**
 * Validates a `detail` against its contract and returns it typed. In `consumer` mode,
 * properties the contract does not know (added by a newer minor version) are removed from
 * `detail` instead of failing it.
 * @throws ContractValidationError naming each failing JSON path and rule.
 * @example
 * const detail = validateDetail('AnomalyDetected', JSON.parse(text));
 */
export function validateDetail<D extends DetailType, M extends MajorOf<D> = 1 & MajorOf<D>>(
  detailType: D,
  detail: unknown,
  major: M = 1 as M,
  options: { mode?: ValidationMode; pathPrefix?: string } = {},
): Detail<D, M> {
  const def = getContract(detailType, major);
  const validate = validatorFor(def, options.mode ?? 'producer');
  if (!validate(detail)) {
    throw new ContractValidationError(
      `${detailType} v${major}`,
      toIssues(validate.errors, options.pathPrefix),
    );
  }
  return detail as Detail<D, M>;
}

/**
 * Builds a PutEvents entry for a detail type, validating the detail first so that nothing
 * off-contract is ever published. `schemaVersion` must be the contract's major.
 * @example
 * await client.send(new PutEventsCommand({ Entries: [buildPutEventsEntry('AnomalyDetected', detail)] }));
 */
export function buildPutEventsEntry<D extends DetailType>(
  detailType: D,
  detail: Detail<D>,
  options: BuildEntryOptions = {},
): PutEventsEntry {
  const major = majorOf(detail) ?? 1;
  validateDetail(detailType, detail, major as MajorOf<D>);
  const entry: PutEventsEntry = {
    Source: getContract(detailType, major).source,
    DetailType: detailType,
    Detail: JSON.stringify(detail),
  };
  if (options.eventBusName !== undefined) entry.EventBusName = options.eventBusName;
  if (options.resources !== undefined) entry.Resources = options.resources;
  if (options.time !== undefined) entry.Time = options.time;
  if (options.traceHeader !== undefined) entry.TraceHeader = options.traceHeader;
  return entry;
}

/**
 * Parses an EventBridge envelope (an object, or its JSON text) into a typed Lakewatch event:
 * the envelope, its source and detail type, and the detail against the contract of the major
 * version its `schemaVersion` names, as a tolerant consumer (see {@link validateDetail}).
 * @throws ContractValidationError or UnknownContractError.
 */
export function parseEvent(input: unknown): AnyLakewatchEvent {
  let event = input;
  if (typeof input === 'string') {
    try {
      event = JSON.parse(input);
    } catch (cause) {
      throw new ContractValidationError('EventBridge envelope', [
        { path: '', rule: 'json', message: `is not JSON: ${(cause as Error).message}` },
      ]);
    }
  }
  if (!validateEnvelope(event)) {
    throw new ContractValidationError('EventBridge envelope', toIssues(validateEnvelope.errors));
  }
  const envelope = event as { source: string; 'detail-type': string; detail: unknown };
  const detailType = envelope['detail-type'];
  const expectedSource = sourceOfType.get(detailType);
  if (!expectedSource) {
    throw new UnknownContractError(`no contract for detail-type '${detailType}'`);
  }
  if (expectedSource !== envelope.source) {
    throw new ContractValidationError(`${detailType}`, [
      {
        path: '/source',
        rule: 'const',
        message: `must be '${expectedSource}', not '${envelope.source}'`,
      },
    ]);
  }
  const major = majorOf(envelope.detail);
  if (major === undefined) {
    throw new ContractValidationError(`${detailType}`, [
      { path: '/detail/schemaVersion', rule: 'pattern', message: 'must be "<major>.<minor>"' },
    ]);
  }
  validateDetail(detailType as DetailType, envelope.detail, major as never, {
    mode: 'consumer',
    pathPrefix: '/detail',
  });
  return event as AnyLakewatchEvent;
}

/** An EventBridge event pattern, as JSON-serializable data. */
export type EventPattern = { [key: string]: unknown };

/**
 * The EventBridge rule pattern that selects one detail type and major version; `detail`
 * adds further conditions on the detail.
 * @example
 * rulePattern('FindingEnriched', 1, { risk: { score: [{ numeric: ['>=', 70] }] } })
 */
export function rulePattern(
  detailType: DetailType,
  major = 1,
  detail: EventPattern = {},
): EventPattern {
  const def = getContract(detailType, major);
  return {
    source: [def.source],
    'detail-type': [def.detailType],
    detail: { ...detail, schemaVersion: [{ prefix: `${major}.` }] },
  };
}

/** The `schemaVersion` a producer writes today for a detail type's major version. */
export function currentSchemaVersion(detailType: DetailType, major = 1): string {
  return getContract(detailType, major).version;
}
