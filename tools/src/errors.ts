/** Base class of the errors the repository tools report; the CLIs print `message` and exit 1. */
export class ToolError extends Error {
  override name = 'ToolError';
}

/** A contract check found a problem; `problems` lists each one in words. */
export class ContractCheckError extends ToolError {
  override name = 'ContractCheckError';
  readonly problems: readonly string[];
  constructor(check: string, problems: readonly string[]) {
    super(`${check}: ${problems.length} problem(s)\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}
