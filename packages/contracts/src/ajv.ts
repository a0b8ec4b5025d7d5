import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { ContractIssue } from './errors.js';

// ajv-formats is CommonJS: under NodeNext the default import is `module.exports`, whose
// `default` property is the plugin function.
const addFormats = addFormatsPlugin.default;

/** Annotation keywords our schemas carry besides standard JSON Schema. */
export const CONTRACT_KEYWORDS = ['x-schema-version'] as const;

/**
 * The Ajv instance every Lakewatch contract is compiled with: draft-07, all errors, strict
 * schemas, and the `date-time`, `ipv4`, `ipv6`, `uri` formats. Create it once per process.
 */
export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, ...options });
  addFormats(ajv, ['date-time', 'ipv4', 'ipv6', 'uri', 'date']);
  ajv.addVocabulary([...CONTRACT_KEYWORDS]);
  return ajv;
}

/** Turns Ajv's errors into issues that name the JSON path and the failed rule. */
export function toIssues(
  errors: readonly ErrorObject[] | null | undefined,
  prefix = '',
): ContractIssue[] {
  return (errors ?? []).map((e) => {
    let path = `${prefix}${e.instancePath}`;
    if (e.keyword === 'required') path += `/${String(e.params.missingProperty)}`;
    if (e.keyword === 'additionalProperties') path += `/${String(e.params.additionalProperty)}`;
    return { path, rule: e.keyword, message: e.message ?? 'is invalid' };
  });
}
