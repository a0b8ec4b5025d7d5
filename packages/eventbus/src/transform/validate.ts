import { InvalidTargetInputError } from '../errors.js';
import { type JsonPath, parseJsonPath } from './json-path.js';
import { isJsonTemplate, PREDEFINED, scanTemplate } from './template.js';

/** What a target sends: the event (default), a constant, a part of it, or a template. */
export interface TargetInput {
  /** The target's id, used in error messages. */
  Id?: string;
  /** A JSON text sent as is instead of the event. */
  Input?: string;
  /** A JSONPath into the event; the selected part is sent. */
  InputPath?: string;
  /** Values picked from the event by JSONPath, filled into a template. */
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
}

const MAX_PATHS = 100;
const MAX_PATH_LENGTH = 256;
const MAX_TEMPLATE_LENGTH = 8192;
const MAX_INPUT_LENGTH = 8192;

const targetName = (t: TargetInput): string => (t.Id === undefined ? 'target' : `target ${t.Id}`);

function invalid(message: string): never {
  throw new InvalidTargetInputError(message);
}

/** Parses one of a target's JSON paths, throwing PutTargets' complaint about it. */
export function checkPath(t: TargetInput, where: string, path: string): JsonPath {
  if (path.length > MAX_PATH_LENGTH) {
    invalid(
      `${where} for ${targetName(t)} is ${path.length} characters long; at most ${MAX_PATH_LENGTH} are allowed`,
    );
  }
  const parsed = parseJsonPath(path);
  if ('error' in parsed)
    invalid(`${where} for ${targetName(t)} is not a valid JSON path: '${path}' (${parsed.error})`);
  return parsed;
}

/**
 * Checks a target's input settings as PutTargets does: one of `Input`, `InputPath`,
 * `InputTransformer`; `Input` valid JSON; paths EventBridge supports; at most 100 paths,
 * none named like a predefined (`aws.`) variable; every template placeholder defined and
 * none used as a JSON object key.
 *
 * @throws {InvalidTargetInputError} naming the target and the bad value.
 */
export function validateTargetInput(target: TargetInput): void {
  const given = [target.Input, target.InputPath, target.InputTransformer].filter(
    (v) => v !== undefined,
  );
  if (given.length > 1) {
    invalid(
      `Only one of Input, InputPath, or InputTransformer must be provided for ${targetName(target)}.`,
    );
  }
  if (target.Input !== undefined) {
    if (target.Input.length > MAX_INPUT_LENGTH) {
      invalid(
        `Input for ${targetName(target)} is ${target.Input.length} characters long; at most ${MAX_INPUT_LENGTH} are allowed`,
      );
    }
    try {
      JSON.parse(target.Input);
    } catch (e) {
      invalid(`Input for ${targetName(target)} is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (target.InputPath !== undefined) checkPath(target, 'InputPath', target.InputPath);
  const tr = target.InputTransformer;
  if (tr === undefined) return;
  if (typeof tr.InputTemplate !== 'string' || tr.InputTemplate.length === 0) {
    invalid(`InputTransformer for ${targetName(target)} needs an InputTemplate`);
  }
  if (tr.InputTemplate.length > MAX_TEMPLATE_LENGTH) {
    invalid(
      `InputTemplate for ${targetName(target)} is ${tr.InputTemplate.length} characters long; at most ${MAX_TEMPLATE_LENGTH} are allowed`,
    );
  }
  const paths = tr.InputPathsMap ?? {};
  const keys = Object.keys(paths);
  if (keys.length > MAX_PATHS) {
    invalid(
      `InputPathsMap for ${targetName(target)} has ${keys.length} entries; at most ${MAX_PATHS} are allowed`,
    );
  }
  for (const key of keys) {
    if (PREDEFINED.has(key) || key.toLowerCase().startsWith('aws.')) {
      invalid(
        `InputPathsMap key '${key}' of ${targetName(target)} is reserved: names starting with 'aws.' are predefined variables`,
      );
    }
    if (!/^[A-Za-z0-9_.-]+$/.test(key)) {
      invalid(
        `InputPathsMap key '${key}' of ${targetName(target)} may only hold letters, digits, '_', '-' and '.'`,
      );
    }
    checkPath(target, `InputPathsMap value for '${key}'`, paths[key] as string);
  }
  const json = isJsonTemplate(tr.InputTemplate);
  for (const slot of scanTemplate(tr.InputTemplate)) {
    if (!PREDEFINED.has(slot.name) && !Object.hasOwn(paths, slot.name)) {
      invalid(`InputTemplate for ${targetName(target)} contains invalid placeholder ${slot.name}.`);
    }
    if (json && slot.isKey) {
      invalid(
        `InputTemplate for ${targetName(target)} uses placeholder <${slot.name}> as an object key, which is not allowed`,
      );
    }
  }
}
