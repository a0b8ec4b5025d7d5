import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ToolError } from '../errors.js';

/** A JSON Schema document as read from disk. */
export type JsonObject = { [key: string]: unknown };

/** One contract: an event's schema for one major version, with its examples. */
export interface ContractFile {
  /** `lakewatch.score/AnomalyDetected/v1` */
  key: string;
  source: string;
  detailType: string;
  major: number;
  /** The `x-schema-version` the schema declares, e.g. `1.0`. */
  version: string;
  dir: string;
  schemaPath: string;
  schema: JsonObject;
  validExamples: string[];
  invalidExamples: string[];
}

const SOURCE_RE = /^lakewatch\.[a-z][a-z0-9-]*$/;
const DETAIL_TYPE_RE = /^[A-Z][A-Za-z0-9]+$/;
const MAJOR_RE = /^v([1-9][0-9]*)$/;

function dirs(path: string): string[] {
  return readdirSync(path)
    .filter((n) => statSync(join(path, n)).isDirectory())
    .sort();
}

function jsonFiles(path: string): string[] {
  try {
    return readdirSync(path)
      .filter((n) => n.endsWith('.json'))
      .sort()
      .map((n) => join(path, n));
  } catch {
    return [];
  }
}

/** Reads and parses a JSON file, naming the file when it is not JSON. */
export function readJson(path: string): JsonObject {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as JsonObject;
  } catch (cause) {
    throw new ToolError(`${path}: not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Finds every contract under `contracts/events/<source>/<DetailType>/v<major>/schema.json`,
 * checking the folder names and the schema's declared version on the way.
 */
export function discoverContracts(root: string): ContractFile[] {
  const eventsDir = join(root, 'contracts', 'events');
  const found: ContractFile[] = [];
  const problems: string[] = [];
  for (const source of dirs(eventsDir)) {
    if (!SOURCE_RE.test(source))
      problems.push(`${source}: source must look like lakewatch.<service>`);
    for (const detailType of dirs(join(eventsDir, source))) {
      if (!DETAIL_TYPE_RE.test(detailType))
        problems.push(`${source}/${detailType}: detail-type must be PascalCase`);
      for (const majorDir of dirs(join(eventsDir, source, detailType))) {
        const key = `${source}/${detailType}/${majorDir}`;
        const m = MAJOR_RE.exec(majorDir);
        if (!m) {
          problems.push(`${key}: major folder must be v<major>`);
          continue;
        }
        const major = Number(m[1]);
        const dir = join(eventsDir, source, detailType, majorDir);
        const schemaPath = join(dir, 'schema.json');
        const schema = readJson(schemaPath);
        const version = schema['x-schema-version'];
        if (
          typeof version !== 'string' ||
          !new RegExp(`^${major}\\.(0|[1-9][0-9]*)$`).test(version)
        ) {
          problems.push(
            `${key}: x-schema-version must be "${major}.<minor>", found ${JSON.stringify(version)}`,
          );
        }
        if (schema.title !== `${detailType}V${major}`) {
          problems.push(
            `${key}: title must be "${detailType}V${major}" (it names the generated type), found ${JSON.stringify(schema.title)}`,
          );
        }
        found.push({
          key,
          source,
          detailType,
          major,
          version: String(version),
          dir,
          schemaPath: relative(root, schemaPath),
          schema,
          validExamples: jsonFiles(join(dir, 'examples')),
          invalidExamples: jsonFiles(join(dir, 'examples', 'invalid')),
        });
      }
    }
  }
  const byType = new Map<string, string>();
  for (const c of found) {
    const other = byType.get(c.detailType);
    if (other && other !== c.source)
      problems.push(`${c.detailType}: used by both ${other} and ${c.source}`);
    byType.set(c.detailType, c.source);
  }
  if (problems.length > 0) throw new ToolError(`contracts layout:\n  - ${problems.join('\n  - ')}`);
  return found;
}
