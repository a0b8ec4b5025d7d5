import type { OcsfRecord } from '@lakewatch/shared';
import { DNS_RCODES } from '../aws/route53.js';
import { isoTime, type ParseContext, RecordRejection } from '../context.js';

/** A Zeek log entry: field → value (TSV gives strings/lists, JSON gives typed values). */
export type ZeekEntry = Record<string, unknown>;

const PROTOCOLS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, icmp6: 58, sctp: 132 };

function str(e: ZeekEntry, k: string): string | undefined {
  const v = e[k];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : String(v);
}

function num(e: ZeekEntry, k: string): number | undefined {
  const v = e[k];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n))
    throw new RecordRejection('bad-number', k, v, `${k} must be a number, got '${String(v)}'`);
  return n;
}

function port(e: ZeekEntry, k: string): number | undefined {
  const n = num(e, k);
  if (n !== undefined && (!Number.isInteger(n) || n < 0 || n > 65535))
    throw new RecordRejection('bad-number', k, n, `${k} is not a port number: ${n}`);
  return n;
}

function list(e: ZeekEntry, k: string): unknown[] | undefined {
  const v = e[k];
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v : [v];
}

function bool(e: ZeekEntry, k: string): boolean | undefined {
  const v = e[k];
  if (v === undefined || v === null) return undefined;
  return v === true || v === 'T' || v === 'true';
}

/** Zeek `ts`: epoch seconds (number or numeric string) or an ISO 8601 string → ms. */
function time(e: ZeekEntry): number {
  const v = e.ts;
  let ms = Number.NaN;
  if (typeof v === 'number') ms = v * 1000;
  else if (typeof v === 'string') ms = /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
  if (!Number.isFinite(ms))
    throw new RecordRejection('bad-time', 'ts', v, `ts is not a time: '${String(v)}'`);
  return Math.floor(ms);
}

function endpoints(e: ZeekEntry): [Record<string, unknown>, Record<string, unknown>] {
  const src: Record<string, unknown> = {};
  const dst: Record<string, unknown> = {};
  const srcIp = str(e, 'id.orig_h');
  const dstIp = str(e, 'id.resp_h');
  if (srcIp === undefined || dstIp === undefined)
    throw new RecordRejection(
      'missing-field',
      srcIp === undefined ? 'id.orig_h' : 'id.resp_h',
      undefined,
      'the entry lacks the connection 4-tuple (id.orig_h / id.resp_h)',
    );
  src.ip = srcIp;
  dst.ip = dstIp;
  const sp = port(e, 'id.orig_p');
  const dp = port(e, 'id.resp_p');
  if (sp !== undefined) src.port = sp;
  if (dp !== undefined) dst.port = dp;
  return [src, dst];
}

function base(
  e: ZeekEntry,
  ctx: ParseContext,
  uid: string,
  feature: string,
  classUid: number,
  className: string,
): OcsfRecord {
  const t = time(e);
  const cloud = ctx.options.cloud;
  const record: OcsfRecord = {
    metadata: {
      uid,
      product: { name: 'Zeek', vendor_name: 'Zeek', feature: { name: feature } },
      profiles: cloud ? ['cloud', 'datetime'] : ['datetime'],
      version: '1.1.0',
    },
    time: t,
    time_dt: isoTime(t, 'ts', e.ts),
    severity_id: 1,
    severity: 'Informational',
    class_uid: classUid,
    class_name: className,
    category_uid: 4,
    category_name: 'Network Activity',
    activity_id: 0,
    type_uid: classUid * 100,
  };
  const zeekUid = str(e, 'uid');
  if (zeekUid !== undefined) record.metadata.correlation_uid = zeekUid;
  if (cloud) {
    record.cloud = { provider: 'Other' };
    if (cloud.accountUid) record.cloud.account = { uid: cloud.accountUid };
    if (cloud.region) record.cloud.region = cloud.region;
  }
  return record;
}

function activity(record: OcsfRecord, id: number, name: string): void {
  record.activity_id = id;
  record.activity_name = name;
  record.type_uid = record.class_uid * 100 + id;
  record.type_name = `${String(record.class_name)}: ${name}`;
}

function protocol(e: ZeekEntry, connection: Record<string, unknown>): void {
  const proto = str(e, 'proto');
  if (proto === undefined) return;
  connection.protocol_name = proto;
  const n = PROTOCOLS[proto.toLowerCase()];
  if (n !== undefined) connection.protocol_num = n;
}

function unmapped(e: ZeekEntry, known: ReadonlySet<string>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(e)) {
    if (known.has(k) || v === undefined || v === null) continue;
    out ??= {};
    out[k] = v;
  }
  return out;
}

const CONN_KNOWN = new Set([
  'ts',
  'uid',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'proto',
  'service',
  'duration',
  'orig_bytes',
  'resp_bytes',
  'conn_state',
  'local_orig',
  'local_resp',
  'orig_pkts',
  'resp_pkts',
]);

