import { isDeepStrictEqual } from 'node:util';
import type { JsonObject } from './discover.js';

/** What changed between a locked schema and the current one. */
export interface SchemaDiff {
  /** Changes a consumer of the locked version could not absorb. */
  breaking: string[];
  /** New optional properties and definitions: compatible, need a minor bump. */
  additions: string[];
  /** Changed descriptions, titles and other annotations: compatible. */
  annotations: string[];
}

const ANNOTATIONS = new Set([
  'description',
  'title',
  'examples',
  '$comment',
  'default',
  'x-schema-version',
]);
const SUBSCHEMA = new Set(['items', 'additionalProperties', 'not']);
const SUBSCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf']);

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walk(oldS: unknown, newS: unknown, path: string, diff: SchemaDiff): void {
  if (!isObject(oldS) || !isObject(newS)) {
    if (!isDeepStrictEqual(oldS, newS))
      diff.breaking.push(
        `${path}: changed from ${JSON.stringify(oldS)} to ${JSON.stringify(newS)}`,
      );
    return;
  }
  const keys = new Set([...Object.keys(oldS), ...Object.keys(newS)]);
  for (const key of [...keys].sort()) {
    const o = oldS[key];
    const n = newS[key];
    const at = `${path}/${key}`;
    if (ANNOTATIONS.has(key)) {
      if (key !== 'x-schema-version' && !isDeepStrictEqual(o, n))
        diff.annotations.push(`${at} changed`);
    } else if (key === 'properties' || key === 'definitions') {
      const oProps = isObject(o) ? o : {};
      const nProps = isObject(n) ? n : {};
      const newRequired = new Set(Array.isArray(newS.required) ? (newS.required as string[]) : []);
      for (const name of Object.keys(oProps)) {
        if (!(name in nProps)) diff.breaking.push(`${at}/${name}: removed`);
        else walk(oProps[name], nProps[name], `${at}/${name}`, diff);
      }
      for (const name of Object.keys(nProps)) {
        if (name in oProps) continue;
        if (key === 'properties' && newRequired.has(name))
          diff.breaking.push(`${at}/${name}: new required property`);
        else
          diff.additions.push(
            `${at}/${name}: new optional ${key === 'properties' ? 'property' : 'definition'}`,
          );
      }
    } else if (key === 'required') {
      const oReq = new Set(Array.isArray(o) ? (o as string[]) : []);
      const nReq = new Set(Array.isArray(n) ? (n as string[]) : []);
      const newProps = isObject(newS.properties) ? newS.properties : {};
      const oldProps = isObject(oldS.properties) ? oldS.properties : {};
      for (const r of nReq) {
        // a newly required *new* property is reported under properties
        if (!oReq.has(r) && r in oldProps) diff.breaking.push(`${at}: '${r}' became required`);
      }
      for (const r of oReq)
        if (!nReq.has(r) && r in newProps)
          diff.breaking.push(`${at}: '${r}' is no longer required`);
    } else if (SUBSCHEMA.has(key) && isObject(o) && isObject(n)) {
      walk(o, n, at, diff);
    } else if (
      SUBSCHEMA_LISTS.has(key) &&
      Array.isArray(o) &&
      Array.isArray(n) &&
      o.length === n.length
    ) {
      for (const [i, item] of o.entries()) walk(item, n[i], `${at}/${i}`, diff);
    } else if (!isDeepStrictEqual(o, n)) {
      const what =
        o === undefined
          ? 'added'
          : n === undefined
            ? 'removed'
            : `changed from ${JSON.stringify(o)} to ${JSON.stringify(n)}`;
      diff.breaking.push(`${at}: ${what}`);
    }
  }
}

/**
 * Compares a locked schema with its current text. Only new optional properties (and new
 * definitions, and annotation edits) are compatible; a removed property, a new required
 * field, a changed type, enum, pattern or bound is breaking.
 */
export function diffSchemas(locked: JsonObject, current: JsonObject): SchemaDiff {
  const diff: SchemaDiff = { breaking: [], additions: [], annotations: [] };
  walk(locked, current, '', diff);
  return diff;
}
