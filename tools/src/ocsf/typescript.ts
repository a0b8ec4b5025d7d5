import {
  baseType,
  inProfiles,
  type OcsfAttribute,
  type OcsfClass,
  type OcsfEntity,
  type OcsfExport,
  pascal,
  reachableObjects,
} from './export-schema.js';

/** A generated enum: constant name, id → caption. */
export interface EnumSpec {
  constName: string;
  values: [number, string][];
}

function comment(text: string | undefined, indent = ''): string {
  if (!text) return '';
  const clean = text
    .replace(/<[^>]+>/g, '')
    .replace(/\*\//g, '*\\/')
    .replace(/\s+/g, ' ')
    .trim();
  const short = clean.length > 160 ? `${clean.slice(0, 157)}…` : clean;
  return `${indent}/** ${short} */\n`;
}

function enumValues(a: OcsfAttribute): [number, string][] {
  return Object.entries(a.enum ?? {})
    .map(([k, v]) => [Number(k), v.caption] as [number, string])
    .sort((x, y) => x[0] - y[0]);
}

function tsType(schema: OcsfExport, a: OcsfAttribute): string {
  let t: string;
  if (a.object_type)
    t = a.object_type === 'object' ? 'Record<string, unknown>' : pascal(a.object_type);
  else {
    const base = baseType(schema, a.type);
    if (base === 'string_t') t = 'string';
    else if (base === 'integer_t' || base === 'long_t' || base === 'float_t') {
      const values = a.enum ? enumValues(a) : [];
      t = values.length > 0 && base !== 'float_t' ? values.map(([id]) => id).join(' | ') : 'number';
    } else if (base === 'boolean_t') t = 'boolean';
    else t = 'unknown';
  }
  return a.is_array ? (t.includes(' ') ? `(${t})[]` : `${t}[]`) : t;
}

function entityInterface(schema: OcsfExport, entity: OcsfEntity, name: string, extra = ''): string {
  let out = comment(`${entity.caption}: ${entity.description ?? ''}`);
  out += `export interface ${name} {\n${extra}`;
  for (const attr of Object.keys(entity.attributes).sort()) {
    const a = entity.attributes[attr]!;
    if (!inProfiles(a)) continue;
    if (extra.includes(`  ${attr}:`)) continue;
    const optional = a.requirement === 'required' && !a.profile ? '' : '?';
    out += comment(
      `${a.caption ?? attr}${a.profile ? ` (profile ${a.profile})` : ''}: ${a.description ?? ''}`,
      '  ',
    );
    out += `  ${attr}${optional}: ${tsType(schema, a)};\n`;
  }
  return `${out}}\n`;
}

/** The TypeScript interfaces of the classes and every object they use. */
export function renderTypes(schema: OcsfExport, classes: OcsfClass[]): string {
  const parts: string[] = [];
  for (const cls of classes) {
    const extra = `  class_uid: ${cls.uid};\n  category_uid: ${cls.category_uid};\n`;
    parts.push(entityInterface(schema, cls, pascal(cls.name), extra));
  }
  for (const name of reachableObjects(
    schema,
    classes.map((c) => c.attributes),
  )) {
    if (name === 'object') continue;
    parts.push(entityInterface(schema, schema.objects[name]!, pascal(name)));
  }
  return parts.join('\n');
}

function constKey(caption: string, id: number, used: Set<string>): string {
  let key = caption
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  if (!key || /^\d/.test(key)) key = `Value${id}`;
  if (used.has(key)) key = `${key}${id}`;
  used.add(key);
  return key;
}

/** Collects every enum of the classes and their objects; class enums equal in all classes lose the prefix. */
export function collectEnums(schema: OcsfExport, classes: OcsfClass[]): EnumSpec[] {
  const specs: EnumSpec[] = [];
  const names = new Set<string>();
  const add = (constName: string, a: OcsfAttribute) => {
    if (names.has(constName)) return;
    const base = baseType(schema, a.type);
    if (base !== 'integer_t' && base !== 'long_t') return;
    names.add(constName);
    specs.push({ constName, values: enumValues(a) });
  };
  const classAttrs = new Set<string>();
  for (const c of classes)
    for (const [k, a] of Object.entries(c.attributes))
      if (a.enum && inProfiles(a)) classAttrs.add(k);
  for (const attr of [...classAttrs].sort()) {
    const variants = classes.map((c) => JSON.stringify(c.attributes[attr]?.enum ?? null));
    const same = variants.every((v) => v === variants[0]);
    for (const c of classes) {
      const a = c.attributes[attr];
      if (!a?.enum || !inProfiles(a)) continue;
      add(same ? attr.toUpperCase() : `${c.name}_${attr}`.toUpperCase(), a);
    }
  }
  for (const name of reachableObjects(
    schema,
    classes.map((c) => c.attributes),
  )) {
    const o = schema.objects[name]!;
    for (const attr of Object.keys(o.attributes).sort()) {
      const a = o.attributes[attr]!;
      if (a.enum && inProfiles(a)) add(`${name}_${attr}`.toUpperCase(), a);
    }
  }
  return specs;
}

/** `as const` objects (caption key → id) and caption lookups for every enum. */
export function renderEnums(specs: EnumSpec[]): string {
  let out = '';
  for (const s of specs) {
    const used = new Set<string>();
    out += `export const ${s.constName} = {\n`;
    for (const [id, caption] of s.values) out += `  ${constKey(caption, id, used)}: ${id},\n`;
    out += '} as const;\n';
    out += `export const ${s.constName}_CAPTIONS: Readonly<Record<number, string>> = {\n`;
    for (const [id, caption] of s.values) out += `  ${id}: ${JSON.stringify(caption)},\n`;
    out += '};\n\n';
  }
  return out;
}
