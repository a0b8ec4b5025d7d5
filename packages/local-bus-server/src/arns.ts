/** Account and region the bus pretends to live in; they appear in every ARN and event. */
export interface AccountInfo {
  account: string;
  region: string;
}

/** `arn:aws:events:<region>:<account>:event-bus/<name>` */
export function eventBusArn(a: AccountInfo, bus: string): string {
  return `arn:aws:events:${a.region}:${a.account}:event-bus/${bus}`;
}

/** Rule ARN as AWS forms it: no bus segment for the default bus. */
export function ruleArn(a: AccountInfo, bus: string, rule: string): string {
  const path = bus === 'default' ? rule : `${bus}/${rule}`;
  return `arn:aws:events:${a.region}:${a.account}:rule/${path}`;
}

/** `arn:aws:events:<region>:<account>:archive/<name>` */
export function archiveArn(a: AccountInfo, name: string): string {
  return `arn:aws:events:${a.region}:${a.account}:archive/${name}`;
}

/** `arn:aws:events:<region>:<account>:replay/<name>` */
export function replayArn(a: AccountInfo, name: string): string {
  return `arn:aws:events:${a.region}:${a.account}:replay/${name}`;
}

/** The bus name of an `EventBusName` parameter that may be a name or an event-bus ARN. */
export function busNameOf(nameOrArn: string | undefined): string {
  if (!nameOrArn) return 'default';
  const m = /^arn:aws[a-z-]*:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(nameOrArn);
  return m?.[1] ?? nameOrArn;
}

/** The name after `<kind>/` in an events ARN, or undefined when `arn` is not of that kind. */
export function resourceNameOf(arn: string, kind: string): string | undefined {
  const m = /^arn:aws[a-z-]*:events:[^:]*:[^:]*:([a-z-]+)\/(.+)$/.exec(arn);
  return m && m[1] === kind ? m[2] : undefined;
}

/** Splits a rule ARN into bus and rule name. */
export function parseRuleArn(arn: string): { bus: string; rule: string } | undefined {
  const path = resourceNameOf(arn, 'rule');
  if (!path) return undefined;
  const slash = path.indexOf('/');
  return slash < 0
    ? { bus: 'default', rule: path }
    : { bus: path.slice(0, slash), rule: path.slice(slash + 1) };
}
