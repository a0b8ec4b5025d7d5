import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { CliError } from '../errors.js';
import { latestVerdicts, pairKey, parseLabels } from '../feedback/store.js';

/**
 * Labels of (entity, IP) pairs for a backtest: 1 = a real incident, 0 = normal.
 * `complete` means every pair not listed is normal (the simulator's ground truth); with
 * analyst feedback only the listed pairs are labelled.
 */
export interface PairLabels {
  /** `entityUid|ip` → 1 (anomalous) or 0 (normal). */
  readonly labels: ReadonlyMap<string, 0 | 1>;
  readonly complete: boolean;
  /** Where they came from, for the report (file names, not paths: the report stays portable). */
  readonly sources: readonly string[];
}

interface GroundTruthFile {
  incidents: Array<{ pairs: Array<{ entity: { uid: string }; ip: string }> }>;
}

function isGroundTruth(v: unknown): v is GroundTruthFile {
  return (
    typeof v === 'object' && v !== null && Array.isArray((v as Record<string, unknown>).incidents)
  );
}

/**
 * Reads label files: the simulator's `ground-truth.json` (every pair of every incident is
 * anomalous, every other pair normal) and/or feedback stores (JSON lines; the last verdict of
 * a pair wins; false-positive → 0, true-positive → 1). Feedback overrides the ground truth.
 */
export async function loadPairLabels(files: readonly string[]): Promise<PairLabels | undefined> {
  if (files.length === 0) return undefined;
  const labels = new Map<string, 0 | 1>();
  let complete = false;
  const feedback: Array<[string, 0 | 1]> = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (cause) {
      throw new CliError(`--labels ${file}: ${(cause as Error).message}`, { cause });
    }
    let whole: unknown;
    try {
      whole = JSON.parse(text);
    } catch {
      whole = undefined;
    }
    if (isGroundTruth(whole)) {
      complete = true;
      for (const inc of whole.incidents)
        for (const p of inc.pairs) labels.set(pairKey(p.entity.uid, p.ip), 1);
      continue;
    }
    const { labels: rows, rejected } = parseLabels(text);
    if (rows.length === 0)
      throw new CliError(
        `--labels ${file}: neither a simulator ground-truth.json nor feedback labels (JSON lines)${rejected[0] ? `; line ${rejected[0].line}: ${rejected[0].reason}` : ''}`,
        { exitCode: 2 },
      );
    for (const [k, l] of latestVerdicts(rows))
      feedback.push([k, l.verdict === 'true-positive' ? 1 : 0]);
  }
  for (const [k, v] of feedback) labels.set(k, v);
  return { labels, complete, sources: files.map((f) => basename(f)) };
}
