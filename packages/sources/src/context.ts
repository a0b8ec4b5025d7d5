import { createHash } from 'node:crypto';
import { type OcsfRecord, validateOcsfRecord } from '@lakewatch/shared';
import type { InputFormat, ParseBatch, ParseOptions, ParseSummary, Reject } from './types.js';

const MAX_VALUE = 200;
const MAX_RAW = 2000;

/** Thrown by a record mapper for a record that cannot be normalized; the parser rejects it. */
export class RecordRejection {
  constructor(
    readonly reason: string,
    readonly field: string | undefined,
    readonly value: unknown,
    readonly message: string,
  ) {}
}

/**
 * Records (plus rejects) per batch unless the options say otherwise. Small: a batch is alive
 * in the young generation until its consumer is done with it, and every scavenge copies what
 * is alive there. 4096-record batches made the garbage collector about a third of the CPU of
 * a VPC flow ingest; 256 cost little per batch and take most of that away.
 */
const DEFAULT_BATCH_SIZE = 256;

/** Largest |ms| a JavaScript Date (and so an ISO 8601 `*_dt`) can hold. */
const MAX_TIME_MS = 8.64e15;

/**
 * The ISO 8601 text of `ms`; throws a {@link RecordRejection} (`bad-time`, naming `field`)
 * when it is no representable time.
 */
export function isoTime(ms: number, field: string, raw?: unknown): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_TIME_MS)
    throw new RecordRejection(
      'bad-time',
      field,
      raw ?? ms,
      `${field} is out of range: ${String(raw ?? ms)}`,
    );
  if (ms === cacheMs[0]) return cacheIso[0]!;
  if (ms === cacheMs[1]) return cacheIso[1]!;
  const iso = formatIso(ms);
  cacheSlot ^= 1;
  cacheMs[cacheSlot] = ms;
  cacheIso[cacheSlot] = iso;
  return iso;
}

// The last two times formatted: logs sorted by time repeat start and end values, and a shared
// string is one allocation fewer per record on the hot path.
const cacheMs = [Number.NaN, Number.NaN];
const cacheIso: string[] = ['', ''];
let cacheSlot = 0;

function formatIso(ms: number): string {
  if (ms < 0 || !Number.isInteger(ms)) return new Date(ms).toISOString();
  // Hot path: the date part is cached per day, the time of day is built by arithmetic
  // (`Date#toISOString` was the single largest cost of the VPC flow parser).
  const day = Math.floor(ms / 86_400_000);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  let rest = ms - day * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  const milli = rest - sec * 1000;
  return `${cachedDate}${TWO[h]}:${TWO[m]}:${TWO[sec]}.${THREE[milli]}Z`;
}

let cachedDay = Number.NaN;
let cachedDate = '';
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** The fields of a reject a parser supplies; the context adds the source URI. */
export interface RejectInput {
  line: number;
  reason: string;
  message: string;
  field?: string;
  value?: unknown;
  raw?: string;
}

/**
 * Collects a parser's records and rejects into batches and keeps the counts. Every input
 * record must reach exactly one of {@link ParseContext.record} or {@link ParseContext.reject}.
 */
export class ParseContext {
  readonly sourceUri: string;
  readonly batchSize: number;
  readonly options: ParseOptions;
  /** Prefix of `metadata.uid`: a short hash of the source URI. */
  readonly uidPrefix: string;
  format: InputFormat;
  formatDetail: string | undefined;
  private records: OcsfRecord[] = [];
  private rejects: Reject[] = [];
  private normalized = 0;
  private rejected = 0;
  private readonly byReason: Record<string, number> = {};
  private readonly changes: Record<string, number> = {};
  /** Records the caller has validated against their class (sampling state). */
  private sampleDebt = 0;
  private readonly strings = new Map<string, string>();
  private readonly objects = new Map<string, unknown>();

  constructor(options: ParseOptions, format: InputFormat) {
    this.options = options;
    this.sourceUri = options.sourceUri;
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
    this.format = format;
    this.uidPrefix = createHash('sha256').update(options.sourceUri).digest('hex').slice(0, 16);
  }

