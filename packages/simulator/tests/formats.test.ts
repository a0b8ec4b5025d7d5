import { describe, expect, it } from 'vitest';
import { checkFlowLog, checkResolverLog, FLOW_KEY, RESOLVER_KEY } from './format-checker.js';
import { run, SMALL } from './helpers.js';

describe('Function: createSimulation (formats)', () => {
  it('writes VPC Flow Logs v5 objects with a header that pass the strict format check', async () => {
    // Prepare
    const { objects } = await run(SMALL);
    const flows = objects.filter((o) => o.obj.type === 'aws-vpc-flow');

    // Act
    const problems = flows.flatMap((o) =>
      checkFlowLog(o.text, o.obj).map((p) => `${o.obj.key}: ${p}`),
    );

    // Assess
    expect(flows.length).toBeGreaterThan(100);
    expect(problems.slice(0, 5)).toEqual([]);
    const text = flows.map((o) => o.text).join('');
    expect(text).toContain(' NODATA ');
    expect(text).toMatch(/ REJECT OK /);
    expect(text).toMatch(/ egress 7\n/); // gateway endpoint to S3
    expect(text).toMatch(/ 123 17 \d+ \d+ /); // NTP over UDP
    expect(text).toMatch(/ S3 - ingress -\n/); // S3 responses name the service
    expect(text).toMatch(/ - 19 IPv4 /); // managed interfaces (no instance) answer SYN-ACK+FIN
  });

  it('writes Route 53 Resolver query logs with exactly the AWS fields, in order', async () => {
    // Prepare
    const { objects } = await run(SMALL);
    const dns = objects.filter((o) => o.obj.type === 'aws-route53-resolver');

    // Act
    const problems = dns.flatMap((o) =>
      checkResolverLog(o.text, o.obj, o.obj.vpcId).map((p) => `${o.obj.key}: ${p}`),
    );

    // Assess
    expect(dns.length).toBeGreaterThan(100);
    expect(problems.slice(0, 5)).toEqual([]);
    const text = dns.map((o) => o.text).join('');
    expect(text).toContain('"query_type":"AAAA","query_class":"IN","rcode":"NOERROR","answers":[]');
    expect(text).toContain('.rds.amazonaws.com."');
    expect(text).toMatch(
      /"srcids":\{"resolver_endpoint":"rslvr-in-[0-9a-f]{17}","resolver_network_interface":"rni-[0-9a-f]{17}"\}/,
    );
  });

  it('names every object as AWS does, dated by the end of its window, in time order', async () => {
    // Prepare
    const { objects } = await run(SMALL);

    // Act
    const bad = objects.filter(({ obj }) => {
      const m = (obj.type === 'aws-vpc-flow' ? FLOW_KEY : RESOLVER_KEY).exec(obj.key);
      if (!m) return true;
      const stamp = new Date(obj.end).toISOString();
      const [y, mo, d, y2, mo2, d2, h, mi] = m.slice(3, 11);
      return (
        `${y}-${mo}-${d}` !== stamp.slice(0, 10) ||
        `${y2}-${mo2}-${d2}T${h}:${mi}` !== stamp.slice(0, 16) ||
        obj.accountId !== m[1]
      );
    });
    const ends = objects.map((o) => o.obj.end);

    // Assess
    expect(bad.map((o) => o.obj.key)).toEqual([]);
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
    expect(new Set(objects.map((o) => o.obj.key)).size).toBe(objects.length);
    expect(objects.every((o) => o.obj.end - o.obj.start === 10 * 60_000)).toBe(true);
  });

  it('counts records as the objects hold them', async () => {
    // Prepare
    const { objects } = await run(SMALL);

    // Act
    const mismatched = objects.filter(
      (o) => o.text.split('\n').length - (o.obj.type === 'aws-vpc-flow' ? 2 : 1) !== o.obj.records,
    );

    // Assess
    expect(mismatched.map((o) => o.obj.key)).toEqual([]);
  });
});
