/**
 * The VPC Flow Logs fields (versions 2–8) in the order AWS documents them, with `_` in place
 * of `-` (the form the Parquet and JSON deliveries use).
 */
export const VPC_FLOW_FIELDS = [
  'version',
  'account_id',
  'interface_id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log_status',
  'vpc_id',
  'subnet_id',
  'instance_id',
  'tcp_flags',
  'type',
  'pkt_srcaddr',
  'pkt_dstaddr',
  'region',
  'az_id',
  'sublocation_type',
  'sublocation_id',
  'pkt_src_aws_service',
  'pkt_dst_aws_service',
  'flow_direction',
  'traffic_path',
  'ecs_cluster_arn',
  'ecs_cluster_name',
  'ecs_container_instance_arn',
  'ecs_container_instance_id',
  'ecs_container_id',
  'ecs_second_container_id',
  'ecs_service_name',
  'ecs_task_definition_arn',
  'ecs_task_arn',
  'ecs_task_id',
  'reject_reason',
] as const;

/** A VPC Flow Logs field name. */
export type VpcFlowField = (typeof VPC_FLOW_FIELDS)[number];

/** The default (version 2) format. */
export const VPC_FLOW_DEFAULT_FORMAT =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

const KNOWN = new Set<string>(VPC_FLOW_FIELDS);

/** Field position → index into {@link VPC_FLOW_FIELDS} for one header / format string. */
export interface VpcFlowLayout {
  /** For each known field, its column in the line, or -1. */
  column: Int16Array;
  /** Number of columns a line must have. */
  width: number;
  /** Columns whose names are not VPC Flow Logs fields (kept under `unmapped`). */
  extra: { column: number; name: string }[];
  /** The names as given, normalized to `_`. */
  names: string[];
}

/** Normalizes a field name: `${pkt-srcaddr}`, `pkt-srcaddr` or `pkt_srcaddr` → `pkt_srcaddr`. */
export function normalizeFieldName(name: string): string {
  let n = name.trim();
  if (n.startsWith('${') && n.endsWith('}')) n = n.slice(2, -1);
  return n.replaceAll('-', '_').toLowerCase();
}

/** Builds a layout from a header line or format string (space separated field names). */
export function vpcFlowLayout(format: string): VpcFlowLayout {
  const names = format
    .trim()
    .split(' ')
    .filter((s) => s.length > 0)
    .map(normalizeFieldName);
  return layoutFromNames(names);
}

/** Builds a layout from already normalized names. */
export function layoutFromNames(names: string[]): VpcFlowLayout {
  const column = new Int16Array(VPC_FLOW_FIELDS.length).fill(-1);
  const extra: { column: number; name: string }[] = [];
  names.forEach((name, i) => {
    const k = VPC_FLOW_FIELDS.indexOf(name as VpcFlowField);
    if (k >= 0) column[k] = i;
    else extra.push({ column: i, name });
  });
  return { column, width: names.length, extra, names };
}

/** True when `line` looks like a header: every token a known field name and `start` among them. */
export function isVpcFlowHeader(line: string): boolean {
  const tokens = line.trim().split(' ');
  let known = 0;
  for (const t of tokens) if (KNOWN.has(normalizeFieldName(t))) known++;
  return known >= 3 && known >= tokens.length / 2 && /[a-z]/i.test(tokens[0] ?? '');
}

/** Index constants into {@link VPC_FLOW_FIELDS}. */
export const F = Object.fromEntries(VPC_FLOW_FIELDS.map((f, i) => [f, i])) as Record<
  VpcFlowField,
  number
>;
