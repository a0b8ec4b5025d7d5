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
    prune(record, schema, schema, '', moved);
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
  const name = ref.slice('#/definitions/'.length);
  return ((root.definitions as Obj)[name] as Schema | undefined) ?? {};
}

/** Moves attributes the schema does not allow into `moved`, keyed by dotted path. */
function prune(value: Obj, node: Schema, root: Schema, path: string, moved: Obj): void {
  const props = node.properties as Obj | undefined;
  if (!props || node.additionalProperties !== false) return;
  for (const key of Object.keys(value)) {
    if (key === 'unmapped' && path === '') continue;
    const child = value[key];
    const here = path ? `${path}.${key}` : key;
    const prop = props[key] as Schema | undefined;
    if (!prop) {
      if (child !== null && child !== undefined) moved[here] = child;
      delete value[key];
      continue;
    }
    const target = resolve(root, prop);
    if (isObj(child)) prune(child, target, root, here, moved);
    else if (Array.isArray(child) && isObj(target.items)) {
      const items = resolve(root, target.items as Schema);
      for (const item of child) if (isObj(item)) prune(item, items, root, `${here}[]`, moved);
    }
  }
}
