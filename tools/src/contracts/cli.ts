import { findRepoRoot } from '../repo-root.js';
import { generateContracts, lockContracts, runContractChecks } from './run.js';

const USAGE = `usage: contracts <check|generate|lock> [--root DIR]
  check      validate examples, generated types, the schema lock and the Draft 4 export
  generate   regenerate packages/contracts/src/generated from contracts/events
  lock       lock new majors, bump the minor of compatible changes, refuse breaking ones`;

/** Entry point of `npm run contracts:*`; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const rootFlag = rest.indexOf('--root');
  const root = rootFlag >= 0 && rest[rootFlag + 1] ? rest[rootFlag + 1]! : findRepoRoot();
  switch (command) {
    case 'check': {
      const results = await runContractChecks(root);
      let failed = 0;
      for (const r of results) {
        const status = r.problems.length === 0 ? 'ok  ' : 'FAIL';
        console.log(`${status} ${r.check}${r.detail ? ` (${r.detail})` : ''}`);
        for (const p of r.problems) console.log(`     - ${p}`);
        failed += r.problems.length;
      }
      return failed === 0 ? 0 : 1;
    }
    case 'generate': {
      for (const f of await generateContracts(root)) console.log(`wrote ${f}`);
      return 0;
    }
    case 'lock': {
      const u = await lockContracts(root);
      for (const k of u.added) console.log(`locked ${k}`);
      for (const b of u.bumped) console.log(`bumped ${b.key} ${b.from} -> ${b.to}`);
      for (const r of u.refused)
        console.log(`REFUSED breaking change ${r}; put it in a new major folder`);
      return u.refused.length === 0 ? 0 : 1;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}
