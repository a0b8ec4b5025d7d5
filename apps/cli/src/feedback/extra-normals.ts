import { appendFile, copyFile, mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latestVerdicts, readLabels } from './store.js';

/** A training CSV with the false positives added, and how to remove it. */
export interface ExtendedTrainingInput {
  path: string;
  /** Distinct (entity, IP) pairs added. */
  pairs: number;
  /** Rows added (pairs × weight). */
  rows: number;
  cleanup(): Promise<void>;
}

/** The (entity, IP) pairs whose latest analyst verdict is false-positive, sorted. */
export async function falsePositivePairs(labelsFile: string): Promise<Array<[string, string]>> {
  const { labels } = await readLabels(labelsFile);
  return [...latestVerdicts(labels).values()]
    .filter((l) => l.verdict === 'false-positive')
    .map((l): [string, string] => [l.entity.uid, l.ip])
    .sort((a, b) => (a.join(',') < b.join(',') ? -1 : 1));
}

async function endsWithNewline(path: string): Promise<boolean> {
  const { size } = await stat(path);
  if (size === 0) return true;
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, size - 1);
    return b[0] === 0x0a;
  } finally {
    await fh.close();
  }
}

/**
 * Copies the training CSV (headerless `entity,ip`) and appends every false-positive pair of
 * the feedback store `weight` times: pairs an analyst called normal become normal pairs of
 * the next training.
 */
export async function withExtraNormals(
  input: string,
  labelsFile: string,
  weight: number,
): Promise<ExtendedTrainingInput> {
  const pairs = await falsePositivePairs(labelsFile);
  const dir = await mkdtemp(join(tmpdir(), 'lakewatch-train-'));
  const path = join(dir, 'pairs-with-feedback.csv');
  await copyFile(input, path);
  const lines: string[] = [];
  for (const [entity, ip] of pairs) for (let i = 0; i < weight; i++) lines.push(`${entity},${ip}`);
  const lead = (await endsWithNewline(path)) ? '' : '\n';
  if (lines.length > 0) await appendFile(path, `${lead}${lines.join('\n')}\n`);
  return {
    path,
    pairs: pairs.length,
    rows: lines.length,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
