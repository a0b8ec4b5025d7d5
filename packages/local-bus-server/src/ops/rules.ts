import { busNameOf } from '../arns.js';
import type { Engine, LiveRule } from '../engine.js';
import { ApiError, validationError } from '../errors.js';
import { compileEventPattern } from '../matching.js';
import { type Input, name, paginate, str } from '../validate.js';
import type { Operations, OperationsFactory } from './types.js';

const STATES = new Set(['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']);

/** A rule as DescribeRule and ListRules show it. */
export function describeRule(engine: Engine, r: LiveRule): Record<string, unknown> {
  return {
    Name: r.name,
    Arn: engine.ruleArn(r),
    EventPattern: r.eventPattern,
    State: r.state,
    ...(r.description === undefined ? {} : { Description: r.description }),
    ...(r.roleArn === undefined ? {} : { RoleArn: r.roleArn }),
    EventBusName: r.bus,
  };
}

function busOf(engine: Engine, input: Input): string {
  const bus = busNameOf(str(input, 'EventBusName', { max: 1600 }));
  engine.requireBus(bus);
  return bus;
}

/** PutRule, DescribeRule, ListRules, DeleteRule, EnableRule, DisableRule. */
export const ruleOperations: OperationsFactory = (engine): Operations => ({
  PutRule(input) {
    const ruleName = name(input, 'Name');
    const bus = busOf(engine, input);
    if (input.ScheduleExpression !== undefined && input.ScheduleExpression !== null)
      throw validationError(
        'ScheduleExpression is not supported by the local bus: give the rule an EventPattern.',
      );
    const pattern = str(input, 'EventPattern', { max: 4096 });
    if (pattern === undefined)
      throw validationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    const state = str(input, 'State') ?? 'ENABLED';
    if (!STATES.has(state))
      throw validationError(
        `1 validation error detected: Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]`,
      );
    const matcher = compileEventPattern(pattern);
    const old = engine.rules.get(bus)?.get(ruleName);
    const description = str(input, 'Description', { max: 512 });
    const roleArn = str(input, 'RoleArn', { max: 1600 });
    const rule: LiveRule = {
      name: ruleName,
      bus,
      eventPattern: pattern,
      state: state === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      ...(description === undefined ? {} : { description }),
      ...(roleArn === undefined ? {} : { roleArn }),
      targets: old?.targets ?? [],
      matcher,
    };
    engine.putRule(rule);
    engine.persist();
    return { RuleArn: engine.ruleArn(rule) };
  },

  DescribeRule(input) {
    const bus = busOf(engine, input);
    const r = engine.requireRule(bus, name(input, 'Name'));
    return { ...describeRule(engine, r), CreatedBy: engine.account.account };
  },

  ListRules(input) {
    const bus = busOf(engine, input);
    const prefix = str(input, 'NamePrefix', { max: 64 }) ?? '';
    const rules = [...(engine.rules.get(bus)?.values() ?? [])]
      .filter((r) => r.name.startsWith(prefix))
      .sort((a, b) => a.name.localeCompare(b.name));
    const { page, nextToken } = paginate(rules, input);
    return { Rules: page.map((r) => describeRule(engine, r)), NextToken: nextToken };
  },

  DeleteRule(input) {
    const ruleName = name(input, 'Name');
    const bus = busOf(engine, input);
    const r = engine.rules.get(bus)?.get(ruleName);
    if (!r) return {};
    if (r.targets.length > 0) throw validationError("Rule can't be deleted since it has targets.");
    engine.rules.get(bus)?.delete(ruleName);
    engine.persist();
    return {};
  },

  EnableRule: (input) => setState(engine, input, 'ENABLED'),
  DisableRule: (input) => setState(engine, input, 'DISABLED'),
});

function setState(engine: Engine, input: Input, state: 'ENABLED' | 'DISABLED'): object {
  const bus = busOf(engine, input);
  const r = engine.requireRule(bus, name(input, 'Name'));
  r.state = state;
  engine.persist();
  return {};
}

/** Thrown when a rule would get more targets than AWS allows (5). */
export function tooManyTargets(rule: string): ApiError {
  return new ApiError(
    'LimitExceededException',
    `The requested resource exceeds the maximum number allowed. Rule ${rule} can have at most 5 targets.`,
  );
}
