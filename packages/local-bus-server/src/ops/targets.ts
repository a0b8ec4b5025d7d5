import { busNameOf } from '../arns.js';
import { targetUrl } from '../delivery.js';
import type { Engine } from '../engine.js';
import { validationError } from '../errors.js';
import { targetInputProblem } from '../matching.js';
import type { Target } from '../model.js';
import { type Input, name, paginate, str } from '../validate.js';
import { tooManyTargets } from './rules.js';
import type { Operations, OperationsFactory } from './types.js';

const ID_RE = /^[.\-_A-Za-z0-9]+$/;
const MAX_TARGETS = 5;

function problemWith(t: Input, engine: Engine): { code: string; message: string } | undefined {
  const id = t.Id;
  if (typeof id !== 'string' || id.length === 0 || id.length > 64 || !ID_RE.test(id))
    return {
      code: 'ValidationException',
      message: `Target Id ${JSON.stringify(id)} is not valid: 1 to 64 of [.-_A-Za-z0-9]`,
    };
  if (typeof t.Arn !== 'string' || t.Arn.length === 0)
    return { code: 'ValidationException', message: `Target ${id}: Arn is required` };
  const retry = t.RetryPolicy as Target['RetryPolicy'] | undefined;
  const n = retry?.MaximumRetryAttempts;
  if (n !== undefined && (!Number.isInteger(n) || n < 0 || n > 185))
    return {
      code: 'ValidationException',
      message: `Target ${id}: RetryPolicy.MaximumRetryAttempts must be an integer from 0 to 185, got ${String(n)}`,
    };
  const age = retry?.MaximumEventAgeInSeconds;
  if (age !== undefined && (!Number.isInteger(age) || age < 60 || age > 86_400))
    return {
      code: 'ValidationException',
      message: `Target ${id}: RetryPolicy.MaximumEventAgeInSeconds must be an integer from 60 to 86400, got ${String(age)}`,
    };
  const inputProblem = targetInputProblem(t as unknown as Target);
  if (inputProblem)
    return { code: 'ValidationException', message: `Target ${id}: ${inputProblem}` };
  let url: URL | undefined;
  try {
    url = targetUrl(t as unknown as Target, engine.options.targetUrls);
  } catch {
    return {
      code: 'ValidationException',
      message: `Target ${id}: Arn ${t.Arn} is not a valid URL`,
    };
  }
  if (!url)
    return {
      code: 'ValidationException',
      message: `Target ${id}: the local bus delivers over HTTP; Arn ${t.Arn} is neither an http(s) URL nor mapped to one (routing file Endpoints / Services)`,
    };
  return undefined;
}

/** PutTargets, RemoveTargets, ListTargetsByRule. */
export const targetOperations: OperationsFactory = (engine): Operations => ({
  PutTargets(input) {
    const bus = busNameOf(str(input, 'EventBusName'));
    const rule = engine.requireRule(bus, name(input, 'Rule'));
    const targets = input.Targets;
    if (!Array.isArray(targets) || targets.length < 1 || targets.length > 10)
      throw validationError(
        "1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length between 1 and 10",
      );
    const failed: { TargetId?: string; ErrorCode: string; ErrorMessage: string }[] = [];
    const next = [...rule.targets];
    for (const raw of targets) {
      const t = (raw ?? {}) as Input;
      const problem = problemWith(t, engine);
      if (problem) {
        failed.push({
          ...(typeof t.Id === 'string' ? { TargetId: t.Id } : {}),
          ErrorCode: problem.code,
          ErrorMessage: problem.message,
        });
        continue;
      }
      const at = next.findIndex((x) => x.Id === t.Id);
      if (at >= 0) next[at] = t as unknown as Target;
      else next.push(t as unknown as Target);
    }
    if (next.length > MAX_TARGETS) throw tooManyTargets(rule.name);
    rule.targets = next;
    engine.persist();
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  },

  RemoveTargets(input) {
    const bus = busNameOf(str(input, 'EventBusName'));
    const rule = engine.requireRule(bus, name(input, 'Rule'));
    const ids = input.Ids;
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100)
      throw validationError(
        "1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length between 1 and 100",
      );
    const remove = new Set(ids);
    rule.targets = rule.targets.filter((t) => !remove.has(t.Id));
    engine.persist();
    return { FailedEntryCount: 0, FailedEntries: [] };
  },

  ListTargetsByRule(input) {
    const bus = busNameOf(str(input, 'EventBusName'));
    const rule = engine.requireRule(bus, name(input, 'Rule'));
    const { page, nextToken } = paginate(rule.targets, input);
    return { Targets: page, NextToken: nextToken };
  },
});
