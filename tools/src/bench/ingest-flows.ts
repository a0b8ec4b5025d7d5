import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** The VPC Flow Logs v5 header with every v3–v5 field, as AWS writes custom-format objects. */
export const VPC_FLOW_V5_HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path';

/** A small seeded PRNG (mulberry32): the same file for the same seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Instance {
  id: string;
  eni: string;
  ip: string;
  subnet: string;
  az: string;
}

/**
 * Writes `lines` realistic VPC flow v5 records (plus the header) to `path`: 60 instances in
 * 4 subnets of one VPC, talking east-west, to AWS services and to the internet, served from
 * the internet, with ACCEPT/REJECT, TCP/UDP/ICMP, NODATA records, one-minute aggregation over
 * `hours` hours, in near time order (jittered by up to two minutes) as flow log objects are.
 */
export async function writeVpcFlowFile(
  path: string,
  lines: number,
  options: { seed?: number; hours?: number } = {},
): Promise<void> {
  const rand = rng(options.seed ?? 7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const account = '123456789012';
  const vpc = 'vpc-0a1b2c3d4e5f60718';
  const azs = ['use1-az1', 'use1-az2', 'use1-az4', 'use1-az6'];
  const subnets = azs.map((_, i) => `subnet-0${(0x1a2b3c4d5e + i).toString(16)}0`);
  const instances: Instance[] = Array.from({ length: 60 }, (_, i) => ({
    id: `i-0${(0x5f1e2d3c4b5a6978n + BigInt(i * 7919)).toString(16)}`,
    eni: `eni-0${(0x3a4b5c6d7e8f9012n + BigInt(i * 104729)).toString(16)}`,
    ip: `10.0.${(i % 4) * 16 + 1}.${10 + i}`,
    subnet: subnets[i % 4] as string,
    az: azs[i % 4] as string,
  }));
  const aws = ['52.94.133.131', '52.216.10.78', '54.231.132.90', '3.5.0.12', '52.119.224.4'];
  const internet = Array.from(
    { length: 400 },
    (_, i) =>
      `${[34, 35, 104, 151, 172, 185, 198][i % 7]}.${(i * 37) % 250}.${(i * 91) % 250}.${((i * 13) % 250) + 1}`,
  );
  const ports = [443, 443, 443, 80, 53, 5432, 6379, 22, 8080, 3306];
  const start0 = 1_700_000_000 - (1_700_000_000 % 3600);
  const span = (options.hours ?? 6) * 3600;
  const out = createWriteStream(path);
  let buf = `${VPC_FLOW_V5_HEADER}\n`;
  for (let n = 0; n < lines; n++) {
    const inst = pick(instances);
    // Flow logs are delivered per capture window: near time order, with jitter across ENIs.
    const start = start0 + Math.max(0, Math.floor((n / lines) * span) - Math.floor(rand() * 120));
    const end = start + 30 + Math.floor(rand() * 30);
    const r = rand();
    let line: string;
    if (r < 0.01) {
      line = `5 ${account} ${inst.eni} - - - - - - - ${start} ${end} - NODATA ${vpc} ${inst.subnet} ${inst.id} - - - - us-east-1 ${inst.az} - - - - - -`;
    } else {
      const ingress = r > 0.75;
      const kind = rand();
      const peer = kind < 0.35 ? pick(instances).ip : kind < 0.6 ? pick(aws) : pick(internet);
      const protocol = rand() < 0.9 ? 6 : rand() < 0.8 ? 17 : 1;
      const service = protocol === 1 ? 0 : ingress ? pick([443, 22, 80]) : pick(ports);
      const ephemeral = protocol === 1 ? 0 : 32768 + Math.floor(rand() * 28000);
      const action = rand() < (ingress ? 0.12 : 0.02) ? 'REJECT' : 'ACCEPT';
      const packets = 1 + Math.floor(rand() * 200);
      const bytes = packets * (40 + Math.floor(rand() * 1400));
      const flags = protocol === 6 ? pick([2, 18, 19, 3, 1]) : 0;
      const [src, dst, sport, dport] = ingress
        ? [peer, inst.ip, ephemeral, service]
        : [inst.ip, peer, ephemeral, service];
      const srcSvc = aws.includes(src) ? 'AMAZON' : '-';
      const dstSvc = aws.includes(dst) ? pick(['S3', 'AMAZON', 'DYNAMODB']) : '-';
      const path = kind < 0.35 ? 1 : kind < 0.6 ? 7 : 8;
      line = `5 ${account} ${inst.eni} ${src} ${dst} ${sport} ${dport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} OK ${vpc} ${inst.subnet} ${inst.id} ${flags} IPv4 ${src} ${dst} us-east-1 ${inst.az} - - ${srcSvc} ${dstSvc} ${ingress ? 'ingress' : 'egress'} ${ingress ? '-' : path}`;
    }
    buf += `${line}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}
