import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { CLASS_SCHEMAS } from './generated/schemas.js';

/** One way a record breaks its class: where (JSON pointer) and which rule. */
export interface OcsfIssue {
  path: string;
  message: string;
}

/** The outcome of {@link validateOcsfRecord}. */
export interface OcsfValidation {
  /** False only when the record was checked and broke its class. */
  valid: boolean;
  /** False when the class has no generated schema (only 4001, 4003, 2004 have one). */
  checked: boolean;
  issues: OcsfIssue[];
}

let ajv: Ajv | undefined;
const validators = new Map<number, ValidateFunction>();

function validatorFor(classUid: number): ValidateFunction | undefined {
  let v = validators.get(classUid);
  if (v) return v;
  const schema = CLASS_SCHEMAS[classUid];
  if (!schema) return undefined;
  ajv ??= new Ajv({ allErrors: false, strict: false, allowUnionTypes: true });
  v = ajv.compile(schema);
  validators.set(classUid, v);
  return v;
}

function issues(errors: readonly ErrorObject[] | null | undefined): OcsfIssue[] {
  return (errors ?? []).map((e) => {
    let path = e.instancePath || '/';
    if (e.keyword === 'required') path = `${e.instancePath}/${String(e.params.missingProperty)}`;
    if (e.keyword === 'additionalProperties')
      path = `${e.instancePath}/${String(e.params.additionalProperty)}`;
    const allowed = e.keyword === 'enum' ? ` (${JSON.stringify(e.params.allowedValues)})` : '';
    return { path, message: `${e.message ?? e.keyword}${allowed}` };
  });
}

/** The class_uids that have a generated schema and can be validated. */
export function validatableClasses(): number[] {
  return Object.keys(CLASS_SCHEMAS).map(Number);
}

/**
 * Validates a record against the JSON Schema of its OCSF 1.1.0 class (required attributes,
 * enum values, types, no attributes outside the class and its cloud, security_control and
 * datetime profiles; `unmapped` takes anything). Validators are compiled once per class and
 * stop at the first error, so this is cheap enough for every record on the hot path.
 */
export function validateOcsfRecord(record: unknown): OcsfValidation {
  const classUid = (record as { class_uid?: unknown } | null)?.class_uid;
  if (typeof classUid !== 'number')
    return {
      valid: false,
      checked: true,
      issues: [{ path: '/class_uid', message: 'class_uid is missing or not a number' }],
    };
  const validate = validatorFor(classUid);
  if (!validate) return { valid: true, checked: false, issues: [] };
  if (validate(record)) return { valid: true, checked: true, issues: [] };
  return { valid: false, checked: true, issues: issues(validate.errors) };
}
