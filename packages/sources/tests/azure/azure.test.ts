import { validateOcsfRecord } from '@lakewatch/shared';
import { describe, expect, it } from 'vitest';
import { parseAll, parseFixture } from '../helpers.js';

// Fixtures written for these tests in the documented Azure NSG (v2) and VNet flow log formats.
describe('Function: parseLogObject (Azure flow logs)', () => {
  it('maps NSG flow log v2 tuples to Network Activity', async () => {
    // Act
    const { records, summary } = await parseFixture('azure/nsg-flow-v2.json', {
      validateSampleRate: 1,
    });
    // Assess
    expect(summary).toMatchObject({ format: 'azure-nsg-flow', read: 5, rejected: 0 });
    expect(records[0]).toMatchObject({
      time: 1709287200000,
      activity_id: 5,
      action_id: 2,
      disposition_id: 2,
      src_endpoint: { ip: '198.51.100.23', port: 40000 },
      dst_endpoint: { ip: '10.1.0.4', port: 22, mac: '00:0D:3A:F8:78:56' },
      connection_info: { direction_id: 1, protocol_num: 6 },
      firewall_rule: { name: 'DefaultRule_DenyAllInBound' },
      cloud: { provider: 'Azure', account: { uid: '00000000-1111-2222-3333-444444444444' } },
    });
    expect(records[3]).toMatchObject({
      activity_id: 2,
      traffic: { packets_out: 14, bytes_out: 2048, packets_in: 12, bytes_in: 16384, bytes: 18432 },
    });
    expect(records[4]).toMatchObject({
      activity_id: 6,
      src_endpoint: { mac: '00:0D:3A:F8:78:56' },
    });
    for (const r of records) expect(validateOcsfRecord(r).issues).toEqual([]);
  });

  it('maps VNet flow log tuples (ms timestamps, numeric protocol, D = denied)', async () => {
    // Act
    const { records, summary } = await parseFixture('azure/vnet-flow.json', {
      validateSampleRate: 1,
    });
    // Assess
    expect(summary).toMatchObject({ format: 'azure-vnet-flow', read: 3, rejected: 0 });
    expect(records.map((r) => [r.time, r.activity_id, r.action_id])).toEqual([
      [1709287200123, 1, 1],
      [1709287260456, 2, 1],
      [1709287230000, 5, 2],
    ]);
    expect(records[2]).toMatchObject({
      firewall_rule: { name: 'BlockHighRiskTCPPortsFromInternet' },
    });
    for (const r of records) expect(validateOcsfRecord(r).issues).toEqual([]);
  });

  it('rejects a malformed tuple by its ordinal and keeps the others', async () => {
    // Prepare
    const doc = {
      records: [
        {
          category: 'NetworkSecurityGroupFlowEvent',
          resourceId: '/SUBSCRIPTIONS/abc/RESOURCEGROUPS/x',
          properties: {
            Version: 2,
            flows: [
              {
                rule: 'r',
                flows: [
                  {
                    mac: '000D3AF87856',
                    flowTuples: [
                      '1,1.1.1.1,2.2.2.2,1,2,T,X,A,B,,,,',
                      '1,1.1.1.1,2.2.2.2,1,2,T,I,A,B,,,,',
                    ],
                  },
                ],
              },
            ],
          },
        },
      ],
    };
    // Act
    const { summary, rejects } = await parseAll(JSON.stringify(doc));
    // Assess
    expect(summary).toMatchObject({ read: 2, normalized: 1, rejected: 1 });
    expect(rejects[0]).toMatchObject({
      line: 1,
      reason: 'bad-value',
      field: 'direction',
      value: 'X',
    });
  });
});
