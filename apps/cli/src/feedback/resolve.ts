import { readFile } from 'node:fs/promises';

/** What a finding id resolves to. */
export interface FindingSubject {
  entity: { type: string; uid: string };
  ip: string;
  /** The file it was found in. */
  file: string;
}

function subjectOf(
  v: unknown,
): { id: string; entity: { type: string; uid: string }; ip: string } | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  // notify's file target writes {at, route, eventId, finding}; an event carries {detail}
  const d = (o.finding ?? o.detail ?? o) as Record<string, unknown>;
  const e = d.entity as Record<string, unknown> | undefined;
  if (typeof d.findingId !== 'string' || typeof d.ip !== 'string') return undefined;
  if (typeof e?.uid !== 'string' || typeof e.type !== 'string') return undefined;
  return { id: d.findingId, entity: { type: e.type, uid: e.uid }, ip: d.ip };
}

/**
 * Indexes findings by id from JSON-lines files: the notify service's `file` target output
 * (`{at, route, eventId, finding}`), FindingEnriched events, or bare FindingEnriched details.
 * Missing files are skipped (a fresh install has no findings yet); unparsable lines too.
 */
export async function indexFindings(
  files: readonly string[],
): Promise<Map<string, FindingSubject>> {
  const out = new Map<string, FindingSubject>();
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        continue;
      }
      const s = subjectOf(v);
      if (s) out.set(s.id, { entity: s.entity, ip: s.ip, file });
    }
  }
  return out;
}
