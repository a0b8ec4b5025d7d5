import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffSchemas } from './compat.js';
import type { ContractFile, JsonObject } from './discover.js';

/** The lock file: a checksum and a copy of every published major schema. */
export const LOCK_FILE = 'contracts/schemas.lock.json';

interface LockEntry {
  version: string;
  sha256: string;
  schema: JsonObject;
}

/** Parsed `contracts/schemas.lock.json`. */
export interface LockFile {
  lockVersion: 1;
  contracts: Record<string, LockEntry>;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as JsonObject)[k])]),
    );
  }
  return value;
}

/** sha256 of the schema's canonical JSON (keys sorted, no whitespace). */
export function schemaChecksum(schema: JsonObject): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(schema)))
    .digest('hex');
}

/** Reads the lock file; an absent lock is an empty one. */
export function readLock(root: string): LockFile {
  const path = join(root, LOCK_FILE);
  if (!existsSync(path)) return { lockVersion: 1, contracts: {} };
  return JSON.parse(readFileSync(path, 'utf8')) as LockFile;
}

function writeLock(root: string, lock: LockFile): void {
  const sorted = Object.fromEntries(
    Object.entries(lock.contracts).sort(([a], [b]) => a.localeCompare(b)),
  );
  writeFileSync(
    join(root, LOCK_FILE),
    `${JSON.stringify({ lockVersion: 1, contracts: sorted }, null, 2)}\n`,
  );
}

function bumpMinor(version: string): string {
  const [major, minor] = version.split('.');
  return `${major}.${Number(minor) + 1}`;
}

/** Problems with the current schemas against the lock; empty when every schema is locked as is. */
export function checkLock(root: string, contracts: readonly ContractFile[]): string[] {
  const lock = readLock(root);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const c of contracts) {
    seen.add(c.key);
    const entry = lock.contracts[c.key];
    if (!entry) {
      problems.push(`${c.key}: not in ${LOCK_FILE}; run \`npm run contracts:lock\` to publish it`);
      continue;
    }
    if (schemaChecksum(c.schema) === entry.sha256) continue;
    const diff = diffSchemas(entry.schema, c.schema);
    if (diff.breaking.length > 0) {
      problems.push(
        `${c.key}: breaking change to a locked schema (${diff.breaking.join('; ')}); ` +
          `restore it and put the change in a new folder ${c.source}/${c.detailType}/v${c.major + 1}`,
      );
    } else if (c.version === entry.version && diff.additions.length > 0) {
      problems.push(
        `${c.key}: compatible change (${diff.additions.join('; ')}) without a version bump; ` +
          `run \`npm run contracts:lock\` to bump x-schema-version to ${bumpMinor(entry.version)}`,
      );
    } else {
      problems.push(
        `${c.key}: schema differs from its lock (${[...diff.additions, ...diff.annotations].join('; ') || 'version only'}); run \`npm run contracts:lock\``,
      );
    }
  }
  for (const key of Object.keys(lock.contracts)) {
    if (!seen.has(key))
      problems.push(
        `${key}: published schema was removed; a published major stays until its consumers have moved`,
      );
  }
  return problems;
}

/** What {@link updateLock} did. */
export interface LockUpdate {
  added: string[];
  bumped: { key: string; from: string; to: string }[];
  refused: string[];
}

/**
 * Locks new majors, bumps the minor of compatibly changed schemas (rewriting their
 * `x-schema-version`) and refuses breaking changes. Returns what it did; `refused` lists
 * the breaking changes, which are not written.
 */
export function updateLock(root: string, contracts: ContractFile[]): LockUpdate {
  const lock = readLock(root);
  const result: LockUpdate = { added: [], bumped: [], refused: [] };
  for (const c of contracts) {
    const entry = lock.contracts[c.key];
    if (!entry) {
      lock.contracts[c.key] = {
        version: c.version,
        sha256: schemaChecksum(c.schema),
        schema: c.schema,
      };
      result.added.push(c.key);
      continue;
    }
    if (schemaChecksum(c.schema) === entry.sha256) continue;
    const diff = diffSchemas(entry.schema, c.schema);
    if (diff.breaking.length > 0) {
      result.refused.push(`${c.key}: ${diff.breaking.join('; ')}`);
      continue;
    }
    let version = c.version;
    if (diff.additions.length > 0 && version === entry.version) {
      version = bumpMinor(entry.version);
      c.schema['x-schema-version'] = version;
      c.version = version;
      writeFileSync(join(root, c.schemaPath), `${JSON.stringify(c.schema, null, 2)}\n`);
      result.bumped.push({ key: c.key, from: entry.version, to: version });
    }
    lock.contracts[c.key] = { version, sha256: schemaChecksum(c.schema), schema: c.schema };
  }
  writeLock(root, lock);
  return result;
}
