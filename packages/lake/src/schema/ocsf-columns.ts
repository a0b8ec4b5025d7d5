import type { ClassSchema, StructFields } from './types.js';

// Column layouts follow the Parquet that Amazon Security Lake writes for source version 2.0
// (OCSF 1.1.0): nested STRUCT columns named as the OCSF attributes, so that SQL written for
// Security Lake's Athena tables (`src_endpoint.instance_uid`, `cloud.account.uid`, …) runs
// on the lake unchanged. A few OCSF attributes that Lakewatch's queries need and that
// Security Lake's samples leave out (metadata.uid, hostnames, actor.user) are added.

const METADATA: StructFields = {
  product: {
    struct: {
      version: 'VARCHAR',
      name: 'VARCHAR',
      feature: { struct: { name: 'VARCHAR' } },
      vendor_name: 'VARCHAR',
    },
  },
  profiles: 'VARCHAR[]',
  version: 'VARCHAR',
  uid: 'VARCHAR',
  log_name: 'VARCHAR',
  log_provider: 'VARCHAR',
  event_code: 'VARCHAR',
};

const CLOUD: StructFields = {
  account: { struct: { uid: 'VARCHAR', name: 'VARCHAR' } },
  region: 'VARCHAR',
  zone: 'VARCHAR',
  provider: 'VARCHAR',
};

const ENDPOINT: StructFields = {
  port: 'INTEGER',
  svc_name: 'VARCHAR',
  ip: 'VARCHAR',
  intermediate_ips: 'VARCHAR[]',
  interface_uid: 'VARCHAR',
  vpc_uid: 'VARCHAR',
  instance_uid: 'VARCHAR',
  subnet_uid: 'VARCHAR',
  hostname: 'VARCHAR',
  mac: 'VARCHAR',
  domain: 'VARCHAR',
};

const OBSERVABLES = {
  list: { name: 'VARCHAR', value: 'VARCHAR', type: 'VARCHAR', type_id: 'INTEGER' },
} as const;

const ACTOR = {
  struct: {
    user: { struct: { uid: 'VARCHAR', name: 'VARCHAR', type: 'VARCHAR', domain: 'VARCHAR' } },
  },
} as const;

/** Columns every class has (base event, cloud and datetime profiles). */
const BASE_HEAD: StructFields = { metadata: { struct: METADATA }, cloud: { struct: CLOUD } };
const BASE_TAIL: StructFields = {
  time: 'BIGINT',
  time_dt: 'DATETIME',
  start_time: 'BIGINT',
  start_time_dt: 'DATETIME',
  end_time: 'BIGINT',
  end_time_dt: 'DATETIME',
  status_code: 'VARCHAR',
  status: 'VARCHAR',
  status_id: 'INTEGER',
  status_detail: 'VARCHAR',
  message: 'VARCHAR',
  severity_id: 'INTEGER',
  severity: 'VARCHAR',
  class_name: 'VARCHAR',
  class_uid: 'INTEGER',
  category_name: 'VARCHAR',
  category_uid: 'INTEGER',
  activity_name: 'VARCHAR',
  activity_id: 'INTEGER',
  action: 'VARCHAR',
  action_id: 'INTEGER',
  disposition: 'VARCHAR',
  disposition_id: 'INTEGER',
  type_uid: 'BIGINT',
  type_name: 'VARCHAR',
  actor: ACTOR,
  unmapped: 'MAP',
  observables: OBSERVABLES,
};

