/**
 * The outside world the simulated environment talks to. Address ranges are representative
 * (taken from the published ranges of each operator) rather than exhaustive; normal traffic
 * and incident traffic use disjoint ranges, so an incident's address is never in the history.
 */

/** How traffic reaches an external service from a private instance. */
export type Route = 'nat' | 'gateway-endpoint' | 'interface-endpoint';

/** An external service instances talk to. */
export interface ServiceSpec {
  /** Short key, e.g. `s3`. */
  key: string;
  /** DNS names (a `{region}` placeholder is filled in). */
  names: readonly string[];
  /** Address ranges the service answers from. */
  cidrs: readonly string[];
  /** Size of the address pool drawn from the ranges. */
  pool: number;
  port: number;
  /** `pkt-*-aws-service` value, `-` when not an AWS range. */
  awsService: string;
  route: Route;
  /** Median request and response bytes of one connection. */
  reqBytes: number;
  respBytes: number;
  /** Operator and ASN, for documentation and ground truth. */
  asn: string;
  /** IP protocol number. @default 6 (TCP) */
  protocol?: 6 | 17;
}

const A = 'AS16509 Amazon.com';

/** AWS services (public endpoints through the NAT gateway, S3/DynamoDB through gateway endpoints). */
export const AWS_SERVICES: readonly ServiceSpec[] = [
  svc(
    's3',
    ['s3.{region}.amazonaws.com', 'lakewatch-assets.s3.{region}.amazonaws.com'],
    ['52.216.0.0/15', '3.5.0.0/19', '16.182.0.0/16'],
    32,
    443,
    'S3',
    'gateway-endpoint',
    2_000,
    180_000,
    A,
  ),
  svc(
    'dynamodb',
    ['dynamodb.{region}.amazonaws.com'],
    ['3.218.180.0/22', '52.94.0.0/22'],
    8,
    443,
    'DYNAMODB',
    'gateway-endpoint',
    1_500,
    6_000,
    A,
  ),
  svc(
    'sts',
    ['sts.{region}.amazonaws.com'],
    ['209.54.176.0/21'],
    4,
    443,
    'AMAZON',
    'nat',
    1_800,
    3_500,
    A,
  ),
  svc(
    'monitoring',
    ['monitoring.{region}.amazonaws.com'],
    ['52.46.128.0/19'],
    6,
    443,
    'AMAZON',
    'nat',
    4_500,
    1_200,
    A,
  ),
  svc(
    'logs',
    ['logs.{region}.amazonaws.com'],
    ['3.236.94.0/24', '54.239.28.0/24'],
    6,
    443,
    'AMAZON',
    'nat',
    9_000,
    900,
    A,
  ),
  svc(
    'ec2',
    ['ec2.{region}.amazonaws.com'],
    ['54.239.0.0/21'],
    4,
    443,
    'EC2',
    'nat',
    1_600,
    4_000,
    A,
  ),
  svc(
    'ssm',
    [
      'ssm.{region}.amazonaws.com',
      'ssmmessages.{region}.amazonaws.com',
      'ec2messages.{region}.amazonaws.com',
    ],
    [],
    0,
    443,
    '-',
    'interface-endpoint',
    1_200,
    1_500,
    A,
  ),
];

/** Software-as-a-service and package mirrors, through the NAT gateway. */
export const SAAS_SERVICES: readonly ServiceSpec[] = [
  svc(
    'github',
    ['api.github.com', 'github.com'],
    ['140.82.112.0/20'],
    6,
    443,
    '-',
    'nat',
    2_500,
    60_000,
    'AS36459 GitHub',
  ),
  svc(
    'npm',
    ['registry.npmjs.org'],
    ['104.16.0.0/13'],
    8,
    443,
    '-',
    'nat',
    1_200,
    350_000,
    'AS13335 Cloudflare',
  ),
  svc(
    'pypi',
    ['pypi.org', 'files.pythonhosted.org'],
    ['151.101.0.0/16'],
    8,
    443,
    '-',
    'nat',
    1_200,
    900_000,
    'AS54113 Fastly',
  ),
  svc(
    'ubuntu',
    ['archive.ubuntu.com', 'security.ubuntu.com'],
    ['91.189.91.0/24', '185.125.190.0/24'],
    6,
    80,
    '-',
    'nat',
    800,
    250_000,
    'AS41231 Canonical',
  ),
  svc(
    'stripe',
    ['api.stripe.com'],
    ['54.187.174.0/24', '54.187.216.0/24'],
    4,
    443,
    'AMAZON',
    'nat',
    2_200,
    4_800,
    A,
  ),
  {
    ...svc(
      'ntp',
      ['ntp.ubuntu.com'],
      ['185.125.190.56/29'],
      3,
      123,
      '-',
      'nat',
      76,
      76,
      'AS41231 Canonical',
    ),
    protocol: 17,
  },
  svc('slack', ['hooks.slack.com'], ['52.89.0.0/20'], 4, 443, 'AMAZON', 'nat', 1_800, 600, A),
  svc(
    'datadog',
    ['http-intake.logs.datadoghq.com', 'api.datadoghq.com'],
    ['3.233.144.0/20'],
    6,
    443,
    'AMAZON',
    'nat',
    14_000,
    700,
    A,
  ),
  svc(
    'sentry',
    ['o1.ingest.sentry.io'],
    ['34.120.195.0/24'],
    2,
    443,
    '-',
    'nat',
    6_000,
    400,
    'AS396982 Google Cloud',
  ),
];

/** Where the web tier's users come from (residential and mobile ISPs). */
export const USER_RANGES: readonly string[] = [
  '73.0.0.0/8',
  '24.0.0.0/12',
  '98.192.0.0/10',
  '174.192.0.0/10',
  '86.128.0.0/10',
  '81.96.0.0/12',
  '2.24.0.0/13',
  '101.160.0.0/11',
];

/** Office and VPN egress addresses the administrators SSH from. */
export const ADMIN_RANGES: readonly string[] = ['198.51.100.0/26', '203.0.113.64/27'];

/** On-premises networks that resolve VPC names through an inbound Resolver endpoint (over VPN). */
export const ONPREM_RANGES: readonly string[] = ['172.20.0.0/16'];

/** Internet background scanners (research scanners that hit every public address daily). */
export const SCANNER_RANGES: readonly string[] = [
  '162.142.125.0/24',
  '167.94.138.0/24',
  '71.6.135.0/24',
  '198.235.24.0/24',
];

/**
 * Hostile hosting, used only by incidents: never seen in normal traffic. Each entry is one
 * rarely seen autonomous system.
 */
export const HOSTILE_RANGES = {
  scanner: { cidr: '45.137.20.0/22', asn: 'AS49505 (bulletproof hosting, rare)' },
  bruteForce: { cidr: '193.32.162.0/24', asn: 'AS47890 (rare)' },
  exfiltration: { cidr: '5.188.206.0/24', asn: 'AS49453 (rare, never seen before)' },
  commandAndControl: { cidr: '194.26.29.0/24', asn: 'AS57523 (rare)' },
} as const;

/** Top-level domains the DNS incident's generated names use. */
export const HOSTILE_TLDS: readonly string[] = ['top', 'xyz', 'click', 'quest'];

function svc(
  key: string,
  names: string[],
  cidrs: string[],
  pool: number,
  port: number,
  awsService: string,
  route: Route,
  reqBytes: number,
  respBytes: number,
  asn: string,
): ServiceSpec {
  return { key, names, cidrs, pool, port, awsService, route, reqBytes, respBytes, asn };
}
