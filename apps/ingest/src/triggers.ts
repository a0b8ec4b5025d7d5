import { TriggerError } from './errors.js';
import type { ObjectLocation } from './objects.js';

type Obj = { readonly [k: string]: unknown };
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;

/** S3 event notifications URL-encode keys, with `+` for spaces. */
function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch (cause) {
    throw new TriggerError(`S3 notification key is not URL-encoded: '${key}'`, { cause });
  }
}

function location(bucket: unknown, key: string, etag: unknown, size: unknown): ObjectLocation {
  if (typeof bucket !== 'string' || bucket === '')
    throw new TriggerError(`S3 notification names no bucket (key '${key}')`);
  if (key === '') throw new TriggerError(`S3 notification for bucket '${bucket}' names no key`);
  return {
    uri: `s3://${bucket}/${key}`,
    ...(typeof etag === 'string' && etag !== '' ? { etag } : {}),
    ...(typeof size === 'number' && Number.isInteger(size) && size >= 0 ? { size } : {}),
  };
}

/**
 * The objects a notification announces: the EventBridge-style `Object Created` event (the
 * Amazon Security Lake subscriber's SQS message), the classic S3 event notification
 * (`Records[].s3`, keys URL-encoded; only `ObjectCreated:*` records), or an SNS envelope of
 * either. The body may be the SQS message's JSON text or an already-parsed object. S3's
 * `s3:TestEvent` yields no object.
 * @throws TriggerError naming what is wrong when the body is none of these.
 */
export function objectsOfNotification(body: unknown): ObjectLocation[] {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch (cause) {
      throw new TriggerError(
        `message body is not JSON: ${(cause as Error).message} (body starts '${body.slice(0, 80)}')`,
        { cause },
      );
    }
  }
  const event = obj(value);
  if (!event)
    throw new TriggerError(
      `message body is not a JSON object: ${JSON.stringify(value)?.slice(0, 80)}`,
    );
  if (event.Event === 's3:TestEvent') return [];
  // SNS fan-out: the notification is the Message text.
  if (event.Type === 'Notification' && typeof event.Message === 'string')
    return objectsOfNotification(event.Message);
  if (event['detail-type'] !== undefined) {
    if (event['detail-type'] !== 'Object Created' || event.source !== 'aws.s3')
      throw new TriggerError(
        `unexpected event '${String(event['detail-type'])}' from '${String(event.source)}'; expected 'Object Created' from 'aws.s3'`,
      );
    const detail = obj(event.detail);
    const object = obj(detail?.object);
    if (typeof object?.key !== 'string')
      throw new TriggerError('Object Created event has no detail.object.key');
    return [location(obj(detail?.bucket)?.name, object.key, object.etag, object.size)];
  }
  if (Array.isArray(event.Records)) {
    const out: ObjectLocation[] = [];
    for (const [i, r] of event.Records.entries()) {
      const record = obj(r);
      const name = record?.eventName;
      if (typeof name === 'string' && !name.startsWith('ObjectCreated:')) continue;
      const s3 = obj(record?.s3);
      const object = obj(s3?.object);
      if (typeof object?.key !== 'string')
        throw new TriggerError(`Records[${i}] has no s3.object.key`);
      out.push(
        location(
          obj(s3?.bucket)?.name,
          decodeKey(object.key),
          object.eTag ?? object.etag,
          object.size,
        ),
      );
    }
    return out;
  }
  throw new TriggerError(
    `not an S3 notification: expected an 'Object Created' event or 'Records', got keys ${Object.keys(event).slice(0, 8).join(', ')}`,
  );
}
