import { ACTION_ID_CAPTIONS, DNS_ACTIVITY_ACTIVITY_ID_CAPTIONS } from './generated/enums.js';
import { CLASS_SCHEMAS } from './generated/schemas.js';
import type { OcsfRecord } from './record.js';

/** The OCSF version records are converted to. */
export const TARGET_OCSF_VERSION = '1.1.0';

/** A record brought to OCSF 1.1.0 and what was changed (one entry per kind of change). */
export interface OcsfUpgrade {
  record: OcsfRecord;
  /** e.g. `version 1.0.0-rc.2→1.1.0`, `cloud.account_uid→cloud.account.uid`, `unmapped confidence`. */
  changes: string[];
}

type Obj = Record<string, unknown>;
type Schema = Obj;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** rc.2 `cloud` attributes that moved into objects in 1.1.0: old → [object, attribute]. */
const CLOUD_MOVES: Record<string, [string, string]> = {
  account_uid: ['account', 'uid'],
  account_name: ['account', 'name'],
  org_uid: ['org', 'uid'],
};

/**
 * Attributes renamed or moved between 1.0.0-rc.2 and 1.1.0, by object (from comparing the two
 * compiled schemas): old name → new dotted path within the object; `[]` wraps in an array.
 */
const RENAMES: Record<string, Record<string, string>> = {
  certificate: { issuer_dn: 'issuer', subject_dn: 'subject', fingerprint: 'fingerprints[]' },
  container: { fingerprint: 'hash' },
  file: { fingerprints: 'hashes' },
  session: { mfa: 'is_mfa' },
  tls: { ja3_fingerprint: 'ja3_hash', ja3s_fingerprint: 'ja3s_hash' },
  url: { text: 'url_string' },
  user: {
    account_uid: 'account.uid',
    account_type: 'account.type',
    account_type_id: 'account.type_id',
    org_uid: 'org.uid',
  },
};

/** DNS Activity ids of rc.2 (and of some Security Lake 1.1.0 rows) that 1.1.0 does not have. */
const DNS_RC2_ACTIVITIES: Record<number, string> = { 3: 'Reset', 4: 'Fail', 5: 'Refuse' };

/** Dispositions that let the activity through (1.1.0 `action_id` 1 Allowed). */
const ALLOWED_DISPOSITIONS = new Set([1, 8, 14, 15, 16, 17, 18, 19, 20]);
/** Dispositions that stopped it (`action_id` 2 Denied). */
const DENIED_DISPOSITIONS = new Set([2, 3, 4, 5, 6, 21, 22, 23, 24, 25, 26]);

/**
 * Brings an OCSF record to 1.1.0. From 1.0.0-rc.2 (Security Lake source version 1.0):
 * `cloud.account_uid`/`account_name`/`org_uid` → `cloud.account.uid`/`.name`/`cloud.org.uid`,
 * DNS Activity ids 3/4/5 (Reset/Fail/Refuse, gone in 1.1.0; the rcode keeps the outcome) →
 * 2 Response with the original under `unmapped`, `action_id` (required by security_control in
 * 1.1.0) derived from `disposition_id`, `metadata.version` → 1.1.0. For every version:
 * `type_uid`/`type_name` made consistent with class and activity, and attributes with no place
 * in the 1.1.0 class (classes with a generated schema) moved to `unmapped` under their dotted
 * path. The input is not modified.
 */
export function upgradeOcsfRecord(input: Obj): OcsfUpgrade {
  const record = structuredClone(input) as OcsfRecord;
  const changes: string[] = [];
  const metadata = isObj(record.metadata) ? record.metadata : undefined;
  const version = typeof metadata?.version === 'string' ? metadata.version : undefined;

  const cloud = record.cloud as Obj | undefined;
  if (isObj(cloud)) {
    for (const [old, [object, attribute]] of Object.entries(CLOUD_MOVES)) {
      if (!(old in cloud)) continue;
      const value = cloud[old];
      delete cloud[old];
      if (value === null || value === undefined) continue;
      const target = isObj(cloud[object]) ? (cloud[object] as Obj) : {};
      target[attribute] ??= value;
      cloud[object] = target;
      changes.push(`cloud.${old}→cloud.${object}.${attribute}`);
    }
  }

  if (record.class_uid === 4003 && record.activity_id in DNS_RC2_ACTIVITIES) {
    const unmapped = isObj(record.unmapped) ? record.unmapped : {};
    unmapped.activity_id = record.activity_id;
    unmapped.activity_name = DNS_RC2_ACTIVITIES[record.activity_id];
    record.unmapped = unmapped;
    changes.push(`dns activity_id ${record.activity_id}→2`);
    record.activity_id = 2;
    record.activity_name = DNS_ACTIVITY_ACTIVITY_ID_CAPTIONS[2];
  }

  if (typeof record.class_uid === 'number' && typeof record.activity_id === 'number') {
    const expected = record.class_uid * 100 + record.activity_id;
    if (Number(record.type_uid) !== expected) {
      changes.push('type_uid recomputed');
      record.type_uid = expected;
    } else if (typeof record.type_uid !== 'number') record.type_uid = expected;
    if (typeof record.class_name === 'string' && typeof record.activity_name === 'string') {
      const typeName = `${record.class_name}: ${record.activity_name}`;
      if (record.type_name !== typeName) {
        if (record.type_name !== undefined) changes.push('type_name recomputed');
        record.type_name = typeName;
      }
    }
  }

  const profiles = Array.isArray(metadata?.profiles) ? metadata.profiles : [];
  if (profiles.includes('security_control') && record.action_id === undefined) {
    const d = typeof record.disposition_id === 'number' ? record.disposition_id : 0;
    const actionId = ALLOWED_DISPOSITIONS.has(d) ? 1 : DENIED_DISPOSITIONS.has(d) ? 2 : 0;
    record.action_id = actionId;
    record.action = ACTION_ID_CAPTIONS[actionId];
    changes.push('action_id from disposition_id');
  }

  const schema = CLASS_SCHEMAS[record.class_uid] as Schema | undefined;
  if (schema) {
    const moved: Obj = {};
    prune(record, schema, schema, '', moved, changes);
    const keys = Object.keys(moved);
    if (keys.length > 0) {
      const unmapped = isObj(record.unmapped) ? record.unmapped : {};
      for (const k of keys) {
        unmapped[k] ??= moved[k];
        changes.push(`unmapped ${k}`);
      }
      record.unmapped = unmapped;
    }
  }

  if (metadata && version !== TARGET_OCSF_VERSION) {
    changes.push(`version ${version ?? 'absent'}→${TARGET_OCSF_VERSION}`);
    metadata.version = TARGET_OCSF_VERSION;
  }
  return { record, changes };
}

