import type { OcsfRecord } from '@lakewatch/shared';
import { isoTime, type ParseContext, RecordRejection } from '../context.js';
import type { FieldSource } from './fields.js';
import { F, VPC_FLOW_FIELDS, type VpcFlowLayout } from './vpc-flow-fields.js';

const PROFILES = ['cloud', 'security_control', 'datetime'];
const CLASS_NAME = 'Network Activity';

function col(parts: FieldSource, layout: VpcFlowLayout, field: number): string | undefined {
  const c = layout.column[field]!;
  return c < 0 ? undefined : parts.text(c);
}

/** {@link col} for low-cardinality fields, interned so records share the strings. */
function low(
  parts: FieldSource,
  layout: VpcFlowLayout,
  field: number,
  ctx: ParseContext,
): string | undefined {
  const c = layout.column[field]!;
  return c < 0 ? undefined : ctx.intern(parts.text(c));
}

function int(parts: FieldSource, layout: VpcFlowLayout, field: number, name: string) {
  const c = layout.column[field]!;
  if (c < 0 || parts.none(c)) return undefined;
  const n = parts.uint(c);
  if (Number.isNaN(n)) {
    const v = parts.text(c);
    throw new RecordRejection(
      'bad-number',
      name,
      v,
      `field ${c + 1} '${name}' is not a whole number: '${v}'`,
    );
  }
  return n;
}

function ip(v: string | undefined, name: string): string | undefined {
  if (v === undefined || v === '-') return v;
  if (v.length > 45 || (v.indexOf('.') < 0 && v.indexOf(':') < 0))
    throw new RecordRejection('bad-ip', name, v, `${name} is not an IP address: '${v}'`);
  return v;
}

const PRODUCTS = new Map<string | undefined, OcsfRecord['metadata']['product']>();

/** The `metadata.product` of a flow log version, shared between records (treat as read-only). */
function product(version: string | undefined): OcsfRecord['metadata']['product'] {
  let p = PRODUCTS.get(version);
  if (p === undefined) {
    p = { name: 'Amazon VPC', vendor_name: 'AWS', feature: { name: 'Flowlogs' } };
    if (version !== undefined) p.version = version;
    if (PRODUCTS.size < 64) PRODUCTS.set(version, p);
  }
  return p;
}

const ACTIVITY_NAMES: Record<number, string> = { 0: 'Unknown', 5: 'Refuse', 6: 'Traffic' };
const TYPE_NAMES: Record<number, string> = {
  0: `${CLASS_NAME}: Unknown`,
  5: `${CLASS_NAME}: Refuse`,
  6: `${CLASS_NAME}: Traffic`,
};

/** AWS traffic-path → OCSF boundary (id, name). */
const BOUNDARY: Record<string, [number, string]> = {
  '1': [4, 'Same VPC'],
  '2': [5, 'Internet/VPC Gateway'],
  '3': [6, 'Virtual Private Gateway'],
  '4': [7, 'Intra-region VPC'],
  '5': [8, 'Inter-region VPC'],
  '6': [99, 'Local Gateway'],
  '7': [5, 'Internet/VPC Gateway'],
  '8': [5, 'Internet/VPC Gateway'],
};

/**
 * Maps one VPC flow record (its columns as strings, `-` for none) to OCSF Network Activity
 * as Amazon Security Lake does. Throws {@link RecordRejection} for a bad field.
 */
