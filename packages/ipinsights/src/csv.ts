import { readFile } from 'node:fs/promises';
import { InputError } from './errors.js';
import { parseIpv4 } from './ip.js';
import type { PairTable, RejectedRow } from './types.js';

/** Rows of a pairs file: every input row in order, with the parsed IP or -1 when rejected. */
export interface PairRows {
  readonly entities: string[];
  /** The IP text of each row, as written. */
  readonly ipTexts: string[];
  /** Parsed IPv4 per row (uint32), or -1 when the row was rejected. */
  readonly ips: Float64Array;
  /** Labels when the file has a `label` column (1 = anomalous), else undefined. */
  readonly labels?: Uint8Array;
  /** 1-based file line number of each row. */
  readonly lines: Uint32Array;
  readonly rejects: RejectedRow[];
  readonly hadHeader: boolean;
}

const ENTITY_NAMES = new Set(['entity', 'user', 'entity_id', 'user_id']);
const IP_NAMES = new Set(['ip', 'ip_address', 'ipaddress', 'source_ip']);

function splitLine(line: string): string[] {
  return line.split(',').map((f) => f.trim());
}

/**
 * Parses `entity,ip[,label]` CSV text. A first line whose IP field is a column name (not
 * an address) is a header; with a header, the columns are found by name (`entity`/`user`,
 * `ip`/`ip_address`, `label`). Bad rows are kept in order with their reason in `rejects`
 * and `ips[i] = -1`; blank lines are skipped.
 *
 * @param requireLabel demand a `label` column of 0/1 (a header is then required).
 * @throws {InputError} when the file has no usable structure (no rows, no label column).
 */
export function parsePairsCsv(text: string, source: string, requireLabel = false): PairRows {
  const entities: string[] = [];
  const ipTexts: string[] = [];
  const ipList: number[] = [];
  const labelList: number[] = [];
  const lineList: number[] = [];
  const rejects: RejectedRow[] = [];
  let entityCol = 0;
  let ipCol = 1;
  let labelCol = -1;
  let hadHeader = false;
  let lineNo = 0;
  let pos = 0;
  const len = text.length;
  while (pos < len) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = len;
    let line = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    const fields = splitLine(line);
    if (entities.length === 0 && !hadHeader) {
      const second = fields[1] ?? '';
      if (parseIpv4(second) < 0 && /^[A-Za-z_][A-Za-z0-9_ ]*$/.test(second)) {
        hadHeader = true;
        const names = fields.map((f) => f.toLowerCase().replace(/^\ufeff/, ''));
        const e = names.findIndex((f) => ENTITY_NAMES.has(f));
        const i = names.findIndex((f) => IP_NAMES.has(f));
        if (e >= 0) entityCol = e;
        if (i >= 0) ipCol = i;
        labelCol = names.indexOf('label');
        continue;
      }
    }
    if (requireLabel && labelCol < 0)
      throw new InputError(
        `${source}: a labeled file needs a header line with a 'label' column (entity,ip,label)`,
      );
    const entity = fields[entityCol] ?? '';
    const ipText = fields[ipCol] ?? '';
    let ip = parseIpv4(ipText);
    let reason = '';
    if (entity === '') reason = `field ${entityCol + 1} (entity) is empty`;
    else if (fields.length <= ipCol)
      reason = `expected at least ${ipCol + 1} fields, got ${fields.length}`;
    else if (ip < 0)
      reason = ipText.includes(':')
        ? `field ${ipCol + 1} 'ip' is an IPv6 address, the model encodes IPv4: '${ipText}'`
        : `field ${ipCol + 1} 'ip' is not an IPv4 address: '${ipText}'`;
    let label = 0;
    if (labelCol >= 0 && reason === '') {
      const l = fields[labelCol];
      if (l === '0' || l === '1') label = Number(l);
      else reason = `field ${labelCol + 1} 'label' must be 0 or 1, got '${l ?? ''}'`;
    }
    if (reason !== '') {
      ip = -1;
      rejects.push({ line: lineNo, reason, text: line });
    }
    entities.push(entity);
    ipTexts.push(ipText);
    ipList.push(ip);
    labelList.push(label);
    lineList.push(lineNo);
  }
  if (requireLabel && labelCol < 0)
    throw new InputError(
      `${source}: a labeled file needs a header line with a 'label' column (entity,ip,label)`,
    );
  return {
    entities,
    ipTexts,
    ips: Float64Array.from(ipList),
    ...(labelCol >= 0 ? { labels: Uint8Array.from(labelList) } : {}),
    lines: Uint32Array.from(lineList),
    rejects,
    hadHeader,
  };
}

/** Reads and parses a pairs CSV file (see {@link parsePairsCsv}). */
export async function readPairsCsv(path: string, requireLabel = false): Promise<PairRows> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new InputError(`cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  return parsePairsCsv(text, path, requireLabel);
}

/** Converts in-memory pairs to rows, rejecting bad IPs the same way as the CSV reader. */
export function tableToRows(table: PairTable): PairRows {
  if (table.entities.length !== table.ips.length)
    throw new InputError(`pairs: ${table.entities.length} entities but ${table.ips.length} IPs`);
  const n = table.entities.length;
  const ips = new Float64Array(n);
  const rejects: RejectedRow[] = [];
  const lines = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    lines[i] = i + 1;
    const t = table.ips[i]!;
    ips[i] = table.entities[i] ? parseIpv4(t) : -1;
    if (ips[i]! < 0)
      rejects.push({
        line: i + 1,
        reason: table.entities[i] ? `not an IPv4 address: '${t}'` : 'entity is empty',
        text: `${table.entities[i]},${t}`,
      });
  }
  return {
    entities: [...table.entities],
    ipTexts: [...table.ips],
    ips,
    lines,
    rejects,
    hadHeader: false,
  };
}
