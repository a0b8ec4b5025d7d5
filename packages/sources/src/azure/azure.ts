import type { OcsfRecord } from '@lakewatch/shared';
import { isoTime, type ParseContext, RecordRejection } from '../context.js';
import { parseJsonRecords } from '../io/json-records.js';
import type { ParseBatch } from '../types.js';

type Obj = Record<string, unknown>;

/** Which Azure flow log a document is. */
export type AzureFlowKind = 'nsg' | 'vnet';

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The subscription id inside an Azure resource id (`/SUBSCRIPTIONS/<id>/…`). */
export function subscriptionOf(resourceId: unknown): string | undefined {
  if (typeof resourceId !== 'string') return undefined;
  return /\/subscriptions\/([^/]+)/i.exec(resourceId)?.[1]?.toLowerCase();
}

interface TupleContext {
  kind: AzureFlowKind;
  rule?: string;
  mac?: string;
  resourceId?: string;
  subscription?: string;
  version?: number;
  aclId?: string;
}

const PROTOCOL_LETTERS: Record<string, number> = { T: 6, U: 17 };

function int(v: string | undefined, field: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new RecordRejection(
      'bad-number',
      field,
      v,
      `${field} must be a whole number, got '${v}'`,
    );
  return n;
}

/**
 * Maps one flow tuple to OCSF Network Activity. NSG v2: `ts(s),src,dst,sport,dport,T|U,I|O,
 * A|D,B|C|E,pkts→,bytes→,pkts←,bytes←` (v1 stops after the decision); VNet:
 * `ts(ms),src,dst,sport,dport,proto#,I|O,B|C|E|D,encryption,pkts→,bytes→,pkts←,bytes←`.
 */
export function azureTupleRecord(
  tuple: string,
  t: TupleContext,
  ctx: ParseContext,
  uid: string,
): OcsfRecord {
  const f = tuple.split(',');
  const minimum = t.kind === 'nsg' ? 8 : 9;
  if (f.length < minimum)
    throw new RecordRejection(
      'field-count',
      'flowTuples',
      tuple,
      `a ${t.kind} flow tuple needs at least ${minimum} fields, got ${f.length}`,
    );
  const ts = int(f[0], 'timestamp');
  if (ts === undefined)
    throw new RecordRejection('bad-time', 'timestamp', f[0], 'the tuple has no timestamp');
  const time = t.kind === 'nsg' ? ts * 1000 : ts;
  const src: Obj = { ip: f[1] };
  const dst: Obj = { ip: f[2] };
  const sp = int(f[3], 'src_port');
  const dp = int(f[4], 'dst_port');
  if (sp !== undefined) src.port = sp;
  if (dp !== undefined) dst.port = dp;
  const protoRaw = f[5] ?? '';
  const protocolNum = t.kind === 'nsg' ? PROTOCOL_LETTERS[protoRaw] : int(protoRaw, 'protocol');
  const inbound = f[6] === 'I';
  if (f[6] !== 'I' && f[6] !== 'O')
    throw new RecordRejection(
      'bad-value',
      'direction',
      f[6],
      `direction must be I or O, got '${f[6]}'`,
    );
  if (t.mac) (inbound ? dst : src).mac = formatMac(t.mac);
  const state = t.kind === 'nsg' ? f[8] : f[7];
  const denied = t.kind === 'nsg' ? f[7] === 'D' : state === 'D';
  const [activityId, activityName] = denied
    ? [5, 'Refuse']
    : state === 'B'
      ? [1, 'Open']
      : state === 'E'
        ? [2, 'Close']
        : [6, 'Traffic'];
  const counts = t.kind === 'nsg' ? f.slice(9, 13) : f.slice(9, 13);
  const [po, bo, pi, bi] = counts.map((v, i) =>
    int(v, ['packets_out', 'bytes_out', 'packets_in', 'bytes_in'][i]!),
  );
  const cloud: Obj = { provider: 'Azure' };
  const account = t.subscription ?? ctx.options.cloud?.accountUid;
  if (account) cloud.account = { uid: account, type: 'Azure AD Account', type_id: 6 };
  if (ctx.options.cloud?.region) cloud.region = ctx.options.cloud.region;
  const connection: Obj = {
    direction_id: inbound ? 1 : 2,
    direction: inbound ? 'Inbound' : 'Outbound',
  };
  if (protocolNum !== undefined) connection.protocol_num = protocolNum;
  const record: OcsfRecord = {
    metadata: {
      uid,
      product: {
        name: 'Azure Network Watcher',
        vendor_name: 'Microsoft',
        feature: { name: t.kind === 'nsg' ? 'NSG Flow Logs' : 'VNet Flow Logs' },
        ...(t.version !== undefined ? { version: String(t.version) } : {}),
      },
      profiles: ['cloud', 'security_control', 'datetime'],
      version: '1.1.0',
    },
    cloud: cloud as OcsfRecord['cloud'],
    src_endpoint: src,
    dst_endpoint: dst,
    connection_info: connection,
    time,
    time_dt: isoTime(time, 'timestamp', f[0]),
    severity_id: 1,
    severity: 'Informational',
    class_uid: 4001,
    class_name: 'Network Activity',
    category_uid: 4,
    category_name: 'Network Activity',
    activity_id: activityId,
    activity_name: activityName,
    type_uid: 400100 + activityId,
    type_name: `Network Activity: ${activityName}`,
    action_id: denied ? 2 : 1,
    action: denied ? 'Denied' : 'Allowed',
    disposition_id: denied ? 2 : 1,
    disposition: denied ? 'Blocked' : 'Allowed',
  };
  if (t.rule) record.firewall_rule = { name: t.rule };
  const traffic: Record<string, number> = {};
  if (po !== undefined) traffic.packets_out = po;
  if (bo !== undefined) traffic.bytes_out = bo;
  if (pi !== undefined) traffic.packets_in = pi;
  if (bi !== undefined) traffic.bytes_in = bi;
  if (po !== undefined || pi !== undefined) traffic.packets = (po ?? 0) + (pi ?? 0);
  if (bo !== undefined || bi !== undefined) traffic.bytes = (bo ?? 0) + (bi ?? 0);
  if (Object.keys(traffic).length > 0) record.traffic = traffic;
  const unmapped: Obj = {};
  if (t.resourceId) unmapped.resource_id = t.resourceId;
  if (t.aclId) unmapped.acl_id = t.aclId;
  if (state) unmapped.flow_state = state;
  if (t.kind === 'vnet' && f[8]) unmapped.encryption = f[8];
  record.unmapped = unmapped;
  return record;
}

