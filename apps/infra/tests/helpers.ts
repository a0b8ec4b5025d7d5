import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.ts';

/** The example settings every test starts from (dummy account 111122223333, us-east-1). */
export const EXAMPLE_CONFIG = 'config/example.json';

/**
 * The example stack. `bundle: false` sets CDK's `aws:cdk:bundling-stacks` to none, so the
 * functions get placeholder code and no esbuild runs (for tests of everything but bundles).
 */
export function exampleStack(context: Record<string, unknown> = {}, bundle = false) {
  const outdir = mkdtempSync(join(tmpdir(), 'lakewatch-infra-'));
  const built = buildApp({
    context: {
      config: EXAMPLE_CONFIG,
      ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...context,
    },
    outdir,
  });
  return { ...built, outdir };
}

/** A policy statement as CloudFormation renders it. */
export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every statement of every IAM policy (inline and managed) in a template, with its resource id. */
export function statements(template: Record<string, unknown>): { owner: string; s: Statement }[] {
  const out: { owner: string; s: Statement }[] = [];
  const resources = (
    template as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }
  ).Resources;
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::IAM::Policy' && r.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const doc = r.Properties.PolicyDocument as { Statement: Statement[] };
    for (const s of doc.Statement) out.push({ owner: id, s });
  }
  return out;
}

/** Actions of a statement as a list. */
export function actions(s: Statement): string[] {
  return Array.isArray(s.Action) ? s.Action : [s.Action];
}

/** Resources of a statement as a list. */
export function resources(s: Statement): unknown[] {
  return Array.isArray(s.Resource) ? s.Resource : [s.Resource];
}

/** The logical id of the function named `name`. */
export function functionId(template: Record<string, unknown>, name: string): string {
  const resources = (
    template as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }
  ).Resources;
  const hit = Object.entries(resources).find(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === name,
  );
  if (!hit) throw new Error(`no function ${name}`);
  return hit[0];
}

/** The policy statements attached to a function's role. */
export function roleStatements(
  template: Record<string, unknown>,
  functionName: string,
): Statement[] {
  const resources = (
    template as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }
  ).Resources;
  const fn: Cfn = resources[functionId(template, functionName)];
  const roleId: string = fn.Properties.Role['Fn::GetAtt'][0];
  return Object.values(resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        (r.Properties.Roles as { Ref: string }[]).some((x) => x.Ref === roleId),
    )
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** A piece of a synthesized template, walked as untyped JSON. */
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is checked by the assertions, not the compiler
export type Cfn = any;
