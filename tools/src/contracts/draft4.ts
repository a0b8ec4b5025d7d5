import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { toIssues } from '@lakewatch/contracts';
import Ajv4Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { ToolError } from '../errors.js';
import type { ContractFile, JsonObject } from './discover.js';

// Both packages are CommonJS with a default export; unwrap under NodeNext.
const Ajv4 = Ajv4Module.default;
const addFormats = addFormatsModule.default;

/** Where the Draft 4 export goes, relative to the repo root. */
export const DRAFT4_DIR = 'build/schema-registry';

const UNSUPPORTED = ['if', 'then', 'else', 'contains', 'propertyNames', '$defs'];

function convert(node: unknown, path: string): unknown {
  if (Array.isArray(node)) return node.map((n, i) => convert(n, `${path}/${i}`));
  if (!node || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node as JsonObject)) {
    if (UNSUPPORTED.includes(key)) throw new ToolError(`${path}/${key}: has no Draft 4 equivalent`);
    if (key === 'x-schema-version' || key === 'examples') continue;
    if (key === '$schema') out.$schema = 'http://json-schema.org/draft-04/schema#';
    else if (key === '$id') out.id = value;
    else if (key === 'const') out.enum = [value];
    else if (key === 'exclusiveMinimum' && typeof value === 'number') {
      out.minimum = value;
      out.exclusiveMinimum = true;
    } else if (key === 'exclusiveMaximum' && typeof value === 'number') {
      out.maximum = value;
      out.exclusiveMaximum = true;
    } else out[key] = convert(value, `${path}/${key}`);
  }
  return out;
}

/** Converts a draft-07 contract schema to JSON Schema Draft 4 (what EventBridge Schema Registry accepts). */
export function toDraft4(schema: JsonObject): JsonObject {
  return convert(schema, '') as JsonObject;
}

/**
 * Writes every contract as Draft 4 under `build/schema-registry/` and validates each export:
 * it must compile under a Draft 4 validator, accept the valid examples and reject the invalid.
 */
export function exportDraft4(
  root: string,
  contracts: readonly ContractFile[],
): { written: string[]; problems: string[] } {
  const ajv = new Ajv4({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv, ['date-time', 'ipv4', 'ipv6', 'uri', 'date']);
  const written: string[] = [];
  const problems: string[] = [];
  for (const c of contracts) {
    let d4: JsonObject;
    try {
      d4 = toDraft4(c.schema);
    } catch (e) {
      problems.push(`${c.key}: ${(e as Error).message}`);
      continue;
    }
    const rel = `${DRAFT4_DIR}/${c.source}/${c.detailType}-v${c.major}.json`;
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), `${JSON.stringify(d4, null, 2)}\n`);
    written.push(rel);
    let validate: ReturnType<typeof ajv.compile>;
    try {
      validate = ajv.compile(d4);
    } catch (e) {
      problems.push(`${rel}: not a valid Draft 4 schema: ${(e as Error).message}`);
      continue;
    }
    for (const file of c.validExamples) {
      if (!validate(JSON.parse(readFileSync(file, 'utf8')))) {
        const why = toIssues(validate.errors).map((i) => `${i.path} ${i.message}`);
        problems.push(`${rel}: rejects valid example ${file}: ${why.join('; ')}`);
      }
    }
    for (const file of c.invalidExamples) {
      if (validate(JSON.parse(readFileSync(file, 'utf8'))))
        problems.push(`${rel}: accepts invalid example ${file}`);
    }
  }
  return { written, problems };
}
