import { upgradeOcsfRecord } from '@lakewatch/shared';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { vpcFlowObject } from '../aws/vpc-flow.js';
import type { VpcFlowLayout } from '../aws/vpc-flow-fields.js';
import type { ParseContext } from '../context.js';
import { UnreadableInputError } from '../errors.js';
import { collect } from '../io/bytes.js';
import type { ParseBatch } from '../types.js';
import { cleanParquetValue } from './ocsf-row.js';

type Obj = Record<string, unknown>;

/**
 * Reads a Parquet object: Security Lake OCSF rows (source version 1.0 = OCSF 1.0.0-rc.2,
 * 2.0 = 1.1.0, any class) brought to OCSF 1.1.0, or VPC Flow Logs delivered as Parquet.
 * Parquet needs random access, so the object is held in memory; rows are decoded one row
 * group at a time.
 */
export async function* parseParquet(
  input: AsyncIterable<Uint8Array>,
  ctx: ParseContext,
): AsyncGenerator<ParseBatch> {
  const buffer = await collect(input);
  const file = new Uint8Array(buffer).buffer as ArrayBuffer;
  let metadata: ReturnType<typeof parquetMetadata>;
  try {
    metadata = parquetMetadata(file);
  } catch (cause) {
    throw new UnreadableInputError(
      `${ctx.sourceUri}: not a readable Parquet file: ${(cause as Error).message}`,
      { cause },
    );
  }
  const columns = new Set(parquetSchema(metadata).children.map((c) => c.element.name));
  const ocsf = columns.has('class_uid');
  const vpc = !ocsf && (columns.has('srcaddr') || columns.has('interface_id'));
  if (!ocsf && !vpc)
    throw new UnreadableInputError(
      `${ctx.sourceUri}: Parquet with neither OCSF (class_uid) nor VPC Flow Logs columns: ${[...columns].slice(0, 12).join(', ')}`,
    );
  if (vpc) {
    ctx.format = 'aws-vpc-flow';
    ctx.formatDetail = 'parquet';
  } else ctx.formatDetail = 'ocsf parquet';
  const layouts = new Map<string, VpcFlowLayout>();
  const versions = new Set<string>();
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Obj[];
    try {
      rows = (await parquetReadObjects({ file, metadata, compressors, rowStart, rowEnd })) as Obj[];
    } catch (e) {
      // A corrupt row group: each of its rows is rejected, the next group is still read.
      for (let rowNo = rowStart + 1; rowNo <= rowEnd; rowNo++) {
        ctx.reject({
          line: rowNo,
          reason: 'corrupt-parquet',
          message: `rows ${rowStart + 1}–${rowEnd} cannot be decoded: ${(e as Error).message}`,
        });
        if (ctx.full()) yield ctx.take();
      }
      rowStart = rowEnd;
      continue;
    }
    for (let i = 0; i < rows.length; i++) {
      const rowNo = rowStart + i + 1;
      const row = rows[i]!;
      try {
        if (vpc) vpcFlowObject(cleanParquetValue(row, new Map()) as Obj, rowNo, ctx, layouts);
        else ocsfRow(row, rowNo, ctx, versions);
      } catch (e) {
        ctx.rejectFor(e, rowNo, safeRow(row));
      }
      if (ctx.full()) yield ctx.take();
    }
    rowStart = rowEnd;
  }
  if (ocsf && versions.size > 0)
    ctx.formatDetail = `ocsf parquet ${[...versions].sort().join(', ')}`;
}

function ocsfRow(row: Obj, rowNo: number, ctx: ParseContext, versions: Set<string>): void {
  const fixes = new Map<string, number>();
  const clean = (cleanParquetValue(row, fixes) ?? {}) as Obj;
  for (const [k, n] of fixes) ctx.change(k, n);
  if (typeof clean.class_uid !== 'number') {
    ctx.reject({
      line: rowNo,
      reason: 'missing-class',
      field: 'class_uid',
      value: clean.class_uid,
      message: 'the row has no numeric class_uid',
      raw: safeRow(row),
    });
    return;
  }
  if (typeof clean.time !== 'number') {
    ctx.reject({
      line: rowNo,
      reason: 'missing-time',
      field: 'time',
      value: clean.time,
      message: 'the row has no numeric time',
      raw: safeRow(row),
    });
    return;
  }
  const metadata = (clean.metadata ?? {}) as Obj;
  clean.metadata = metadata;
  if (typeof metadata.version === 'string') versions.add(metadata.version);
  const { record, changes } = upgradeOcsfRecord(clean);
  for (const c of changes) ctx.change(c);
  record.metadata.uid ??= ctx.uid(rowNo);
  ctx.record(record, rowNo);
}

function safeRow(row: Obj): string {
  try {
    return JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
  } catch {
    return '[unprintable row]';
  }
}
