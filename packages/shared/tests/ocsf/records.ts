/** A Network Activity record as the VPC flow parser writes it (valid OCSF 1.1.0). */
export function networkActivity(): Record<string, unknown> {
  return {
    metadata: {
      uid: 'abc-1',
      product: {
        name: 'Amazon VPC',
        vendor_name: 'AWS',
        feature: { name: 'Flowlogs' },
        version: '5',
      },
      profiles: ['cloud', 'security_control', 'datetime'],
      version: '1.1.0',
    },
    cloud: { provider: 'AWS', account: { uid: '123456789012' }, region: 'us-east-1' },
    src_endpoint: { ip: '10.0.0.1', port: 443, instance_uid: 'i-1' },
    dst_endpoint: { ip: '10.0.0.2', port: 55000 },
    connection_info: { protocol_num: 6, direction_id: 2, direction: 'Outbound', boundary_id: 4 },
    traffic: { packets: 3, bytes: 120 },
    time: 1_700_000_000_000,
    time_dt: '2023-11-14T22:13:20.000Z',
    severity_id: 1,
    class_uid: 4001,
    category_uid: 4,
    activity_id: 6,
    type_uid: 400106,
    action_id: 1,
    disposition_id: 1,
  };
}

/** A DNS Activity record as Security Lake wrote it with OCSF 1.0.0-rc.2. */
export function rc2DnsActivity(): Record<string, unknown> {
  return {
    metadata: {
      product: { version: '1.100000', name: 'Route 53', vendor_name: 'AWS' },
      profiles: ['cloud', 'security_control'],
      version: '1.0.0-rc.2',
    },
    cloud: { account_uid: '111122223333', region: 'us-east-1', provider: 'AWS' },
    src_endpoint: { vpc_uid: 'vpc-7example', ip: '4.5.64.102', port: 56067 },
    time: 1612461115000,
    query: { hostname: 'example.com.', type: 'A', class: 'IN' },
    severity_id: 1,
    class_name: 'DNS Activity',
    class_uid: 4003,
    category_uid: 4,
    disposition_id: 2,
    rcode_id: 5,
    activity_id: 5,
    activity_name: 'Refuse',
    type_name: 'DNS Activity: Refuse',
    type_uid: 400305,
    confidence: 80,
  };
}
