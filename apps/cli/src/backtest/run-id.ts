import { createHash } from 'node:crypto';

/**
 * The run id of a backtest: a hash of everything that decides its result (window, archive,
 * both models' versions and thresholds, the alert window, the labels' content). The same
 * backtest always gets the same id; it names the rules, the verdicts and the report folder.
 */
export function backtestRunId(inputs: Record<string, unknown>): string {
  const canonical = JSON.stringify(inputs, Object.keys(inputs).sort());
  return `bt-${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;
}
