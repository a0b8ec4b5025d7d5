import { ToolError } from '../errors.js';
import { discoverContracts } from './discover.js';
import { exportDraft4 } from './draft4.js';
import { checkExamples } from './examples.js';
import { renderGenerated, staleGenerated, writeGenerated } from './generate.js';
import { checkLock, updateLock } from './lock.js';

/** The outcome of one named check. */
export interface CheckResult {
  check: string;
  problems: string[];
  detail?: string;
}

/**
 * Runs every contract check against the repository at `root`: examples, generated types up
 * to date, schema lock, and the Draft 4 export. Returns one result per check.
 */
export async function runContractChecks(root: string): Promise<CheckResult[]> {
  const contracts = discoverContracts(root);
  const examples = checkExamples(root, contracts);
  let stale: string[];
  try {
    stale = staleGenerated(root, await renderGenerated(contracts)).map(
      (f) => `${f} is out of date; run \`npm run contracts:generate\``,
    );
  } catch (e) {
    if (!(e instanceof ToolError)) throw e;
    stale = [`cannot generate: ${e.message}`];
  }
  const lock = checkLock(root, contracts);
  const draft4 = exportDraft4(root, contracts);
  return [
    {
      check: 'examples',
      problems: examples,
      detail: `${contracts.length} contracts, ${contracts.reduce((n, c) => n + c.validExamples.length + c.invalidExamples.length, 0)} examples`,
    },
    {
      check: 'generated types',
      problems: stale,
    },
    { check: 'schema lock', problems: lock },
    {
      check: 'draft-04 export',
      problems: draft4.problems,
      detail: `${draft4.written.length} schemas written`,
    },
  ];
}

/** Regenerates the contracts package's generated TypeScript. */
export async function generateContracts(root: string): Promise<string[]> {
  const files = await renderGenerated(discoverContracts(root));
  const removed = writeGenerated(root, files);
  return [...files.keys(), ...removed.map((r) => `${r} (removed)`)];
}

/** Updates the schema lock (bumping compatible changes) and, unless a change was refused, regenerates the types. */
export async function lockContracts(root: string) {
  const contracts = discoverContracts(root);
  const update = updateLock(root, contracts);
  // A refused (breaking) change leaves the schemas unpublishable: generate nothing from them.
  if (update.refused.length === 0) writeGenerated(root, await renderGenerated(contracts));
  return update;
}