/** OCSF 4001 Network Activity (VPC Flow Logs, Zeek conn, Azure flow logs). */
export const NETWORK_ACTIVITY_SCHEMA: ClassSchema = {
  classUid: 4001,
  table: 'network_activity',
  fields: {
    ...BASE_HEAD,
    src_endpoint: { struct: ENDPOINT },
    dst_endpoint: { struct: ENDPOINT },
    connection_info: {
      struct: {
        uid: 'VARCHAR',
        protocol_num: 'INTEGER',
        protocol_name: 'VARCHAR',
        tcp_flags: 'INTEGER',
        protocol_ver: 'VARCHAR',
        boundary_id: 'INTEGER',
        boundary: 'VARCHAR',
        direction_id: 'INTEGER',
        direction: 'VARCHAR',
      },
    },
    traffic: {
      struct: {
        packets: 'BIGINT',
        bytes: 'BIGINT',
        packets_in: 'BIGINT',
        packets_out: 'BIGINT',
        bytes_in: 'BIGINT',
        bytes_out: 'BIGINT',
      },
    },
    duration: 'BIGINT',
    ...BASE_TAIL,
  },
};

/** OCSF 4003 DNS Activity (Route 53 Resolver query logs, Zeek dns). */
export const DNS_ACTIVITY_SCHEMA: ClassSchema = {
  classUid: 4003,
  table: 'dns_activity',
  fields: {
    ...BASE_HEAD,
    src_endpoint: { struct: ENDPOINT },
    dst_endpoint: { struct: ENDPOINT },
    query: {
      struct: { hostname: 'VARCHAR', type: 'VARCHAR', class: 'VARCHAR', packet_uid: 'INTEGER' },
    },
    answers: { list: { type: 'VARCHAR', rdata: 'VARCHAR', class: 'VARCHAR', ttl: 'INTEGER' } },
    connection_info: {
      struct: {
        protocol_name: 'VARCHAR',
        protocol_num: 'INTEGER',
        direction: 'VARCHAR',
        direction_id: 'INTEGER',
      },
    },
    firewall_rule: { struct: { uid: 'VARCHAR', name: 'VARCHAR' } },
    rcode_id: 'INTEGER',
    rcode: 'VARCHAR',
    ...BASE_TAIL,
  },
};

/** OCSF 2004 Detection Finding (what Lakewatch itself reports). */
export const DETECTION_FINDING_SCHEMA: ClassSchema = {
  classUid: 2004,
  table: 'detection_finding',
  fields: {
    ...BASE_HEAD,
    finding_info: {
      struct: {
        uid: 'VARCHAR',
        title: 'VARCHAR',
        desc: 'VARCHAR',
        types: 'VARCHAR[]',
        created_time: 'BIGINT',
        first_seen_time: 'BIGINT',
        last_seen_time: 'BIGINT',
      },
    },
    src_endpoint: { struct: ENDPOINT },
    dst_endpoint: { struct: ENDPOINT },
    resources: { list: { uid: 'VARCHAR', type: 'VARCHAR', name: 'VARCHAR' } },
    confidence_score: 'INTEGER',
    risk_score: 'INTEGER',
    risk_level: 'VARCHAR',
    risk_level_id: 'INTEGER',
    ...BASE_TAIL,
  },
};

/** Columns for any other OCSF class: the base event with the cloud and datetime profiles. */
export const GENERIC_SCHEMA: ClassSchema = {
  classUid: 0,
  table: 'ocsf_events',
  fields: {
    ...BASE_HEAD,
    src_endpoint: { struct: ENDPOINT },
    dst_endpoint: { struct: ENDPOINT },
    ...BASE_TAIL,
  },
};

const BY_CLASS = new Map<number, ClassSchema>(
  [NETWORK_ACTIVITY_SCHEMA, DNS_ACTIVITY_SCHEMA, DETECTION_FINDING_SCHEMA].map((s) => [
    s.classUid,
    s,
  ]),
);

/** The lake schema of OCSF class `classUid` (the generic one when it has none of its own). */
export function classSchema(classUid: number): ClassSchema {
  return BY_CLASS.get(classUid) ?? GENERIC_SCHEMA;
}

/** Table name of a class in the lake catalog: `network_activity`, …, else `class_<uid>`. */
export function classTable(classUid: number): string {
  return BY_CLASS.get(classUid)?.table ?? `class_${classUid}`;
}
