import { InvalidTargetInputError } from '../errors.js';
import { evaluateJsonPath, type JsonPath, parseJsonPath } from './json-path.js';

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

/** Rule facts the predefined placeholders stand for. */
export interface TransformContext {
  /** `<aws.events.rule-name>`. @default '' */
  ruleName?: string;
  /** `<aws.events.rule-arn>`. @default '' */
  ruleArn?: string;
  /** `<aws.events.event.ingestion-time>` (ISO 8601). @default the event's `time` */
  ingestionTime?: string;
}

const PREDEFINED = new Set([
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event',
  'aws.events.event.ingestion-time',
  'aws.events.event.json',
]);
const MAX_PATHS = 100;
const MAX_PATH_LENGTH = 256;
const MAX_TEMPLATE_LENGTH = 8192;
const MAX_INPUT_LENGTH = 8192;
const PLACEHOLDER = /<([A-Za-z0-9_.-]+)>/y;

const targetName = (t: TargetInput): string => (t.Id === undefined ? 'target' : `target ${t.Id}`);

function invalid(message: string): never {
  throw new InvalidTargetInputError(message);
}

function checkPath(t: TargetInput, where: string, path: string): JsonPath {
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

/** One placeholder occurrence in a template. */
interface Slot {
  start: number;
  end: number;
  name: string;
  inString: boolean;
  isKey: boolean;
}

/** Finds the placeholders of a template, noting which sit inside JSON strings. */
function scanTemplate(template: string): Slot[] {
  const slots: Slot[] = [];
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (inString && ch === '\\') {
      i++;
      continue;
    }
    if (ch === '"') {
      inString = !inString;
      continue;
    }
    if (ch !== '<') continue;
    PLACEHOLDER.lastIndex = i;
    const m = PLACEHOLDER.exec(template);
    if (m === null) continue;
    const end = i + m[0].length;
    const isKey = !inString && /^\s*:/.test(template.slice(end, end + 64));
    slots.push({ start: i, end, name: m[1] as string, inString, isKey });
    i = end - 1;
  }
  return slots;
}

const isJsonTemplate = (template: string): boolean => /^\s*[{[]/.test(template);

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

type Found = { found: true; value: unknown } | { found: false };

function render(found: Found, slot: Slot, json: boolean): string {
  if (!found.found) return slot.inString || !json ? '' : 'null';
  const v = found.value;
  if (typeof v === 'string' && (slot.inString || !json)) return v; // AWS does not escape these
  return JSON.stringify(v) ?? 'null';
}

function withoutDetail(event: object): object {
  const { detail: _detail, ...rest } = event as Record<string, unknown>;
  return rest;
}

/**
 * The body a target receives for an event, as EventBridge builds it: the event as JSON by
 * default; `Input` as is; the part `InputPath` selects; or `InputTransformer`'s template with
 * each `<name>` filled. In a template, a placeholder inside a JSON string is replaced by the
 * bare text of a string value (unescaped, as AWS does); outside strings, a JSON template gets
 * the value as JSON (strings quoted, objects as JSON, a missing path as `null`), and a plain
 * text template gets the bare text. A JSON result is minified.
 *
 * @throws {InvalidTargetInputError} when the target's settings are invalid (see {@link validateTargetInput}).
 * @example
 * transformInput(
 *   { InputTransformer: { InputPathsMap: { ip: '$.detail.pair.ip' }, InputTemplate: '{"text":"anomaly from <ip>","ip":<ip>}' } },
 *   event,
 * ); // '{"text":"anomaly from 203.0.113.9","ip":"203.0.113.9"}'
 */
export function transformInput(
  target: TargetInput,
  event: object,
  context: TransformContext = {},
): string {
  validateTargetInput(target);
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) {
    const found = evaluateJsonPath(checkPath(target, 'InputPath', target.InputPath), event);
    return found.found ? (JSON.stringify(found.value) ?? 'null') : 'null';
  }
  const tr = target.InputTransformer;
  if (tr === undefined) return JSON.stringify(event);
  const paths = tr.InputPathsMap ?? {};
  const values = new Map<string, Found>();
  for (const [key, path] of Object.entries(paths)) {
    values.set(key, evaluateJsonPath(checkPath(target, 'InputPathsMap', path), event));
  }
  const ev = event as Record<string, unknown>;
  const predefined: Record<string, unknown> = {
    'aws.events.rule-name': context.ruleName ?? '',
    'aws.events.rule-arn': context.ruleArn ?? '',
    'aws.events.event.ingestion-time': context.ingestionTime ?? ev.time ?? '',
    'aws.events.event': withoutDetail(event),
    'aws.events.event.json': event,
  };
  const template = tr.InputTemplate;
  const json = isJsonTemplate(template);
  let out = '';
  let last = 0;
  for (const slot of scanTemplate(template)) {
    const found: Found =
      values.get(slot.name) ??
      (Object.hasOwn(predefined, slot.name)
        ? { found: true, value: predefined[slot.name] }
        : { found: false });
    out += template.slice(last, slot.start) + render(found, slot, json);
    last = slot.end;
  }
  out += template.slice(last);
  if (!json) return out;
  try {
    return JSON.stringify(JSON.parse(out));
  } catch {
    // A string value with quotes inside a JSON string breaks the JSON; AWS sends it anyway.
    return out;
  }
}
