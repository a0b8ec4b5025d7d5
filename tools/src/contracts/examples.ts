import { relative } from 'node:path';
import { createAjv, toIssues } from '@lakewatch/contracts';
import { type ContractFile, readJson } from './discover.js';

/** Minimum examples each contract must carry. */
export const MIN_VALID_EXAMPLES = 2;
export const MIN_INVALID_EXAMPLES = 2;

/**
 * Every valid example must validate and every invalid one must fail, each invalid one for a
 * different reason (its first failing rule and path differ from the others'); every example's
 * `schemaVersion` names the contract's major.
 */
export function checkExamples(root: string, contracts: readonly ContractFile[]): string[] {
  const problems: string[] = [];
  for (const c of contracts) {
    const ajv = createAjv();
    let validate: ReturnType<typeof ajv.compile>;
    try {
      validate = ajv.compile(c.schema);
    } catch (e) {
      problems.push(`${c.schemaPath}: does not compile: ${(e as Error).message}`);
      continue;
    }
    if (c.validExamples.length < MIN_VALID_EXAMPLES) {
      problems.push(
        `${c.key}: needs at least ${MIN_VALID_EXAMPLES} examples in examples/, has ${c.validExamples.length}`,
      );
    }
    if (c.invalidExamples.length < MIN_INVALID_EXAMPLES) {
      problems.push(
        `${c.key}: needs at least ${MIN_INVALID_EXAMPLES} examples in examples/invalid/, has ${c.invalidExamples.length}`,
      );
    }
    for (const file of c.validExamples) {
      const example = readJson(file);
      if (!validate(example)) {
        const why = toIssues(validate.errors).map((i) => `${i.path} ${i.message} (${i.rule})`);
        problems.push(`${relative(root, file)}: should be valid but ${why.join('; ')}`);
      }
      const v = example.schemaVersion;
      if (typeof v !== 'string' || !v.startsWith(`${c.major}.`)) {
        problems.push(
          `${relative(root, file)}: schemaVersion ${JSON.stringify(v)} is not a ${c.major}.x version`,
        );
      }
    }
    const reasons = new Map<string, string>();
    for (const file of c.invalidExamples) {
      if (validate(readJson(file))) {
        problems.push(`${relative(root, file)}: should be invalid but validates`);
        continue;
      }
      const first = toIssues(validate.errors)[0];
      const reason = `${first?.rule} at ${first?.path}`;
      const twin = reasons.get(reason);
      if (twin)
        problems.push(`${relative(root, file)}: fails for the same reason as ${twin} (${reason})`);
      reasons.set(reason, relative(root, file));
    }
  }
  return problems;
}
