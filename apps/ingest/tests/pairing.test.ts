import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { parseLogObject } from '@lakewatch/sources';
import { describe, expect, it } from 'vitest';
import { observe, PairCollector, parsePairings } from '../src/index.js';
import { dnsRecord, FIXTURES, flowRecord } from './helpers.js';

describe('Function: observe', () => {
  it('pairs the instance with the remote IP in both directions (peer)', () => {
    // Prepare
    const outbound = flowRecord({
      src: '10.0.0.11',
      dst: '5.188.206.226',
      side: 'src',
      instance: 'i-1',
      direction: 2,
    });
    const inbound = flowRecord({
      src: '193.32.162.18',
      dst: '10.0.0.11',
      side: 'dst',
      instance: 'i-1',
      direction: 1,
      dstPort: 22,
    });

    // Act
    const out = observe(outbound, 'peer');
    const inn = observe(inbound, 'peer');

    // Assess
    expect(out).toEqual([
      expect.objectContaining({
        entity: { type: 'instance', uid: 'i-1' },
        ip: '5.188.206.226',
        direction: 'outbound',
      }),
    ]);
    expect(inn).toEqual([
      expect.objectContaining({
        entity: { type: 'instance', uid: 'i-1' },
        ip: '193.32.162.18',
        direction: 'inbound',
      }),
    ]);
    expect(inn[0]?.context).toEqual({
      accountUid: '827909205779',
      region: 'us-east-1',
      vpcUid: 'vpc-0ad1d4384da1f4415',
      subnetUid: 'subnet-0fa003fd540d37aea',
      interfaceUid: 'eni-0a1b2c3d4e5f60718',
      entityIp: '10.0.0.11',
    });
  });

  it('calls traffic between two internal addresses lateral', () => {
    // Prepare
    const r = flowRecord({
      src: '10.0.32.18',
      dst: '10.0.48.25',
      side: 'src',
      instance: 'i-2',
      direction: 2,
    });

    // Act
    const [o] = observe(r, 'peer');

    // Assess
    expect(o).toMatchObject({ ip: '10.0.48.25', direction: 'lateral' });
  });

  it('pairs both instances when both sides carry one and the direction does not choose', () => {
    // Prepare
    const r = flowRecord({
      src: '10.0.0.5',
      dst: '10.0.0.6',
      side: 'both',
      instance: 'i-a',
      peerInstance: 'i-b',
    });

    // Act
    const seen = observe(r, 'peer').map((o) => `${o.entity.uid}>${o.ip}`);

    // Assess
    expect(seen).toEqual(['i-a>10.0.0.6', 'i-b>10.0.0.5']);
  });

  it('falls back to the interface, the account, and for Zeek the host', () => {
    // Prepare
    const eniOnly = flowRecord({ src: '10.0.0.9', dst: '52.1.2.3', side: 'src', eni: 'eni-nat' });
    const noIds = flowRecord({
      src: '10.0.0.9',
      dst: '52.1.2.3',
      side: 'none',
      account: '111122223333',
    });
    const zeekIn = flowRecord({
      src: '198.51.100.7',
      dst: '10.1.1.1',
      side: 'none',
      direction: 1,
      product: 'Zeek',
    });

    // Act
    const [eni] = observe(eniOnly, 'peer');
    const [account] = observe(noIds, 'peer');
    const [zeek] = observe(zeekIn, 'peer');

    // Assess
    expect(eni?.entity).toEqual({ type: 'interface', uid: 'eni-nat' });
    expect(account?.entity).toEqual({ type: 'account', uid: '111122223333' });
    expect(zeek).toMatchObject({
      entity: { type: 'hostname', uid: '10.1.1.1' },
      ip: '198.51.100.7',
      direction: 'inbound',
    });
  });

  it("pairs the instance with its own source IP (source, the blog's pairing) and skips remote sources", () => {
    // Prepare
    const own = flowRecord({
      src: '10.0.200.181',
      dst: '10.0.48.20',
      side: 'src',
      instance: 'i-3',
    });
    const remote = flowRecord({
      src: '45.137.21.150',
      dst: '10.0.0.11',
      side: 'dst',
      instance: 'i-3',
    });

    // Act / Assess
    expect(observe(own, 'source')).toEqual([
      expect.objectContaining({ entity: { type: 'instance', uid: 'i-3' }, ip: '10.0.200.181' }),
    ]);
    expect(observe(remote, 'source')).toEqual([]);
  });

  it('pairs the querying instance with A/AAAA answer addresses only (dns)', () => {
    // Prepare
    const r = dnsRecord({
      instance: 'i-4',
      hostname: 'evil.example.',
      answers: [
        { rdata: 'cdn.example.', type: 'CNAME' },
        { rdata: '194.26.29.227', type: 'A' },
        { rdata: '2001:db8::1', type: 'AAAA' },
        { rdata: 'not-an-ip', type: 'A' },
      ],
    });
    const zeekNoTypes = dnsRecord({
      srcIp: '10.0.0.5',
      hostname: 'example.com',
      product: 'Zeek',
      answers: [{ rdata: '93.184.216.34' }, { rdata: 'example.net' }],
    });

    // Act
    const seen = observe(r, 'dns');
    const zeek = observe(zeekNoTypes, 'dns');

    // Assess
    expect(seen.map((o) => o.ip)).toEqual(['194.26.29.227', '2001:db8::1']);
    expect(seen[0]).toMatchObject({
      entity: { type: 'instance', uid: 'i-4' },
      queries: 'evil.example.',
    });
    expect(zeek).toEqual([
      expect.objectContaining({
        entity: { type: 'hostname', uid: '10.0.0.5' },
        ip: '93.184.216.34',
      }),
    ]);
    expect(observe(r, 'peer')).toEqual([]);
  });

  it("treats the parsers' '-' placeholders as absent", () => {
    // Prepare: a flow on an ENI without an instance (instance-id '-').
    const r = flowRecord({
      src: '10.0.0.9',
      dst: '52.1.2.3',
      side: 'src',
      instance: '-',
      eni: 'eni-elb',
    });

    // Act
    const [o] = observe(r, 'peer');

    // Assess
    expect(o?.entity).toEqual({ type: 'interface', uid: 'eni-elb' });
  });
});

