import {
  baseType,
  inProfiles,
  OCSF_PROFILES,
  type OcsfAttribute,
  type OcsfClass,
  type OcsfEntity,
  type OcsfExport,
  reachableObjects,
} from './export-schema.js';

type Json = Record<string, unknown>;

function attributeSchema(schema: OcsfExport, a: OcsfAttribute): Json {
  let item: Json;
  if (a.object_type) {
    item =
      a.object_type === 'object' ? { type: 'object' } : { $ref: `#/definitions/${a.object_type}` };
  } else {
    const base = baseType(schema, a.type);
    if (base === 'string_t') item = { type: 'string' };
    else if (base === 'integer_t' || base === 'long_t') item = { type: 'integer' };
    else if (base === 'float_t') item = { type: 'number' };
    else if (base === 'boolean_t') item = { type: 'boolean' };
    else item = {};
    if (a.enum && (base === 'integer_t' || base === 'long_t'))
      item.enum = Object.keys(a.enum)
        .map(Number)
        .sort((x, y) => x - y);
  }
  return a.is_array ? { type: 'array', items: item } : item;
}

function entitySchema(schema: OcsfExport, entity: OcsfEntity): Json {
  const properties: Json = {};
  const required: string[] = [];
  const byProfile = new Map<string, string[]>();
  for (const name of Object.keys(entity.attributes).sort()) {
    const a = entity.attributes[name]!;
    if (!inProfiles(a)) continue;
    properties[name] = attributeSchema(schema, a);
    if (a.requirement !== 'required') continue;
    if (a.profile) byProfile.set(a.profile, [...(byProfile.get(a.profile) ?? []), name]);
    else required.push(name);
  }
  const out: Json = { type: 'object', title: entity.caption, properties };
  if (required.length > 0) out.required = required;
  out.additionalProperties = false;
  const all: Json[] = [];
  for (const [profile, names] of byProfile) {
    all.push({
      if: {
        properties: {
          metadata: {
            properties: { profiles: { contains: { const: profile } } },
            required: ['profiles'],
          },
        },
        required: ['metadata'],
      },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema keyword
      then: { required: names },
    });
  }
  const c = entity.constraints;
  if (c?.at_least_one?.length) all.push({ anyOf: c.at_least_one.map((n) => ({ required: [n] })) });
  if (c?.just_one?.length) all.push({ oneOf: c.just_one.map((n) => ({ required: [n] })) });
  if (all.length > 0) out.allOf = all;
  return out;
}

/** The draft-07 JSON Schema of one OCSF class with the objects it uses under `definitions`. */
export function classJsonSchema(schema: OcsfExport, cls: OcsfClass): Json {
  const root = entitySchema(schema, cls);
  const props = root.properties as Json;
  props.class_uid = { type: 'integer', const: cls.uid };
  props.category_uid = { type: 'integer', const: cls.category_uid };
  const definitions: Json = {};
  for (const name of reachableObjects(schema, [cls.attributes])) {
    if (name === 'object') continue;
    definitions[name] = entitySchema(schema, schema.objects[name]!);
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://schema.ocsf.io/${schema.version}/classes/${cls.name}`,
    description: `OCSF ${schema.version} ${cls.caption} (${cls.uid}) with the ${OCSF_PROFILES.join(', ')} profiles. Generated; do not edit.`,
    ...root,
    definitions,
  };
}
