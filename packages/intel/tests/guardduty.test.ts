import {
  GetFindingsCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListFindingsCommand,
} from '@aws-sdk/client-guardduty';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GuardDutyIntel, INSTANCE_CRITERION, IP_CRITERIA } from '../src/index.js';

const gd = mockClient(GuardDutyClient);

function error(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

describe('Class: GuardDutyIntel', () => {
  beforeEach(() => gd.reset());

  it('asks for findings on the remote IP and the instance, and returns them by severity', async () => {
    // Prepare
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['12abc34d567e8fa901bc2d34e56789f0'] });
    gd.on(ListFindingsCommand).callsFake((input) =>
      Object.keys(input.FindingCriteria.Criterion)[0] === IP_CRITERIA[0]
        ? { FindingIds: ['f-probe'] }
        : { FindingIds: ['f-probe', 'f-ssh'] },
    );
    gd.on(GetFindingsCommand).resolves({
      Findings: [
        {
          Id: 'f-probe',
          Type: 'Recon:EC2/PortProbeUnprotectedPort',
          Severity: 2,
          Title: 'probe',
          UpdatedAt: '2026-11-28T14:02:11Z',
        } as never,
        {
          Id: 'f-ssh',
          Type: 'UnauthorizedAccess:EC2/SSHBruteForce',
          Severity: 5,
          Title: 'ssh',
        } as never,
      ],
    });
    const intel = new GuardDutyIntel({ client: new GuardDutyClient({ region: 'us-east-1' }) });

    // Act
    const out = await intel.lookup('198.51.100.23', 'i-0abc');

    // Assess
    expect(out.status).toBe('ok');
    expect(out.findings.map((f) => f.id)).toEqual(['f-ssh', 'f-probe']);
    const criteria = gd.commandCalls(ListFindingsCommand).map((c) => c.args[0].input);
    expect(criteria).toHaveLength(4);
    expect(criteria[0]).toEqual({
      DetectorId: '12abc34d567e8fa901bc2d34e56789f0',
      FindingCriteria: { Criterion: { [IP_CRITERIA[0]]: { Equals: ['198.51.100.23'] } } },
      SortCriteria: { AttributeName: 'updatedAt', OrderBy: 'DESC' },
      MaxResults: 20,
    });
    expect(criteria[3]?.FindingCriteria?.Criterion).toEqual({
      [INSTANCE_CRITERION]: { Equals: ['i-0abc'] },
    });
    expect(gd.commandCalls(GetFindingsCommand)[0]?.args[0].input.FindingIds).toEqual([
      'f-probe',
      'f-ssh',
    ]);

    // a second lookup comes from the cache
    await intel.lookup('198.51.100.23', 'i-0abc');
    expect(gd.commandCalls(ListFindingsCommand)).toHaveLength(4);
  });

  it('degrades on throttling and AccessDenied with the reason, and is disabled without a detector', async () => {
    gd.on(ListDetectorsCommand).rejects(
      error('AccessDeniedException', 'not authorized to perform guardduty:ListDetectors'),
    );
    expect(
      await new GuardDutyIntel({ client: new GuardDutyClient({ region: 'us-east-1' }) }).lookup(
        '1.2.3.4',
        undefined,
      ),
    ).toEqual({
      status: 'degraded',
      reason:
        'AccessDeniedException (access denied): not authorized to perform guardduty:ListDetectors',
      findings: [],
    });

    gd.reset();
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['d1'] });
    gd.on(ListFindingsCommand).rejects(error('ThrottlingException', 'Rate exceeded'));
    const throttled = await new GuardDutyIntel({
      client: new GuardDutyClient({ region: 'us-east-1' }),
    }).lookup('1.2.3.4', 'i-1');
    expect(throttled).toMatchObject({
      status: 'degraded',
      reason: 'ThrottlingException (throttled): Rate exceeded',
    });

    gd.reset();
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    expect(
      (
        await new GuardDutyIntel({ client: new GuardDutyClient({ region: 'us-east-1' }) }).lookup(
          '1.2.3.4',
          'i-1',
        )
      ).status,
    ).toBe('disabled');
  });
});
