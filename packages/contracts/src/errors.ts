/** One way in which a payload breaks its contract. */
export interface ContractIssue {
  /** JSON pointer of the offending value, e.g. `/detail/pairs/0/ip`. */
  path: string;
  /** The JSON Schema keyword that failed, e.g. `format`, `required`, `type`. */
  rule: string;
  /** What the rule expected, in words. */
  message: string;
}

/** Base class of every error thrown by `@lakewatch/contracts`. */
export class ContractError extends Error {
  override name = 'ContractError';
}

/** A payload does not satisfy its contract; `issues` lists every failed rule with its path. */
export class ContractValidationError extends ContractError {
  override name = 'ContractValidationError';
  readonly contract: string;
  readonly issues: readonly ContractIssue[];

  constructor(contract: string, issues: readonly ContractIssue[]) {
    const shown = issues
      .slice(0, 5)
      .map((i) => `${i.path || '/'} ${i.message} (${i.rule})`)
      .join('; ');
    const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
    super(`${contract}: ${shown}${more}`);
    this.contract = contract;
    this.issues = issues;
  }
}

/** The event names a source, detail type or major version that no contract describes. */
export class UnknownContractError extends ContractError {
  override name = 'UnknownContractError';
}
