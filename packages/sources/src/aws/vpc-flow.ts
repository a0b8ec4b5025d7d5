import type { ParseContext } from '../context.js';
import { RecordRejection } from '../context.js';
import type { ParseBatch } from '../types.js';
import { ArrayFields, LineFields } from './fields.js';
import {
  isVpcFlowHeader,
  layoutFromNames,
  VPC_FLOW_DEFAULT_FORMAT,
  type VpcFlowLayout,
  vpcFlowLayout,
} from './vpc-flow-fields.js';
import { vpcFlowRecord } from './vpc-flow-record.js';

/** Reused for every line: parsing is synchronous, one line at a time. */
const LINE = new LineFields();

/** Parses one VPC flow line (already split) into the context: a record or a reject. */
export function vpcFlowLine(
  line: string,
  lineNo: number,
  layout: VpcFlowLayout,
  ctx: ParseContext,
  uid: string,
  accountFallback?: string,
): void {
  const parts = LINE;
  const count = parts.scan(line);
  if (count !== layout.width) {
    ctx.reject({
      line: lineNo,
      reason: 'field-count',
      message: `expected ${layout.width} space-separated fields (${layout.names.join(' ')}), got ${count}`,
      raw: line,
    });
    return;
  }
  try {
    ctx.record(vpcFlowRecord(parts, layout, ctx, uid, accountFallback), lineNo);
  } catch (e) {
    if (!(e instanceof RecordRejection)) throw e;
    ctx.reject({
      line: lineNo,
      reason: e.reason,
      field: e.field,
      value: e.value,
      message: e.message,
      raw: line,
    });
  }
}

/**
 * Parses VPC Flow Logs text (an S3 object: optional header line, then one record a line).
 * Without a header the `vpcFlowFormat` option, else the default v2 format, gives the fields.
 */
export async function* parseVpcFlowText(
  lines: AsyncIterable<string[]>,
  ctx: ParseContext,
): AsyncGenerator<ParseBatch> {
  let layout: VpcFlowLayout | undefined;
  let header: string | undefined;
  let lineNo = 0;
  for await (const chunk of lines) {
    for (const line of chunk) {
      lineNo++;
      if (line.length === 0) continue;
      if (layout === undefined) {
        if (isVpcFlowHeader(line)) {
          header = line;
          layout = vpcFlowLayout(line);
          ctx.formatDetail = `header v${layoutVersion(layout)}`;
          continue;
        }
        layout = vpcFlowLayout(ctx.options.vpcFlowFormat ?? VPC_FLOW_DEFAULT_FORMAT);
        ctx.formatDetail = ctx.options.vpcFlowFormat ? 'format string' : 'default v2 format';
      } else if (line === header) continue;
      vpcFlowLine(line, lineNo, layout, ctx, ctx.uid(lineNo));
      if (ctx.full()) yield ctx.take();
    }
  }
}

/** The lowest VPC flow version that has every field of `layout`. */
export function layoutVersion(layout: VpcFlowLayout): number {
  let max = -1;
  layout.column.forEach((c, i) => {
    if (c >= 0) max = i;
  });
  if (max >= 39) return 8;
  if (max >= 29) return 7;
  if (max >= 27) return 5;
  if (max >= 21) return 4;
  if (max >= 14) return 3;
  return 2;
}

/** Maps a VPC flow record given as an object (JSON or Parquet row, `_` names) to its line. */
export function vpcFlowObject(
  row: Record<string, unknown>,
  rowNo: number,
  ctx: ParseContext,
  layouts: Map<string, VpcFlowLayout>,
): void {
  const keys = Object.keys(row).filter((k) => row[k] !== null && row[k] !== undefined);
  const key = keys.join(' ');
  let layout = layouts.get(key);
  if (layout === undefined) {
    layout = layoutFromNames(keys.map((k) => k.replaceAll('-', '_').toLowerCase()));
    layouts.set(key, layout);
  }
  const parts = new ArrayFields(keys.map((k) => String(row[k])));
  try {
    ctx.record(vpcFlowRecord(parts, layout, ctx, ctx.uid(rowNo)), rowNo);
  } catch (e) {
    if (!(e instanceof RecordRejection)) throw e;
    ctx.reject({
      line: rowNo,
      reason: e.reason,
      field: e.field,
      value: e.value,
      message: e.message,
      raw: safeJson(row),
    });
  }
}

/** JSON text of a value, BigInts as numbers. */
export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
  } catch {
    return String(value);
  }
}
