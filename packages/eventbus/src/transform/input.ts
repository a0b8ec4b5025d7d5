import { evaluateJsonPath, type JsonPath } from './json-path.js';
import { isJsonTemplate, type Slot, scanTemplate } from './template.js';
import { checkPath, type TargetInput, validateTargetInput } from './validate.js';

/** Rule facts the predefined placeholders stand for. */
export interface TransformContext {
  /** `<aws.events.rule-name>`. @default '' */
  ruleName?: string;
  /** `<aws.events.rule-arn>`. @default '' */
  ruleArn?: string;
  /** `<aws.events.event.ingestion-time>` (ISO 8601). @default the event's `time` */
  ingestionTime?: string;
}

/** A target's input settings validated and parsed once, for every delivery. */
export interface CompiledTargetInput {
  /** The body the target receives for `event`. */
  transform(event: object, context?: TransformContext): string;
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

function predefined(name: string, event: object, context: TransformContext): Found {
  switch (name) {
    case 'aws.events.rule-name':
      return { found: true, value: context.ruleName ?? '' };
    case 'aws.events.rule-arn':
      return { found: true, value: context.ruleArn ?? '' };
    case 'aws.events.event.ingestion-time':
      return {
        found: true,
        value: context.ingestionTime ?? (event as { time?: unknown }).time ?? '',
      };
    case 'aws.events.event':
      return { found: true, value: withoutDetail(event) };
    case 'aws.events.event.json':
      return { found: true, value: event };
    default:
      return { found: false };
  }
}

/**
 * Validates a target's input settings (see {@link validateTargetInput}) and prepares them, so
 * that each delivery only evaluates paths and fills the template.
 *
 * @throws {InvalidTargetInputError} when the settings are invalid.
 */
export function compileTargetInput(target: TargetInput): CompiledTargetInput {
  validateTargetInput(target);
  const { Input, InputPath, InputTransformer: tr } = target;
  if (Input !== undefined) return { transform: () => Input };
  if (InputPath !== undefined) {
    const path = checkPath(target, 'InputPath', InputPath);
    return {
      transform: (event) => {
        const found = evaluateJsonPath(path, event);
        return found.found ? (JSON.stringify(found.value) ?? 'null') : 'null';
      },
    };
  }
  if (tr === undefined) return { transform: (event) => JSON.stringify(event) };
  const paths = new Map<string, JsonPath>();
  for (const [key, path] of Object.entries(tr.InputPathsMap ?? {})) {
    paths.set(key, checkPath(target, 'InputPathsMap', path));
  }
  const template = tr.InputTemplate;
  const json = isJsonTemplate(template);
  const slots: Slot[] = scanTemplate(template);
  return {
    transform: (event, context = {}) => {
      const values = new Map<string, Found>();
      let out = '';
      let last = 0;
      for (const slot of slots) {
        let found = values.get(slot.name);
        if (found === undefined) {
          const path = paths.get(slot.name);
          found =
            path === undefined
              ? predefined(slot.name, event, context)
              : evaluateJsonPath(path, event);
          values.set(slot.name, found);
        }
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
    },
  };
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
  return compileTargetInput(target).transform(event, context);
}
