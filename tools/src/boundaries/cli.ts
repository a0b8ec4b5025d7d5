import { findRepoRoot } from '../repo-root.js';
import { checkBoundaries, listProjects } from './check.js';

/** Entry point of `npm run check:boundaries`; returns the process exit code. */
export function main(argv: readonly string[]): number {
  const rootFlag = argv.indexOf('--root');
  const root = rootFlag >= 0 && argv[rootFlag + 1] ? argv[rootFlag + 1]! : findRepoRoot();
  const violations = checkBoundaries(root);
  const projects = listProjects(root);
  if (violations.length === 0) {
    console.log(`ok   project boundaries (${projects.length} projects)`);
    return 0;
  }
  console.log(`FAIL project boundaries: ${violations.length} violation(s)`);
  for (const v of violations)
    console.log(`     - ${v.file}${v.line ? `:${v.line}` : ''}: ${v.message}`);
  return 1;
}
