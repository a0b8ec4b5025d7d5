import { validateOcsfRecord } from '@lakewatch/shared';
import { describe, expect, it } from 'vitest';
import { parseAll, parseFixture } from '../helpers.js';

// Fixtures written for these tests in the documented Zeek ASCII/JSON log formats.
describe('Function: parseLogObject (Zeek)', () => {
  it('maps conn.log (TSV) to Network Activity', async () => {
    // Act
    const { records, summary } = await parseFixture('zeek/conn.log', { validateSampleRate: 1 });
    // Assess
    expect(summary).toMatchObject({
      format: 'zeek-conn',
      formatDetail: 'tsv',
      read: 3,
      rejected: 0,
    });
    expect(records[0]).toMatchObject({
      class_uid: 4001,
      activity_id: 6,
      time: 1709287200123,
      src_endpoint: { ip: '10.0.0.5', port: 51514 },
      dst_endpoint: { ip: '93.184.216.34', port: 443, svc_name: 'ssl' },
      connection_info: { uid: 'CHhAvVGS1DHFjwGM9', protocol_num: 6, direction_id: 2 },
      traffic: { bytes_out: 517, bytes_in: 4711, bytes: 5228, packets: 22 },
      duration: 1503,
      end_time: 1709287201626,
      status_code: 'SF',
      unmapped: { history: 'ShADadFf', tunnel_parents: [] },
    });
    expect(records[1]).toMatchObject({
      activity_id: 5,
      type_uid: 400105,
      connection_info: { direction_id: 1 },
    });
    for (const r of records) expect(validateOcsfRecord(r).issues).toEqual([]);
  });

  it('maps dns.log (TSV) to DNS Activity with answers, TTLs and rcode', async () => {
    // Act
    const { records, summary } = await parseFixture('zeek/dns.log', { validateSampleRate: 1 });
    // Assess
    expect(summary).toMatchObject({ format: 'zeek-dns', read: 3, rejected: 0 });
    expect(records[0]).toMatchObject({
      class_uid: 4003,
      activity_id: 2,
      query: { hostname: 'example.com', type: 'A', class: 'C_INTERNET', packet_uid: 4242 },
      answers: [
        { rdata: '93.184.216.34', ttl: 300 },
        { rdata: '93.184.216.35', ttl: 300 },
      ],
      rcode_id: 0,
      rcode: 'NoError',
    });
    expect(records[1]).toMatchObject({ rcode_id: 3, rcode: 'NXDomain' });
    expect(records[1]).not.toHaveProperty('answers');
    expect(records[2]).toMatchObject({ activity_id: 1, activity_name: 'Query' });
    for (const r of records) expect(validateOcsfRecord(r).issues).toEqual([]);
  });

  it.each([
    ['zeek/conn.jsonl', 'zeek-conn', 2],
    ['zeek/dns.jsonl', 'zeek-dns', 1],
  ])('reads the JSON form %s the same way', async (path, format, n) => {
    // Act
    const { records, summary } = await parseFixture(path, { validateSampleRate: 1 });
    // Assess
    expect(summary).toMatchObject({ format, formatDetail: 'json', read: n, rejected: 0 });
    expect(records[0]).toMatchObject({
      src_endpoint: { ip: '10.0.0.5' },
      time: path.includes('conn') ? 1709287200123 : 1709287200500,
    });
  });

  it('rejects a line with the wrong field count and a bad port, keeping the rest', async () => {
    // Prepare
    const text =
      '#separator \\x09\n#path\tconn\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\n' +
      '1.5\tC1\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\n' +
      '1.5\tC2\t10.0.0.1\n' +
      '1.5\tC3\t10.0.0.1\tbad\t10.0.0.2\t2\ttcp\n';
    // Act
    const { summary, rejects } = await parseAll(text);
    // Assess
    expect(summary).toMatchObject({ format: 'zeek-conn', read: 3, normalized: 1, rejected: 2 });
    expect(rejects.map((r) => [r.line, r.reason, r.field])).toEqual([
      [5, 'field-count', undefined],
      [6, 'bad-number', 'id.orig_p'],
    ]);
  });
});
