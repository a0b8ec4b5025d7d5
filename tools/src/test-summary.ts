import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listProjects } from './boundaries/check.js';

/** Totals over every project's vitest JSON report. */
export interface TestTotals {
  passed: number;
  failed: number;
  skipped: number;
  projects: number;
}

/** Where each project's vitest JSON report lands (see tools/vitest.shared.ts). */
export const RESULTS_FILE = '.vitest/results.json';

/** Sums the vitest JSON reports of every workspace project under `root`. */
export function sumTestResults(root: string): TestTotals {
  const totals: TestTotals = { passed: 0, failed: 0, skipped: 0, projects: 0 };
  for (const p of listProjects(root)) {
    const file = join(root, p.root, RESULTS_FILE);
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      numTodoTests: number;
    };
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + r.numTodoTests;
    totals.projects += 1;
  }
  return totals;
}