describe('Function: parsePairings', () => {
  it('reads a comma list in order and names an unknown strategy', () => {
    expect(parsePairings('peer, dns,peer')).toEqual(['peer', 'dns']);
    expect(() => parsePairings('peer,blog')).toThrow(/unknown pairing 'blog'/);
    expect(() => parsePairings(' , ')).toThrow(/no pairing/);
  });
});

describe('Class: PairCollector', () => {
  it('aggregates counts, times, traffic, ports, protocols, denials and directions per pair', () => {
    // Prepare
    const c = new PairCollector(['peer']);
    const t0 = Date.UTC(2026, 10, 3, 0, 0, 0);
    const records = [
      // 20 ports, port 22 three times, 80 twice: the most frequent come first.
      ...Array.from({ length: 20 }, (_, i) =>
        flowRecord({
          uid: `u${i}`,
          time: t0 + i * 1000,
          src: '10.0.0.11',
          dst: '45.137.21.150',
          instance: 'i-1',
          direction: 2,
          dstPort: 1000 + i,
        }),
      ),
      ...[22, 22, 22, 80, 80].map((port, i) =>
        flowRecord({
          uid: `v${i}`,
          time: t0 - 5000,
          src: '10.0.0.11',
          dst: '45.137.21.150',
          instance: 'i-1',
          direction: 2,
          dstPort: port,
          protocol: 17,
          denied: true,
        }),
      ),
      flowRecord({
        uid: 'w',
        time: t0 + 60_000,
        src: '45.137.21.150',
        dst: '10.0.0.11',
        side: 'dst',
        instance: 'i-1',
        direction: 1,
      }),
    ];

    // Act
    c.addAll(records);
    const [peer] = c.result();
    const pair = peer?.pairs[0];

    // Assess
    expect(peer?.pairs).toHaveLength(1);
    expect(pair).toMatchObject({
      entity: { type: 'instance', uid: 'i-1' },
      ip: '45.137.21.150',
      count: 26,
      firstSeen: new Date(t0 - 5000).toISOString(),
      lastSeen: new Date(t0 + 70_000).toISOString(),
      direction: 'mixed',
      bytes: 2600,
      packets: 52,
      protocols: [6, 17],
      rejected: 5,
      dstPortCount: 23,
      sampleEventUid: 'u0',
    });
    expect(pair?.dstPorts).toHaveLength(16);
    expect(pair?.dstPorts?.slice(0, 4)).toEqual([22, 80, 443, 1000]);
  });

  it('finds the simulated incidents in a real VPC flow object, in a stable order', async () => {
    // Prepare
    const parsed = parseLogObject(createReadStream(join(FIXTURES, 'vpc-flow-v5.log.gz')), {
      sourceUri: 'file:///fixtures/vpc-flow-v5.log.gz',
    });
    const c = new PairCollector(['source', 'peer']);

    // Act
    for await (const b of parsed) c.addAll(b.records);
    const [source, peer] = c.result();
    const find = (pairs: typeof peer, uid: string, ip: string) =>
      pairs?.pairs.find((p) => p.entity.uid === uid && p.ip === ip);

    // Assess: the ground truth of `lakewatch simulate` (see tests/fixtures/README.md).
    const scan = find(peer, 'i-075fd21b3d9d9a28e', '45.137.21.150');
    expect(scan?.dstPortCount).toBeGreaterThan(16);
    expect(scan?.dstPorts).toHaveLength(16);
    expect(find(peer, 'i-02ec75e6a73203c4a', '10.0.48.25')?.direction).toBe('lateral');
    expect(find(peer, 'i-010b054a515eb437b', '10.0.200.181')).toBeDefined();
    expect(find(source, 'i-0e0d7314f6e046583', '10.0.200.181')).toBeDefined();
    expect(find(peer, 'i-045420caede2d795d', '5.188.206.226')?.bytes).toBeGreaterThan(1_000_000);
    expect(find(peer, 'i-075fd21b3d9d9a28e', '193.32.162.18')?.dstPorts).toContain(22);
    const keys = peer?.pairs.map((p) => `${p.entity.type}\u0000${p.entity.uid}\u0000${p.ip}`) ?? [];
    expect(keys).toEqual([...keys].sort());
    expect(peer?.pairs.some((p) => p.entity.type === 'interface')).toBe(true);
    expect(parsed.summary().read).toBe(241);
  });
});