export function vpcFlowRecord(
  parts: FieldSource,
  layout: VpcFlowLayout,
  ctx: ParseContext,
  uid: string,
  accountFallback?: string,
): OcsfRecord {
  const start = int(parts, layout, F.start, 'start');
  const end = int(parts, layout, F.end, 'end');
  const startMs = start === undefined ? undefined : start * 1000;
  const endMs = end === undefined ? undefined : end * 1000;
  const time = startMs ?? endMs;
  if (time === undefined)
    throw new RecordRejection(
      'missing-time',
      'start',
      col(parts, layout, F.start) ?? '',
      'the record has neither a start nor an end time',
    );
  const version = col(parts, layout, F.version);
  if (version !== undefined && version !== '-' && !(Number(version) >= 2))
    throw new RecordRejection('bad-version', 'version', version, `unknown version '${version}'`);
  const srcport = int(parts, layout, F.srcport, 'srcport');
  const dstport = int(parts, layout, F.dstport, 'dstport');
  const protocol = int(parts, layout, F.protocol, 'protocol');
  const packets = int(parts, layout, F.packets, 'packets');
  const bytes = int(parts, layout, F.bytes, 'bytes');
  const tcpFlags = int(parts, layout, F.tcp_flags, 'tcp-flags');
  const srcaddr = ip(col(parts, layout, F.srcaddr), 'srcaddr');
  const dstaddr = ip(col(parts, layout, F.dstaddr), 'dstaddr');
  const pktSrc = ip(col(parts, layout, F.pkt_srcaddr), 'pkt-srcaddr');
  const pktDst = ip(col(parts, layout, F.pkt_dstaddr), 'pkt-dstaddr');

  const src: Record<string, unknown> = {};
  const dst: Record<string, unknown> = {};
  if (srcport !== undefined) src.port = srcport;
  if (dstport !== undefined) dst.port = dstport;
  const srcSvc = low(parts, layout, F.pkt_src_aws_service, ctx);
  const dstSvc = low(parts, layout, F.pkt_dst_aws_service, ctx);
  if (srcSvc !== undefined) src.svc_name = srcSvc;
  if (dstSvc !== undefined) dst.svc_name = dstSvc;
  endpointIp(src, pktSrc, srcaddr);
  endpointIp(dst, pktDst, dstaddr);

  const flowDirection = col(parts, layout, F.flow_direction);
  const side = flowDirection === 'ingress' ? dst : src;
  const iface = low(parts, layout, F.interface_id, ctx);
  const vpc = low(parts, layout, F.vpc_id, ctx);
  const instance = low(parts, layout, F.instance_id, ctx);
  const subnet = low(parts, layout, F.subnet_id, ctx);
  if (iface !== undefined) side.interface_uid = iface;
  if (vpc !== undefined) side.vpc_uid = vpc;
  if (instance !== undefined) side.instance_uid = instance;
  if (subnet !== undefined) side.subnet_uid = subnet;

  const type = low(parts, layout, F.type, ctx);
  const path = col(parts, layout, F.traffic_path);
  const connection = ctx.shared(`c${protocol}|${tcpFlags}|${type}|${path}|${flowDirection}`, () =>
    connectionInfo(protocol, tcpFlags, type, path, flowDirection),
  );

  const action = col(parts, layout, F.action);
  let activityId: number;
  let actionId: number;
  let actionName: string;
  let dispositionId: number;
  let disposition: string;
  if (action === 'ACCEPT') {
    activityId = 6;
    actionId = 1;
    actionName = 'Allowed';
    dispositionId = 1;
    disposition = 'Allowed';
  } else if (action === 'REJECT') {
    activityId = 5;
    actionId = 2;
    actionName = 'Denied';
    dispositionId = 2;
    disposition = 'Blocked';
  } else if (action === undefined) {
    activityId = 0;
    actionId = 0;
    actionName = 'Unknown';
    dispositionId = 0;
    disposition = 'Unknown';
  } else {
    activityId = 0;
    actionId = 99;
    actionName = ctx.intern(action);
    dispositionId = 99;
    disposition = actionName;
  }
  const activityName = ACTIVITY_NAMES[activityId]!;

  const account =
    col(parts, layout, F.account_id) ?? accountFallback ?? ctx.options.cloud?.accountUid;
  const region = col(parts, layout, F.region) ?? ctx.options.cloud?.region;
  const zone = col(parts, layout, F.az_id);
  const cloud = ctx.shared(`a${account}|${region}|${zone}`, () => {
    const c: Record<string, unknown> = { provider: 'AWS' };
    if (account !== undefined) c.account = { uid: account };
    if (region !== undefined) c.region = region;
    if (zone !== undefined) c.zone = zone;
    return c;
  });

  const record: OcsfRecord = {
    metadata: {
      uid,
      product: product(version),
      profiles: PROFILES,
      version: '1.1.0',
    },
    cloud: cloud as OcsfRecord['cloud'],
    src_endpoint: src,
    dst_endpoint: dst,
    connection_info: connection,
    time,
    time_dt: isoTime(time, startMs === undefined ? 'end' : 'start'),
    severity_id: 1,
    severity: 'Informational',
    class_name: CLASS_NAME,
    class_uid: 4001,
    category_name: 'Network Activity',
    category_uid: 4,
    activity_id: activityId,
    activity_name: activityName,
    type_uid: 400100 + activityId,
    type_name: TYPE_NAMES[activityId]!,
    action_id: actionId,
    action: actionName,
    disposition_id: dispositionId,
    disposition,
  };
  if (startMs !== undefined) {
    record.start_time = startMs;
    record.start_time_dt = isoTime(startMs, 'start');
  }
  if (endMs !== undefined) {
    record.end_time = endMs;
    record.end_time_dt = isoTime(endMs, 'end');
  }
  if (packets !== undefined || bytes !== undefined) {
    const traffic: Record<string, number> = {};
    if (packets !== undefined) traffic.packets = packets;
    if (bytes !== undefined) traffic.bytes = bytes;
    record.traffic = traffic;
  }
  const status = low(parts, layout, F.log_status, ctx);
  if (status !== undefined) record.status_code = status;
  const unmapped = unmappedFields(parts, layout, ctx);
  if (unmapped !== undefined) record.unmapped = unmapped;
  return record;
}

