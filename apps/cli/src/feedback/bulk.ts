import { readFile } from 'node:fs/promises';
import { CliError } from '../errors.js';

/** One row of a bulk feedback file before resolution. */
export interface FeedbackRow {
  line: number;
  findingId?: string;
  verdict?: string;
  note?: string;
  entity?: string;
  entityType?: string;
  ip?: string;
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

const COLUMNS = ['finding', 'verdict', 'note', 'entity', 'entity_type', 'ip'] as const;

/**
 * Reads a bulk file: `.jsonl` (objects with `finding` or `findingId`, `verdict`, and optional
 * `note`, `entity`, `entityType`, `ip`) or `.csv` with a header naming the columns
 * `finding,verdict[,note,entity,entity_type,ip]` in any order.
 */
export async function readFeedbackFile(file: string): Promise<FeedbackRow[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new CliError(`--file ${file}: ${(cause as Error).message}`, { cause });
  }
  const lines = text.split(/\r?\n/);
  const rows: FeedbackRow[] = [];
  if (/\.jsonl?$/i.test(file)) {
    lines.forEach((l, i) => {
      if (!l.trim()) return;
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(l) as Record<string, unknown>;
      } catch {
        rows.push({ line: i + 1 });
        return;
      }
      const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
      const id = s('findingId') ?? s('finding');
      rows.push({
        line: i + 1,
        ...(id !== undefined && { findingId: id }),
        ...(s('verdict') !== undefined && { verdict: s('verdict') }),
        ...(s('note') !== undefined && { note: s('note') }),
        ...(s('entity') !== undefined && { entity: s('entity') }),
        ...(s('entityType') !== undefined && { entityType: s('entityType') }),
        ...(s('ip') !== undefined && { ip: s('ip') }),
      });
    });
    return rows;
  }
  if (!/\.csv$/i.test(file))
    throw new CliError(`--file ${file}: must end in .csv or .jsonl`, { exitCode: 2 });
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase());
  for (const h of header)
    if (!(COLUMNS as readonly string[]).includes(h))
      throw new CliError(`--file ${file}: unknown column '${h}' (known: ${COLUMNS.join(', ')})`, {
        exitCode: 2,
      });
  if (!header.includes('finding') || !header.includes('verdict'))
    throw new CliError(`--file ${file}: the header must name the columns finding and verdict`, {
      exitCode: 2,
    });
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.trim()) continue;
    const cells = splitCsvLine(l);
    const get = (c: string) => {
      const v = cells[header.indexOf(c)];
      return v === undefined || v === '' ? undefined : v;
    };
    const row: FeedbackRow = { line: i + 1 };
    const map: Array<[keyof FeedbackRow, string]> = [
      ['findingId', 'finding'],
      ['verdict', 'verdict'],
      ['note', 'note'],
      ['entity', 'entity'],
      ['entityType', 'entity_type'],
      ['ip', 'ip'],
    ];
    for (const [k, c] of map) {
      const v = get(c);
      if (v !== undefined) (row as unknown as Record<string, unknown>)[k] = v;
    }
    rows.push(row);
  }
  return rows;
}
