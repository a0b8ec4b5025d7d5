import { constants, gunzipSync } from 'node:zlib';
import { isVpcFlowHeader } from './aws/vpc-flow-fields.js';
import { SourcesError } from './errors.js';
import { isGzip, isParquet } from './io/bytes.js';
import type { InputFormat } from './types.js';

/** A detected format and what about it was seen (`gzip`, `header`, `json`, `cloudwatch`…). */
export interface DetectedFormat {
  format: InputFormat;
  detail?: string;
}

/** Thrown when the content matches no known format. */
export class UnknownFormatError extends SourcesError {
  override name = 'UnknownFormatError';
}

const VPC_LINE = /^\d+ (\d{12}|-|unknown) \S+ \S+ \S+/;

/**
 * Detects the input format from the first bytes of an object (64 KiB is plenty; gzip is
 * looked into), with the object name as a tie-breaker. Throws {@link UnknownFormatError}
 * naming what was seen when nothing matches.
 */
export function detectFormat(head: Uint8Array, name?: string): DetectedFormat {
  if (isParquet(head)) return { format: 'security-lake-parquet', detail: 'parquet' };
  if (isGzip(head)) {
    let inner: Buffer;
    try {
      inner = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch (cause) {
      throw new UnknownFormatError(
        `the gzip data at the start is corrupt: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
    const found = detectFormat(inner, name?.replace(/\.gz$/, ''));
    return { format: found.format, detail: found.detail ? `gzip ${found.detail}` : 'gzip' };
  }
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 65536))
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('H4sI')) {
    const line = trimmed.split(/\s/, 1)[0] ?? '';
    try {
      const inner = gunzipSync(Buffer.from(line, 'base64'), {
        finishFlush: constants.Z_SYNC_FLUSH,
      });
      const found = detectFormat(inner, name);
      return { format: found.format, detail: `base64 ${found.detail ?? ''}`.trim() };
    } catch {
      // not base64 gzip after all; fall through
    }
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return detectJson(trimmed, name);
  if (trimmed.startsWith('#separator') || trimmed.startsWith('#fields')) {
    const path = /^#path\t(\S+)/m.exec(trimmed)?.[1];
    if (path === 'conn') return { format: 'zeek-conn', detail: 'tsv' };
    if (path === 'dns') return { format: 'zeek-dns', detail: 'tsv' };
    const fields = /^#fields\t(.*)$/m.exec(trimmed)?.[1] ?? '';
    if (fields.includes('qtype')) return { format: 'zeek-dns', detail: 'tsv' };
    if (fields.includes('conn_state') || fields.includes('orig_bytes'))
      return { format: 'zeek-conn', detail: 'tsv' };
    throw new UnknownFormatError(
      `a Zeek log, but neither conn nor dns (#path ${path ?? 'absent'})`,
    );
  }
  const first = trimmed.split('\n', 1)[0] ?? '';
  if (isVpcFlowHeader(first)) return { format: 'aws-vpc-flow', detail: 'header' };
  if (VPC_LINE.test(first)) return { format: 'aws-vpc-flow', detail: 'no header' };
  const byName = fromName(name);
  if (byName) return { format: byName, detail: 'by name' };
  throw new UnknownFormatError(
    `unknown input format${name ? ` for ${name}` : ''}: starts with '${first.slice(0, 80)}'`,
  );
}

function detectJson(text: string, name: string | undefined): DetectedFormat {
  const has = (key: string) => text.includes(`"${key}"`);
  if (has('logEvents') && has('messageType')) {
    const message = /"message"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
    if (message !== undefined) {
      const m = message.trimStart();
      if (m.startsWith('{') && m.includes('query_name'))
        return { format: 'aws-route53-resolver', detail: 'cloudwatch' };
      return { format: 'aws-vpc-flow-cloudwatch', detail: 'cloudwatch' };
    }
    if (name && /route ?53|resolver/i.test(name))
      return { format: 'aws-route53-resolver', detail: 'cloudwatch' };
    return { format: 'aws-vpc-flow-cloudwatch', detail: 'cloudwatch' };
  }
  if (has('query_name') && has('query_timestamp'))
    return { format: 'aws-route53-resolver', detail: 'json' };
  if (has('flowRecords') || has('flowLogVersion'))
    return { format: 'azure-vnet-flow', detail: 'json' };
  if (has('NetworkSecurityGroupFlowEvent') || (has('records') && has('flowTuples')))
    return { format: 'azure-nsg-flow', detail: 'json' };
  if (has('id.orig_h') || has('id.resp_h')) {
    if (has('qtype') || has('query') || has('rcode')) return { format: 'zeek-dns', detail: 'json' };
    return { format: 'zeek-conn', detail: 'json' };
  }
  if (has('interface_id') || (has('srcaddr') && has('log_status')))
    return { format: 'aws-vpc-flow', detail: 'json' };
  const byName = fromName(name);
  if (byName) return { format: byName, detail: 'json, by name' };
  throw new UnknownFormatError(
    `unknown JSON input${name ? ` ${name}` : ''}: starts with '${text.slice(0, 80)}'`,
  );
}

function fromName(name: string | undefined): InputFormat | undefined {
  if (!name) return undefined;
  const n = name.toLowerCase();
  if (n.endsWith('.parquet')) return 'security-lake-parquet';
  if (/vpc.?flow/.test(n)) return 'aws-vpc-flow';
  if (/route.?53|resolver/.test(n)) return 'aws-route53-resolver';
  if (/(^|\/)conn[.\w]*\.log/.test(n)) return 'zeek-conn';
  if (/(^|\/)dns[.\w]*\.log/.test(n)) return 'zeek-dns';
  if (/networksecuritygroup|nsg/.test(n)) return 'azure-nsg-flow';
  if (/flowlogflowevent|vnet/.test(n)) return 'azure-vnet-flow';
  return undefined;
}
