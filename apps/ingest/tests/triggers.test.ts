import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { objectsOfNotification, TriggerError } from '../src/index.js';
import { sqsEvent } from './helpers.js';

describe('Function: objectsOfNotification', () => {
  it("reads the Security Lake subscriber's Object Created message (a JSON string)", async () => {
    // Prepare
    const event = await sqsEvent('security-lake-object-created');

    // Act
    const objects = objectsOfNotification(event.Records[0]?.body);

    // Assess
    expect(objects).toEqual([
      {
        uri: 's3://aws-security-data-lake-us-east-1-abcdef/aws/VPC_FLOW/2.0/region=us-east-1/accountId=123456789012/eventDay=20220412/a1b2c3d4e5f6.gz.parquet',
        etag: '0f343b0931126a20f133d67c2b018a3b',
        size: 17018,
      },
    ]);
  });

  it('reads an already-parsed body the same way', async () => {
    // Prepare
    const text = await readFile(
      join(import.meta.dirname, 'events/sqs/object-created-parsed-body.json'),
      'utf8',
    );
    const body: unknown = JSON.parse(text);

    // Act
    const objects = objectsOfNotification(body);

    // Assess
    expect(objects[0]?.uri).toBe(
      's3://aws-security-data-lake-us-east-1-abcdef/ext/ROUTE53/region=us-east-1/accountId=827909205779/eventDay=20261103/resolver.log.gz',
    );
  });

  it('decodes the URL-encoded keys of classic S3 Records notifications', async () => {
    // Prepare
    const event = await sqsEvent('s3-notification-records');

    // Act
    const objects = objectsOfNotification(event.Records[0]?.body);

    // Assess
    expect(objects).toEqual([
      {
        uri: 's3://raw-logs/AWSLogs/827909205779/vpcflowlogs/us-east-1/2026/11/03/flow logs (copy).log.gz',
        etag: 'd41d8cd98f00b204e9800998ecf8427e',
        size: 4174,
      },
    ]);
  });

  it("ignores S3's test event and records that are not object creations", async () => {
    // Prepare
    const test = await sqsEvent('s3-test-event');
    const removed = {
      Records: [
        { eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: 'b' }, object: { key: 'k' } } },
      ],
    };

    // Act / Assess
    expect(objectsOfNotification(test.Records[0]?.body)).toEqual([]);
    expect(objectsOfNotification(removed)).toEqual([]);
  });

  it('reads an SNS envelope around a notification', () => {
    // Prepare
    const inner = {
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: 'b' }, object: { key: 'a%2Fb.gz', eTag: 'e' } },
        },
      ],
    };

    // Act
    const objects = objectsOfNotification({ Type: 'Notification', Message: JSON.stringify(inner) });

    // Assess
    expect(objects).toEqual([{ uri: 's3://b/a/b.gz', etag: 'e' }]);
  });

  it('names what is wrong with a body that is not a notification', () => {
    expect(() => objectsOfNotification('{not json')).toThrow(TriggerError);
    expect(() => objectsOfNotification('{not json')).toThrow(/not JSON.*\{not json/);
    expect(() => objectsOfNotification({ hello: 1 })).toThrow(/not an S3 notification.*hello/);
    expect(() =>
      objectsOfNotification({ 'detail-type': 'Object Deleted', source: 'aws.s3', detail: {} }),
    ).toThrow(/'Object Deleted'/);
    expect(() =>
      objectsOfNotification({
        'detail-type': 'Object Created',
        source: 'aws.s3',
        detail: { object: { key: 'k' } },
      }),
    ).toThrow(/no bucket \(key 'k'\)/);
  });
});
