import { describe, expect, it } from 'vitest';
import { InvalidRequestError, isIpAddress, parseInvocationBody } from '../src/index.js';

describe('Function: parseInvocationBody', () => {
  it('reads text/csv lines, trimming the spaces SageMaker writes after the comma', () => {
    // Prepare
    const body = Buffer.from('entity_id_1, 192.168.1.2\r\nentity_id_2,10.10.1.2\n\n');

    // Act
    const batch = parseInvocationBody(body, 'csv');

    // Assess
    expect(batch).toEqual({
      entities: ['entity_id_1', 'entity_id_2'],
      ips: ['192.168.1.2', '10.10.1.2'],
    });
  });

  it('reads both application/json instance forms SageMaker documents, mixed in one request', () => {
    // Prepare
    const body = JSON.stringify({
      instances: [
        { data: { features: { values: ['entity_id_1', '192.168.1.2'] } } },
        { features: ['entity_id_2', '10.10.1.2'] },
      ],
    });

    // Act
    const batch = parseInvocationBody(body, 'json');

    // Assess
    expect(batch.entities).toEqual(['entity_id_1', 'entity_id_2']);
    expect(batch.ips).toEqual(['192.168.1.2', '10.10.1.2']);
  });

  it('reads application/jsonlines, one instance a line, in either form', () => {
    // Prepare
    const body =
      '{"data": {"features": {"values": ["entity_id_1", "192.168.1.2"]}}}\n' +
      '{"features": ["entity_id_2", "10.10.1.2"]}\n';

    // Act
    const batch = parseInvocationBody(body, 'jsonlines');

    // Assess
    expect(batch.ips).toEqual(['192.168.1.2', '10.10.1.2']);
  });

  it.each([
    ['csv', 'alice,10.0.0.1\nbob\n', "text/csv line 2: expected 2 columns 'entity,ip', got 'bob'"],
    ['csv', 'alice,10.0.0.1,3\n', 'text/csv line 1: expected 2 columns'],
    ['csv', 'alice,10.0.0.256\n', "text/csv line 1: '10.0.0.256' is not an IPv4 or IPv6 address"],
    ['csv', ',10.0.0.1\n', 'text/csv line 1: entity must be a non-empty string'],
    [
      'json',
      '{"instances": [{"features": ["a", "1.2.3.4"]}, {"features": ["b"]}]}',
      'instances[1]: expected 2 values',
    ],
    ['json', '{"instances": [{"values": ["a", "1.2.3.4"]}]}', 'instances[0]: expected {"features"'],
    ['json', '{"instances": {}}', '"instances" must be an array'],
    ['json', '{"instances": [', 'application/json body: not valid JSON'],
    [
      'jsonlines',
      '{"features": ["a", "1.2.3.4"]}\n{"features": ["b", "x.y"]}',
      "application/jsonlines line 2: 'x.y' is not",
    ],
    ['csv', '\n\n', 'the request holds no (entity, ip) pairs'],
  ] as const)('rejects bad %s input naming where and what: %s', (format, body, message) => {
    // Act
    const act = () => parseInvocationBody(body, format);

    // Assess
    expect(act).toThrow(InvalidRequestError);
    expect(act).toThrow(message);
  });
});

describe('Function: isIpAddress', () => {
  it('accepts dotted quads and IPv6, refuses near misses', () => {
    // Act
    const verdicts = [
      '0.0.0.0',
      '255.255.255.255',
      '2001:db8::1',
      '256.1.1.1',
      '1.2.3',
      '1.2.3.4.5',
      '01234.1.1.1',
      'a.b.c.d',
      '',
    ].map(isIpAddress);

    // Assess
    expect(verdicts).toEqual([true, true, true, false, false, false, false, false, false]);
  });
});