function connectionInfo(
  protocol: number | undefined,
  tcpFlags: number | undefined,
  type: string | undefined,
  path: string | undefined,
  flowDirection: string | undefined,
): Record<string, unknown> {
  const connection: Record<string, unknown> = {};
  if (protocol !== undefined) connection.protocol_num = protocol;
  if (tcpFlags !== undefined) connection.tcp_flags = tcpFlags;
  if (type !== undefined) connection.protocol_ver = type;
  if (path === undefined) {
    // As Security Lake: no traffic-path → Other, without a name.
    connection.boundary_id = 99;
  } else {
    const b = BOUNDARY[path];
    connection.boundary_id = b ? b[0] : 99;
    connection.boundary = b ? b[1] : path;
  }
  if (flowDirection === 'ingress') {
    connection.direction_id = 1;
    connection.direction = 'Inbound';
  } else if (flowDirection === 'egress') {
    connection.direction_id = 2;
    connection.direction = 'Outbound';
  } else if (flowDirection === undefined) {
    connection.direction_id = 0;
    connection.direction = 'Unknown';
  } else {
    connection.direction_id = 99;
    connection.direction = flowDirection;
  }
  return connection;
}

function endpointIp(
  endpoint: Record<string, unknown>,
  pkt: string | undefined,
  addr: string | undefined,
): void {
  if (pkt !== undefined && pkt !== '-') {
    endpoint.ip = pkt;
    if (addr !== undefined && addr !== '-' && addr !== pkt) endpoint.intermediate_ips = [addr];
  } else if (addr !== undefined) endpoint.ip = addr;
  else if (pkt !== undefined) endpoint.ip = pkt;
}

const UNMAPPED_FIELDS = [
  F.sublocation_type,
  F.sublocation_id,
  F.ecs_cluster_arn,
  F.ecs_cluster_name,
  F.ecs_container_instance_arn,
  F.ecs_container_instance_id,
  F.ecs_container_id,
  F.ecs_second_container_id,
  F.ecs_service_name,
  F.ecs_task_definition_arn,
  F.ecs_task_arn,
  F.ecs_task_id,
  F.reject_reason,
];

function unmappedFields(
  parts: FieldSource,
  layout: VpcFlowLayout,
  ctx: ParseContext,
): Record<string, string> | undefined {
  let key = 'u';
  let any = false;
  for (const f of UNMAPPED_FIELDS) {
    const c = layout.column[f]!;
    if (c >= 0) {
      key += `${f}=${parts.text(c)}\u0001`;
      any = true;
    }
  }
  for (const e of layout.extra) {
    key += `${e.name}=${parts.text(e.column)}\u0001`;
    any = true;
  }
  if (!any) return undefined;
  return ctx.shared(key, () => {
    const out: Record<string, string> = {};
    for (const f of UNMAPPED_FIELDS) {
      const c = layout.column[f]!;
      if (c >= 0) out[NAMES[f]!] = parts.text(c);
    }
    for (const e of layout.extra) out[e.name] = parts.text(e.column);
    return out;
  });
}

const NAMES: readonly string[] = VPC_FLOW_FIELDS;