function resolve(root: Schema, node: Schema): Schema {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  return ((root.definitions as Obj)[refName(ref)] as Schema | undefined) ?? {};
}

function refName(ref: string): string {
  return ref.slice('#/definitions/'.length);
}

/** The object definition name a property schema points to (through arrays). */
function objectName(prop: Schema): string | undefined {
  const items = prop.items as Schema | undefined;
  const ref = typeof prop.$ref === 'string' ? prop.$ref : items?.$ref;
  return typeof ref === 'string' ? refName(ref) : undefined;
}

/** Applies the {@link RENAMES} of object `name` to `value`, in place. */
function rename(value: Obj, name: string | undefined, path: string, changes: string[]): void {
  const table = name ? RENAMES[name] : undefined;
  if (!table) return;
  for (const [old, target] of Object.entries(table)) {
    if (!(old in value)) continue;
    let child = value[old];
    delete value[old];
    if (child === null || child === undefined) continue;
    const wrap = target.endsWith('[]');
    const parts = (wrap ? target.slice(0, -2) : target).split('.');
    if (wrap && !Array.isArray(child)) child = [child];
    let at = value;
    for (const p of parts.slice(0, -1)) {
      if (!isObj(at[p])) at[p] = {};
      at = at[p] as Obj;
    }
    at[parts.at(-1)!] ??= child;
    const prefix = path ? `${path}.` : '';
    changes.push(`${prefix}${old}→${prefix}${parts.join('.')}`);
  }
}

/** True when `value` has the JSON type a (resolved) property schema asks for. */
function fits(value: unknown, target: Schema): boolean {
  if (target.properties !== undefined) return isObj(value);
  switch (target.type) {
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObj(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

/**
 * Moves attributes the schema does not allow, or whose value has another type there, into
 * `moved` (keyed by dotted path); a single object where 1.1.0 has an array of them (rc.2
 * `cve.cvss`, …) is wrapped in an array instead, noted in `changes`.
 */
function prune(
  value: Obj,
  node: Schema,
  root: Schema,
  path: string,
  moved: Obj,
  changes: string[],
): void {
  const props = node.properties as Obj | undefined;
  if (!props || node.additionalProperties !== false) return;
  for (const key of Object.keys(value)) {
    if (key === 'unmapped' && path === '') continue;
    let child = value[key];
    const here = path ? `${path}.${key}` : key;
    const prop = props[key] as Schema | undefined;
    if (child === null || child === undefined) continue;
    if (!prop) {
      moved[here] = child;
      delete value[key];
      continue;
    }
    const target = resolve(root, prop);
    if (
      target.type === 'array' &&
      !Array.isArray(child) &&
      isObj(target.items) &&
      fits(child, resolve(root, target.items as Schema))
    ) {
      child = [child];
      value[key] = child;
      changes.push(`${here} wrapped in an array`);
    }
    if (!fits(child, target)) {
      moved[here] = child;
      delete value[key];
      continue;
    }
    const name = objectName(prop);
    if (isObj(child)) {
      rename(child, name, here, changes);
      prune(child, target, root, here, moved, changes);
    } else if (Array.isArray(child) && isObj(target.items)) {
      const items = resolve(root, target.items as Schema);
      for (const item of child)
        if (isObj(item)) {
          rename(item, name, `${here}[]`, changes);
          prune(item, items, root, `${here}[]`, moved, changes);
        }
    }
  }
}
