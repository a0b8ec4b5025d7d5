/** The parts of the OCSF compiled schema (`/export/schema`) the generator reads. */
export interface OcsfExport {
  version: string;
  types: Record<string, { type?: string; caption?: string }>;
  objects: Record<string, OcsfEntity>;
  classes: Record<string, OcsfClass>;
}

/** An object or class: its attributes and constraints. */
export interface OcsfEntity {
  name: string;
  caption: string;
  description?: string;
  extends?: string;
  attributes: Record<string, OcsfAttribute>;
  constraints?: { at_least_one?: string[]; just_one?: string[] };
}

/** An event class. */
export interface OcsfClass extends OcsfEntity {
  uid: number;
  category_uid: number;
  category_name?: string;
}

/** One attribute of an object or class. */
export interface OcsfAttribute {
  type: string;
  caption?: string;
  description?: string;
  requirement?: 'required' | 'recommended' | 'optional';
  is_array?: boolean;
  object_type?: string;
  profile?: string | null;
  enum?: Record<string, { caption: string; description?: string }>;
}

/** The classes Lakewatch generates, by export name. */
export const OCSF_CLASSES = ['network_activity', 'dns_activity', 'detection_finding'] as const;

/** The profiles whose attributes the generated models include. */
export const OCSF_PROFILES = ['cloud', 'security_control', 'datetime'] as const;

/** True when the attribute belongs to the base schema or one of {@link OCSF_PROFILES}. */
export function inProfiles(attribute: OcsfAttribute): boolean {
  const p = attribute.profile;
  return p === undefined || p === null || (OCSF_PROFILES as readonly string[]).includes(p);
}

/** `network_endpoint` → `NetworkEndpoint`; `object` → `OcsfObject`. */
export function pascal(name: string): string {
  const p = name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  return p === 'Object' ? 'OcsfObject' : p;
}

/** The base type (`string_t`, `integer_t`, …) a type name resolves to. */
export function baseType(schema: OcsfExport, type: string): string {
  let t = type;
  for (let i = 0; i < 5; i++) {
    const next = schema.types[t]?.type;
    if (!next) return t;
    t = next;
  }
  return t;
}

/** Objects reachable from `roots` through attributes in the profiles, sorted. */
export function reachableObjects(
  schema: OcsfExport,
  roots: Record<string, OcsfAttribute>[],
): string[] {
  const seen = new Set<string>();
  const walk = (attributes: Record<string, OcsfAttribute>) => {
    for (const a of Object.values(attributes)) {
      if (!inProfiles(a) || !a.object_type || seen.has(a.object_type)) continue;
      const object = schema.objects[a.object_type];
      if (!object) continue;
      seen.add(a.object_type);
      walk(object.attributes);
    }
  };
  for (const r of roots) walk(r);
  return [...seen].sort();
}
