import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { upgradeOcsfRecord, validateOcsfRecord } from '@lakewatch/shared';
import { describe, expect, it } from 'vitest';
import type { OcsfAttribute, OcsfExport } from '../src/ocsf/export-schema.js';

// The rc.2 and 1.1.0 compiled schemas (tools/fixtures/ocsf-schema, Apache-2.0): a record
// that uses every attribute rc.2 defines for a class must come out of the upgrade as valid
// OCSF 1.1.0 without losing a value.
const root = fileURLToPath(new URL('../fixtures/ocsf-schema/', import.meta.url));
const rc2 = JSON.parse(
  readFileSync(`${root}ocsf-1.0.0-rc.2-export-schema.json`, 'utf8'),
) as OcsfExport;

type Obj = Record<string, unknown>;

/** A value for every attribute (objects four levels deep, no cycles), as an rc.2 producer could write. */
function sample(
  attributes: Record<string, OcsfAttribute>,
  depth: number,
  chain: string[] = [],
): Obj {
  const out: Obj = {};
  for (const [name, a] of Object.entries(attributes)) {
    if (a.profile && !['cloud', 'security_control'].includes(a.profile)) continue;
    let v: unknown;
    if (a.object_type) {
      const o = rc2.objects[a.object_type];
      if (!o || depth === 0 || a.object_type === 'object' || chain.includes(a.object_type))
        continue;
      // An object whose required objects lie beyond the depth is left out, not half-filled.
      const needsDeeper = Object.values(o.attributes).some(
        (x) => x.requirement === 'required' && x.object_type && x.object_type !== 'object',
      );
      if (needsDeeper && depth === 1) continue;
      v = sample(o.attributes, depth - 1, [...chain, a.object_type]);
    } else if (a.enum) v = Number(Object.keys(a.enum).find((k) => k !== '99') ?? 0);
    else if (a.type === 'timestamp_t') v = 1_700_000_000_000;
    else if (['integer_t', 'long_t', 'port_t'].includes(a.type)) v = 1;
    else if (a.type === 'float_t') v = 1.5;
    else if (a.type === 'boolean_t') v = true;
    else if (a.type === 'json_t') v = { note: 'json value' };
    else v = a.type === 'ip_t' ? '10.0.0.1' : `${name}-value`;
    out[name] = a.is_array ? [v] : v;
  }
  return out;
}

function leaves(v: unknown, path = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x) => leaves(x, `${path}[]`));
  if (v !== null && typeof v === 'object')
    return Object.entries(v as Obj).flatMap(([k, x]) => leaves(x, path ? `${path}.${k}` : k));
  return [path];
}

describe('Function: upgradeOcsfRecord (against the rc.2 schema)', () => {
  it.each([
    ['network_activity', 4001],
    ['dns_activity', 4003],
  ])(
    'turns an rc.2 %s record using every attribute into valid 1.1.0, keeping every value',
    (name, uid) => {
      // Prepare
      const cls = rc2.classes[name]!;
      const record = sample(cls.attributes, 4);
      Object.assign(record, {
        class_uid: uid,
        category_uid: 4,
        activity_id: 1,
        type_uid: uid * 100 + 1,
      });
      (record.metadata as Obj).version = '1.0.0-rc.2';
      (record.metadata as Obj).profiles = ['cloud', 'security_control'];
      // Act
      const { record: upgraded, changes } = upgradeOcsfRecord(record);
      // Assess
      expect(validateOcsfRecord(upgraded).issues).toEqual([]);
      expect(changes).toContain('version 1.0.0-rc.2→1.1.0');
      const before = leaves(record).length;
      const after =
        leaves({ ...upgraded, unmapped: undefined }).length +
        leaves(upgraded.unmapped ?? {}).length;
      expect(after).toBeGreaterThanOrEqual(before);
    },
  );
});
