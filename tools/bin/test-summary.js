#!/usr/bin/env node
import { findRepoRoot } from '../dist/repo-root.js';
// Prints one closing line over every project's vitest results: "Tests: N passed, N failed".
import { sumTestResults } from '../dist/test-summary.js';

const t = sumTestResults(findRepoRoot());
console.log(`${t.projects} projects`);
console.log(`Tests: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
process.exit(t.failed === 0 && t.passed > 0 ? 0 : 1);