  /** The stable `metadata.uid` of the record at `line` (and `index` within the line). */
  uid(line: number, index?: number): string {
    return index === undefined ? `${this.uidPrefix}-${line}` : `${this.uidPrefix}-${line}-${index}`;
  }

  /**
   * The canonical copy of a repeated string (account, VPC, subnet, status…): records then share
   * one string instead of each keeping its own slice of the input. Bounded.
   */
  intern(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    if (this.strings.size < 65_536) this.strings.set(value, value);
    return value;
  }

  /**
   * An object shared by every record with the same `key` (made by `make` the first time).
   * Records are read-only: nested objects such as `cloud` may be shared between them. Bounded.
   */
  shared<T>(key: string, make: () => T): T {
    let v = this.objects.get(key) as T | undefined;
    if (v === undefined) {
      v = make();
      if (this.objects.size >= 4096) this.objects.clear();
      this.objects.set(key, v);
    }
    return v;
  }

  /**
   * Adds a normalized record at `line`; when the sample rate picks it, it is validated first
   * and rejected as `ocsf-invalid` if it breaks its class.
   */
  record(record: OcsfRecord, line?: number): void {
    if (this.shouldValidate()) {
      const result = validateOcsfRecord(record);
      if (!result.valid) {
        const first = result.issues[0];
        this.reject({
          line: line ?? this.normalized + this.rejected + 1,
          reason: 'ocsf-invalid',
          field: first?.path,
          message: `not valid OCSF 1.1.0: ${result.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
          raw: JSON.stringify(record),
        });
        return;
      }
    }
    this.records.push(record);
    this.normalized++;
  }

  /** Adds a reject. */
  reject(input: RejectInput): void {
    const reject: Reject = {
      sourceUri: this.sourceUri,
      line: input.line,
      reason: input.reason,
      message: input.message,
    };
    if (input.field !== undefined) reject.field = input.field;
    if (input.value !== undefined) reject.value = clip(stringify(input.value), MAX_VALUE);
    if (input.raw !== undefined) reject.raw = clip(input.raw, MAX_RAW);
    this.rejects.push(reject);
    this.rejected++;
    this.byReason[input.reason] = (this.byReason[input.reason] ?? 0) + 1;
  }

  /** Rejects the record at `line` for `e` when it is a {@link RecordRejection}, else rethrows. */
  rejectFor(e: unknown, line: number, raw: string): void {
    if (e instanceof RecordRejection) {
      const input: RejectInput = { line, reason: e.reason, message: e.message, raw };
      if (e.field !== undefined) input.field = e.field;
      if (e.value !== undefined) input.value = e.value;
      this.reject(input);
    } else if (e instanceof SyntaxError) {
      this.reject({ line, reason: 'bad-json', message: `not valid JSON: ${e.message}`, raw });
    } else throw e;
  }

  /** Counts a change made to records while normalizing, e.g. `rc2-to-1.1.0`. */
  change(kind: string, n = 1): void {
    this.changes[kind] = (this.changes[kind] ?? 0) + n;
  }

  /** True when `validateSampleRate` says this record should be validated. */
  shouldValidate(): boolean {
    const rate = this.options.validateSampleRate ?? 0;
    if (rate <= 0) return false;
    if (rate >= 1) return true;
    this.sampleDebt += rate;
    if (this.sampleDebt >= 1) {
      this.sampleDebt -= 1;
      return true;
    }
    return false;
  }

  /** True when the pending batch is full. */
  full(): boolean {
    return this.records.length + this.rejects.length >= this.batchSize;
  }

  /** True when anything is pending. */
  pending(): boolean {
    return this.records.length + this.rejects.length > 0;
  }

  /** Takes the pending batch. */
  take(): ParseBatch {
    const batch = { records: this.records, rejects: this.rejects };
    this.records = [];
    this.rejects = [];
    return batch;
  }

  /** The counts so far. */
  summary(): ParseSummary {
    const summary: ParseSummary = {
      format: this.format,
      read: this.normalized + this.rejected,
      normalized: this.normalized,
      rejected: this.rejected,
      rejectedByReason: { ...this.byReason },
    };
    if (this.formatDetail !== undefined) summary.formatDetail = this.formatDetail;
    if (Object.keys(this.changes).length > 0) summary.changes = { ...this.changes };
    return summary;
  }
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
