import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** A result row that cannot be a training pair, with its reason. */
export interface PairReject {
  /** 1-based line of Athena's result file (line 1 is its header). */
  line: number;
  reason: string;
}

/** What {@link athenaCsvToPairs} wrote and refused. */
export interface PairsConversion {
  rows: number;
  rejected: number;
  /** The first rejects (up to 20), for the report. */
  rejects: PairReject[];
}

/** Splits one line of Athena's CSV (every value quoted, `""` inside quotes). */
export function parseAthenaCsvLine(line: string): string[] | string {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return 'unterminated quoted value';
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fields.push(value);
    } else {
      const c = line.indexOf(',', i);
      fields.push(line.slice(i, c < 0 ? line.length : c));
      i = c < 0 ? line.length : c;
    }
    if (i >= line.length) return fields;
    if (line[i] !== ',') return `unexpected character after a quoted value at column ${i + 1}`;
    i++;
  }
}

const UNSAFE = /[,"\r\n]/;

/**
 * Rewrites Athena's query result CSV (a header row, quoted values) as the headerless
 * `entity,ip` CSV SageMaker IP Insights trains on. Rows that are not exactly two non-empty
 * values, or whose values would need quoting, are counted and kept with their reasons.
 */
export async function athenaCsvToPairs(
  input: Readable,
  output: Writable,
): Promise<PairsConversion> {
  const result: PairsConversion = { rows: 0, rejected: 0, rejects: [] };
  const reject = (line: number, reason: string) => {
    result.rejected++;
    if (result.rejects.length < 20) result.rejects.push({ line, reason });
  };
  let line = 0;
  let buffered = '';
  const flush = async () => {
    if (output.write(buffered)) {
      buffered = '';
      return;
    }
    buffered = '';
    await new Promise((r) => output.once('drain', r));
  };
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (line === 1) continue; // Athena's header: "entity","ip"
    if (text === '') continue;
    const fields = parseAthenaCsvLine(text);
    if (typeof fields === 'string') {
      reject(line, fields);
      continue;
    }
    const [entity, ip] = fields;
    if (fields.length !== 2 || entity === undefined || ip === undefined)
      reject(line, `expected 2 values (entity, ip), got ${fields.length}`);
    else if (entity === '' || ip === '') reject(line, 'empty entity or ip');
    else if (UNSAFE.test(entity) || UNSAFE.test(ip))
      reject(line, `value holds a comma, quote or line break: '${entity}','${ip}'`);
    else {
      buffered += `${entity},${ip}\n`;
      result.rows++;
      if (buffered.length >= 1 << 16) await flush();
    }
  }
  if (buffered) await flush();
  return result;
}