/** Maps a Zeek conn.log entry to OCSF Network Activity (4001). */
export function zeekConnRecord(e: ZeekEntry, ctx: ParseContext, uid: string): OcsfRecord {
  const record = base(e, ctx, uid, 'conn', 4001, 'Network Activity');
  const [src, dst] = endpoints(e);
  const service = str(e, 'service');
  if (service !== undefined) dst.svc_name = service;
  record.src_endpoint = src;
  record.dst_endpoint = dst;
  const connection: Record<string, unknown> = {};
  const zeekUid = str(e, 'uid');
  if (zeekUid !== undefined) connection.uid = zeekUid;
  protocol(e, connection);
  const lo = bool(e, 'local_orig');
  const lr = bool(e, 'local_resp');
  const [directionId, direction] =
    lo === true && lr === false
      ? [2, 'Outbound']
      : lo === false && lr === true
        ? [1, 'Inbound']
        : lo === true && lr === true
          ? [3, 'Lateral']
          : [0, 'Unknown'];
  connection.direction_id = directionId;
  connection.direction = direction;
  record.connection_info = connection;
  const state = str(e, 'conn_state');
  if (state === 'REJ') activity(record, 5, 'Refuse');
  else if (state?.startsWith('RST')) activity(record, 3, 'Reset');
  else activity(record, 6, 'Traffic');
  if (state !== undefined) record.status_code = state;
  const traffic: Record<string, number> = {};
  const ob = num(e, 'orig_bytes');
  const rb = num(e, 'resp_bytes');
  const op = num(e, 'orig_pkts');
  const rp = num(e, 'resp_pkts');
  if (ob !== undefined) traffic.bytes_out = ob;
  if (rb !== undefined) traffic.bytes_in = rb;
  if (ob !== undefined || rb !== undefined) traffic.bytes = (ob ?? 0) + (rb ?? 0);
  if (op !== undefined) traffic.packets_out = op;
  if (rp !== undefined) traffic.packets_in = rp;
  if (op !== undefined || rp !== undefined) traffic.packets = (op ?? 0) + (rp ?? 0);
  if (Object.keys(traffic).length > 0) record.traffic = traffic;
  record.start_time = record.time;
  const duration = num(e, 'duration');
  if (duration !== undefined) {
    const ms = Math.round(duration * 1000);
    record.duration = ms;
    record.end_time = record.time + ms;
  }
  const extra = unmapped(e, CONN_KNOWN);
  if (extra) record.unmapped = extra;
  return record;
}

const DNS_KNOWN = new Set([
  'ts',
  'uid',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'proto',
  'trans_id',
  'query',
  'qclass_name',
  'qtype_name',
  'rcode',
  'rcode_name',
  'answers',
  'TTLs',
]);

/** Maps a Zeek dns.log entry to OCSF DNS Activity (4003): Response when it has an rcode. */
export function zeekDnsRecord(e: ZeekEntry, ctx: ParseContext, uid: string): OcsfRecord {
  const record = base(e, ctx, uid, 'dns', 4003, 'DNS Activity');
  const [src, dst] = endpoints(e);
  record.src_endpoint = src;
  record.dst_endpoint = dst;
  const connection: Record<string, unknown> = { direction_id: 0, direction: 'Unknown' };
  protocol(e, connection);
  record.connection_info = connection;
  const query: Record<string, unknown> = {};
  const hostname = str(e, 'query');
  if (hostname !== undefined) query.hostname = hostname;
  const qtype = str(e, 'qtype_name');
  if (qtype !== undefined) query.type = qtype;
  const qclass = str(e, 'qclass_name');
  if (qclass !== undefined) query.class = qclass;
  const trans = num(e, 'trans_id');
  if (trans !== undefined) query.packet_uid = trans;
  if (Object.keys(query).length > 0) record.query = query;
  const rcodeName = str(e, 'rcode_name');
  const rcode = num(e, 'rcode');
  if (rcodeName !== undefined || rcode !== undefined) {
    const rc = rcodeName ? DNS_RCODES[rcodeName.toUpperCase()] : undefined;
    record.rcode_id = rc ? rc[0] : (rcode ?? 99);
    record.rcode = rc ? rc[1] : (rcodeName ?? String(rcode));
    activity(record, 2, 'Response');
  } else activity(record, 1, 'Query');
  const answers = list(e, 'answers');
  if (answers && answers.length > 0) {
    const ttls = list(e, 'TTLs') ?? [];
    record.answers = answers.map((a, i) => {
      const out: Record<string, unknown> = { rdata: String(a) };
      const ttl = Number(ttls[i]);
      if (ttls[i] !== undefined && Number.isFinite(ttl)) out.ttl = Math.round(ttl);
      return out;
    });
  }
  const extra = unmapped(e, DNS_KNOWN);
  if (extra) record.unmapped = extra;
  return record;
}
