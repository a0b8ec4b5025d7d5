import { isIPv6 } from 'node:net';
import type { RequestFormat } from './content-types.js';
import { InvalidRequestError } from './errors.js';

/** The (entity, IP) pairs of one request, as two parallel arrays ready for `model.score`. */
export interface PairBatch {
  entities: string[];
  ips: string[];
}

const MAX_SHOWN = 80;

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined
    ? String(value)
    : text.length > MAX_SHOWN
      ? `${text.slice(0, MAX_SHOWN)}…`
      : text;
}

/** A dotted-quad IPv4 address (0–255 each, no leading `+`), checked without allocating. */
function isIpv4(s: string): boolean {
  const n = s.length;
  if (n < 7 || n > 15) return false;
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255) return false;
      parts++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (++digits > 3) return false;
    } else return false;
  }
  return parts === 4;
}

/** True for an IPv4 dotted quad or an IPv6 address. */
export function isIpAddress(s: string): boolean {
  return isIpv4(s) || (s.includes(':') && isIPv6(s));
}

function checkPair(entity: unknown, ip: unknown, where: string): asserts entity is string {
  if (typeof entity !== 'string' || entity.length === 0)
    throw new InvalidRequestError(
      `${where}: entity must be a non-empty string, got ${show(entity)}`,
    );
  if (typeof ip !== 'string' || !isIpAddress(ip))
    throw new InvalidRequestError(`${where}: '${show(ip)}' is not an IPv4 or IPv6 address`);
}

function parseCsv(text: string, batch: PairBatch): void {
  let start = 0;
  let line = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    line++;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (stop > start) {
      const comma = text.indexOf(',', start);
      if (comma < 0 || comma >= stop)
        throw new InvalidRequestError(
          `text/csv line ${line}: expected 2 columns 'entity,ip', got '${show(text.slice(start, stop))}'`,
        );
      const extra = text.indexOf(',', comma + 1);
      if (extra >= 0 && extra < stop)
        throw new InvalidRequestError(
          `text/csv line ${line}: expected 2 columns 'entity,ip', got more: '${show(text.slice(start, stop))}'`,
        );
      // SageMaker's own example writes "entity_id_1, 192.168.1.2": spaces around values are not data.
      const entity = text.slice(start, comma).trim();
      const ip = text.slice(comma + 1, stop).trim();
      checkPair(entity, ip, `text/csv line ${line}`);
      batch.entities.push(entity);
      batch.ips.push(ip);
    }
    start = end + 1;
  }
}

/** One instance in either form SageMaker documents for IP Insights. */
function addInstance(instance: unknown, where: string, batch: PairBatch): void {
  let values: unknown;
  if (instance !== null && typeof instance === 'object') {
    const o = instance as { features?: unknown; data?: { features?: { values?: unknown } } };
    if (Array.isArray(o.features)) values = o.features;
    else if (o.data && typeof o.data === 'object') values = o.data.features?.values;
  }
  if (!Array.isArray(values))
    throw new InvalidRequestError(
      `${where}: expected {"features": ["entity", "ip"]} or {"data": {"features": {"values": ["entity", "ip"]}}}, got ${show(instance)}`,
    );
  if (values.length !== 2)
    throw new InvalidRequestError(
      `${where}: expected 2 values [entity, ip], got ${values.length}: ${show(values)}`,
    );
  checkPair(values[0], values[1], where);
  batch.entities.push(values[0]);
  batch.ips.push(values[1] as string);
}

function parseJsonText(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidRequestError(`${where}: not valid JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
}

function parseJson(text: string, batch: PairBatch): void {
  const doc = parseJsonText(text, 'application/json body');
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc) && 'instances' in doc) {
    const instances = (doc as { instances: unknown }).instances;
    if (!Array.isArray(instances))
      throw new InvalidRequestError(
        `application/json: "instances" must be an array, got ${show(instances)}`,
      );
    for (let i = 0; i < instances.length; i++)
      addInstance(instances[i], `application/json instances[${i}]`, batch);
    return;
  }
  // A single instance without the "instances" wrapper, as SageMaker's common JSON format allows.
  addInstance(doc, 'application/json body', batch);
}

function parseJsonLines(text: string, batch: PairBatch): void {
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    const where = `application/jsonlines line ${line}`;
    addInstance(parseJsonText(trimmed, where), where, batch);
  }
}

/**
 * Parses an invocation body into (entity, IP) pairs: `text/csv` lines `entity,ip`,
 * `application/json` `{"instances": [...]}` with either instance form SageMaker documents
 * (`{"features": [e, ip]}`, `{"data": {"features": {"values": [e, ip]}}}`), or
 * `application/jsonlines`, one instance per line. Blank lines are skipped.
 * @throws InvalidRequestError naming the line or instance and the bad value; an empty body.
 * @example
 * parseInvocationBody(Buffer.from('alice,10.0.0.1\n'), 'csv'); // {entities: ['alice'], ips: ['10.0.0.1']}
 */
export function parseInvocationBody(body: Buffer | string, format: RequestFormat): PairBatch {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const batch: PairBatch = { entities: [], ips: [] };
  if (format === 'csv') parseCsv(text, batch);
  else if (format === 'json') parseJson(text, batch);
  else parseJsonLines(text, batch);
  if (batch.entities.length === 0)
    throw new InvalidRequestError('the request holds no (entity, ip) pairs');
  return batch;
}
