import { parseCloudWatch } from './aws/cloudwatch.js';
import { route53Record } from './aws/route53.js';
import { parseVpcFlowText, vpcFlowLine, vpcFlowObject } from './aws/vpc-flow.js';
import {
  VPC_FLOW_DEFAULT_FORMAT,
  type VpcFlowLayout,
  vpcFlowLayout,
} from './aws/vpc-flow-fields.js';
import { parseAzureFlow } from './azure/azure.js';
import { ParseContext } from './context.js';
import { detectFormat } from './detect.js';
import { SourcesError, UnreadableInputError } from './errors.js';
import { gunzipStream, isGzip, isParquet, peek } from './io/bytes.js';
import { parseJsonRecords } from './io/json-records.js';
import { lineChunks } from './io/lines.js';
import { parseParquet } from './parquet/parquet.js';
import type { InputFormat, ParseBatch, ParseOptions, ParseResult, ParseSummary } from './types.js';
import { INPUT_FORMATS } from './types.js';
import { parseZeekJson, parseZeekTsv } from './zeek/zeek.js';
import { type ZeekEntry, zeekConnRecord, zeekDnsRecord } from './zeek/zeek-record.js';

const HEAD_BYTES = 65536;

/**
 * Parses one log object (a byte stream: S3 object, file, CloudWatch export) into batches of
 * OCSF 1.1.0 records and rejects. The format is detected from the content unless given;
 * gzip is undone by its magic bytes. Every input record ends as exactly one record or one
 * reject, so `summary().read === normalized + rejected`. Iterate once.
 *
 * Throws {@link UnreadableInputError} (while iterating) when the object cannot be read at all:
 * unknown format, corrupt compression at the start, unreadable Parquet footer.
 *
 * @example
 * const result = parseLogObject(createReadStream('flows.log.gz'), { sourceUri: 's3://b/k' });
 * for await (const { records, rejects } of result) lake.write(records, rejects);
 * result.summary(); // { format: 'aws-vpc-flow', read: 1000, normalized: 998, rejected: 2, … }
 */
export function parseLogObject(
  input: AsyncIterable<Uint8Array>,
  options: ParseOptions,
): ParseResult {
  if (options.format !== undefined && !INPUT_FORMATS.includes(options.format))
    throw new SourcesError(
      `unknown format '${options.format}'; expected one of ${INPUT_FORMATS.join(', ')}`,
    );
  let ctx: ParseContext | undefined;
  let started = false;
  const fallbackSummary = (): ParseSummary => ({
    format: options.format ?? 'aws-vpc-flow',
    read: 0,
    normalized: 0,
    rejected: 0,
    rejectedByReason: {},
  });
  async function* run(): AsyncGenerator<ParseBatch> {
    const raw = await peek(input, 4);
    let stream = raw.stream;
    let gz = false;
    if (isGzip(raw.head)) {
      gz = true;
      stream = gunzipStream(stream);
    }
    const peeked = await peek(stream, HEAD_BYTES);
    let format = options.format;
    let detail: string | undefined;
    if (isParquet(peeked.head)) detail = 'parquet';
    if (format === undefined) {
      try {
        const found = detectFormat(peeked.head, options.sourceUri);
        format = found.format;
        detail = found.detail;
      } catch (cause) {
        throw new UnreadableInputError(`${options.sourceUri}: ${(cause as Error).message}`, {
          cause,
        });
      }
    }
    ctx = new ParseContext(options, format);
    ctx.formatDetail =
      gz && !detail?.startsWith('gzip') ? `gzip${detail ? ` ${detail}` : ''}` : detail;
    try {
      yield* dispatch(format, peeked.stream, peeked.head, ctx);
    } catch (cause) {
      if (cause instanceof SourcesError) throw cause;
      const code = (cause as { code?: string }).code;
      if (
        code === 'Z_DATA_ERROR' ||
        code === 'Z_BUF_ERROR' ||
        code === 'ERR_STREAM_PREMATURE_CLOSE'
      ) {
        ctx.reject({
          line: ctx.summary().read + 1,
          reason: 'corrupt-compression',
          message: `the gzip stream is corrupt or truncated: ${(cause as Error).message}`,
        });
      } else throw cause;
    }
    if (ctx.pending()) yield ctx.take();
  }
  return {
    [Symbol.asyncIterator]() {
      if (started)
        throw new SourcesError(`${options.sourceUri}: a parse result can be iterated once`);
      started = true;
      return run();
    },
    summary: () => ctx?.summary() ?? fallbackSummary(),
  };
}

function dispatch(
  format: InputFormat,
  stream: AsyncIterable<Uint8Array>,
  head: Uint8Array,
  ctx: ParseContext,
): AsyncIterable<ParseBatch> {
  const layouts = new Map<string, VpcFlowLayout>();
  const firstChar = firstNonSpace(head);
  switch (format) {
    case 'aws-vpc-flow':
      if (isParquet(head)) return parseParquet(stream, ctx);
      if (firstChar === '{' || firstChar === '[')
        return parseJsonRecords(stream, ctx, (obj, line) => vpcFlowObject(obj, line, ctx, layouts));
      return parseVpcFlowText(lineChunks(stream), ctx);
    case 'aws-vpc-flow-cloudwatch': {
      const layout = vpcFlowLayout(ctx.options.vpcFlowFormat ?? VPC_FLOW_DEFAULT_FORMAT);
      return parseCloudWatch(stream, ctx, firstChar === 'H', (message, ordinal, owner) =>
        vpcFlowLine(message.trim(), ordinal, layout, ctx, ctx.uid(ordinal), owner),
      );
    }
    case 'aws-route53-resolver':
      if (isCloudWatch(head))
        return parseCloudWatch(stream, ctx, firstChar === 'H', (message, ordinal, owner) => {
          ctx.record(route53Record(JSON.parse(message), ctx, ctx.uid(ordinal), owner), ordinal);
        });
      return parseJsonRecords(stream, ctx, (obj, line) => {
        ctx.record(route53Record(obj, ctx, ctx.uid(line)), line);
      });
    case 'security-lake-parquet':
      return parseParquet(stream, ctx);
    case 'zeek-conn':
    case 'zeek-dns': {
      const mapper = format === 'zeek-conn' ? zeekConnRecord : zeekDnsRecord;
      const map = (entry: ZeekEntry, line: number) =>
        ctx.record(mapper(entry, ctx, ctx.uid(line)), line);
      return firstChar === '{' ? parseZeekJson(stream, ctx, map) : parseZeekTsv(stream, ctx, map);
    }
    case 'azure-nsg-flow':
      return parseAzureFlow(stream, ctx, 'nsg');
    case 'azure-vnet-flow':
      return parseAzureFlow(stream, ctx, 'vnet');
  }
}

function firstNonSpace(head: Uint8Array): string {
  for (const b of head)
    if (b !== 32 && b !== 9 && b !== 10 && b !== 13 && b !== 0xef && b !== 0xbb && b !== 0xbf)
      return String.fromCharCode(b);
  return '';
}

function isCloudWatch(head: Uint8Array): boolean {
  const text = Buffer.from(head.buffer, head.byteOffset, head.length).toString('utf8');
  return (
    text.trimStart().startsWith('H4sI') ||
    (text.includes('"logEvents"') && text.includes('"messageType"'))
  );
}
