import type { FindingSummary } from './summary.js';

/** Escapes a CEF header field: `\` and `|` are backslash-escaped; line breaks become spaces. */
export function escapeCefHeader(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, ' ');
}

/** Escapes a CEF extension value: `\` and `=` are escaped, CR and LF become `\r` and `\n`. */
export function escapeCefValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/=/g, '\\=')
    .replace(/\r/g, '\\r')
    .replace(/\n/g, '\\n');
}

/** Options of {@link cefMessage}. @default vendor/product `Lakewatch`, version `1.0` */
export interface CefOptions {
  vendor?: string;
  product?: string;
  version?: string;
}

/** A CEF:0 message for a finding (severity 0–10 from the risk score). */
export function cefMessage(s: FindingSummary, route: string, options: CefOptions = {}): string {
  const header = [
    'CEF:0',
    escapeCefHeader(options.vendor ?? 'Lakewatch'),
    escapeCefHeader(options.product ?? 'Lakewatch'),
    escapeCefHeader(options.version ?? '1.0'),
    'lakewatch-finding',
    escapeCefHeader(s.title),
    String(Math.min(10, Math.max(0, Math.round(s.riskScore / 10)))),
  ].join('|');
  const ext: [string, string][] = [
    ['rt', String(s.time.getTime())],
    ['externalId', s.findingId],
    ['src', s.ip],
    ['cs1Label', 'route'],
    ['cs1', route],
    ['cs2Label', 'entity'],
    ['cs2', s.entity],
    ['cs3Label', 'tags'],
    ['cs3', s.tags.join(',')],
    ['cn1Label', 'riskScore'],
    ['cn1', String(s.riskScore)],
    ['cat', s.riskLevel],
    ['msg', s.reasons.join('; ')],
  ];
  return `${header}|${ext.map(([k, v]) => `${k}=${escapeCefValue(v)}`).join(' ')}`;
}

/** Syslog framing of a message. */
export type SyslogFormat = 'rfc5424' | 'rfc3164';

const LEVEL_SEVERITY: Record<string, number> = {
  critical: 2,
  high: 3,
  medium: 4,
  low: 5,
  informational: 6,
};

/** Syslog header fields allow printable US-ASCII without spaces only. */
function headerToken(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return clean === '' ? '-' : clean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Options of {@link syslogFrame}. */
export interface FrameOptions {
  format: SyslogFormat;
  /** Syslog facility 0–23. @default 10 (security/authorization) */
  facility?: number;
  hostname: string;
  /** @default 'lakewatch' */
  appName?: string;
  time: Date;
  level: string;
}

/**
 * Wraps a message in an RFC 5424 (`<PRI>1 TIMESTAMP HOST APP - MSGID - MSG`) or RFC 3164
 * (`<PRI>Mmm dd hh:mm:ss HOST TAG: MSG`) header. Line breaks in the message are replaced
 * by spaces (the CEF formatter already escapes its own).
 */
export function syslogFrame(message: string, o: FrameOptions): string {
  const pri = (o.facility ?? 10) * 8 + (LEVEL_SEVERITY[o.level] ?? 5);
  const msg = message.replace(/\r\n|\r|\n/g, ' ');
  const app = headerToken(o.appName ?? 'lakewatch', 48);
  if (o.format === 'rfc5424') {
    return `<${pri}>1 ${o.time.toISOString()} ${headerToken(o.hostname, 255)} ${app} - finding - ${msg}`;
  }
  const t = o.time;
  const stamp = `${MONTHS[t.getUTCMonth()]} ${String(t.getUTCDate()).padStart(2, ' ')} ${t.toISOString().slice(11, 19)}`;
  return `<${pri}>${stamp} ${headerToken(o.hostname, 255)} ${app.slice(0, 32)}: ${msg}`;
}

/** RFC 6587 octet counting for syslog over TCP: `<length in bytes> <frame>`. */
export function octetCount(frame: string): string {
  return `${Buffer.byteLength(frame)} ${frame}`;
}