function formatMac(mac: string): string {
  return /^[0-9A-Fa-f]{12}$/.test(mac) ? mac.match(/../g)!.join(':').toUpperCase() : mac;
}

/**
 * Parses Azure NSG flow logs (v1/v2) or VNet flow logs: JSON documents `{records: […]}`
 * (as written to the storage account, one per hour and resource), each flow tuple one record.
 */
export function parseAzureFlow(
  input: AsyncIterable<Uint8Array>,
  ctx: ParseContext,
  kind: AzureFlowKind,
): AsyncGenerator<ParseBatch> {
  let ordinal = 0;
  return parseJsonRecords(input, ctx, (doc, line, raw) => {
    const records = Array.isArray(doc.records)
      ? doc.records
      : isObj(doc.properties) || isObj(doc.flowRecords)
        ? [doc]
        : undefined;
    if (!records) {
      ordinal++;
      ctx.reject({
        line,
        reason: 'bad-azure-flow',
        field: 'records',
        message: 'an Azure flow log document without a records array',
        raw,
      });
      return;
    }
    for (const r of records) {
      if (!isObj(r)) {
        ordinal++;
        ctx.reject({
          line: ordinal,
          reason: 'bad-azure-flow',
          message: 'a flow log record that is not an object',
          raw: JSON.stringify(r),
        });
        continue;
      }
      const resourceId = String(r.resourceId ?? r.targetResourceID ?? r.flowLogResourceID ?? '');
      const base: TupleContext = { kind, resourceId, subscription: subscriptionOf(resourceId) };
      if (typeof r.macAddress === 'string') base.mac = r.macAddress;
      const version =
        kind === 'nsg' ? (r.properties as Obj | undefined)?.Version : r.flowLogVersion;
      if (typeof version === 'number') base.version = version;
      const groups: { rule?: string; aclId?: string; mac?: string; tuples: unknown[] }[] = [];
      if (kind === 'nsg') {
        for (const rule of arr((r.properties as Obj | undefined)?.flows))
          for (const f of arr((rule as Obj).flows))
            groups.push({
              rule: String((rule as Obj).rule ?? ''),
              mac: (f as Obj).mac as string | undefined,
              tuples: arr((f as Obj).flowTuples),
            });
      } else {
        for (const acl of arr((r.flowRecords as Obj | undefined)?.flows))
          for (const g of arr((acl as Obj).flowGroups))
            groups.push({
              rule: String((g as Obj).rule ?? ''),
              aclId: (acl as Obj).aclID as string | undefined,
              tuples: arr((g as Obj).flowTuples),
            });
      }
      for (const g of groups) {
        const t: TupleContext = { ...base };
        if (g.rule) t.rule = g.rule;
        if (g.aclId) t.aclId = g.aclId;
        if (typeof g.mac === 'string') t.mac = g.mac;
        for (const tuple of g.tuples) {
          ordinal++;
          try {
            if (typeof tuple !== 'string')
              throw new RecordRejection(
                'bad-type',
                'flowTuples',
                tuple,
                'a flow tuple must be a string',
              );
            ctx.record(azureTupleRecord(tuple, t, ctx, ctx.uid(ordinal)), ordinal);
          } catch (e) {
            ctx.rejectFor(e, ordinal, typeof tuple === 'string' ? tuple : JSON.stringify(tuple));
          }
        }
      }
    }
  });
}
