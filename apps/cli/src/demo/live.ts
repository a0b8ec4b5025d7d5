import { copyFile, mkdir, readdir, rename } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Simulation } from '@lakewatch/simulator';
import { readLogFrom } from '../stack/process.js';
import type { Alert } from './truth.js';

/** One object put into the landing folder. */
export interface LandedObject {
  /** The URI ingest gives it (`file://` URL of its path), which findings carry back. */
  uri: string;
  landedAt: number;
}

/** Lands the simulation's live objects (hidden name, then rename), pacing them by `delayMs`. */
export async function* landSimulated(
  sim: Simulation,
  dir: string,
  delayMs: number,
): AsyncGenerator<LandedObject> {
  const { landObjects } = await import('@lakewatch/simulator');
  for await (const l of landObjects(sim, { dir, delayMs }))
    yield { uri: pathToFileURL(l.path).href, landedAt: l.landedAt };
}

/** Every file under a folder (dot names skipped), sorted, as paths relative to it. */
export async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(relative(root, p));
    }
  };
  await walk(root);
  return out;
}

/** Lands a user's log files (their layout kept) the same way: copied hidden, then renamed. */
export async function* landFolder(
  from: string,
  dir: string,
  delayMs: number,
): AsyncGenerator<LandedObject> {
  const files = await filesUnder(from);
  for (const [i, rel] of files.entries()) {
    if (i > 0 && delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    const path = join(dir, rel);
    await mkdir(dirname(path), { recursive: true });
    const hidden = join(dirname(path), `.${basename(path)}.partial`);
    await copyFile(join(from, rel), hidden);
    await rename(hidden, path);
    yield { uri: pathToFileURL(path).href, landedAt: Date.now() };
  }
}

/** Reads the alerts a JSON-lines file target receives, as they are appended. */
export class AlertTail {
  private offset = 0;
  private rest = '';
  readonly alerts: Alert[] = [];

  constructor(readonly path: string) {}

  /** The alerts appended since the last call. */
  async poll(): Promise<Alert[]> {
    let text: string;
    try {
      text = await readLogFrom(this.path, this.offset);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    this.offset += Buffer.byteLength(text);
    const lines = (this.rest + text).split('\n');
    this.rest = lines.pop() ?? '';
    const fresh = lines.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Alert);
    this.alerts.push(...fresh);
    return fresh;
  }
}

/** Counts the files ingest has finished with (moved to `.processed/` or `.failed/`). */
export async function finishedObjects(
  landing: string,
): Promise<{ processed: number; failed: number }> {
  const count = async (d: string) =>
    (await filesUnder(d).catch(() => [])).filter((f) => !f.endsWith('.error.txt')).length;
  return {
    processed: await count(join(landing, '.processed')),
    failed: await count(join(landing, '.failed')),
  };
}

/** One alert as a line: entity → IP, score, risk, reasons. */
export function formatAlert(a: Alert, latencyMs: number | undefined): string {
  const f = a.finding;
  const score = f.anomalyScore !== undefined ? f.anomalyScore.toFixed(4) : '-';
  const dot = f.dotProduct !== undefined ? ` (dot ${f.dotProduct.toFixed(2)})` : '';
  const where = [f.intel?.country?.code, f.intel?.asn?.organization].filter(Boolean).join(' ');
  const reasons = f.risk.reasons.map((r) => `${r.code} +${r.points}`).join(', ');
  const latency =
    latencyMs !== undefined ? `  ${(latencyMs / 1000).toFixed(1)} s after landing` : '';
  return `ALERT ${f.entity.uid} -> ${f.ip}${where ? ` [${where}]` : ''}  score ${score}${dot}  risk ${f.risk.score} ${f.risk.level}  reasons: ${reasons}${latency}`;
}
