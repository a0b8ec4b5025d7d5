import { type Logger, pino } from 'pino';

/** Paths pino blanks out: secrets never reach a log line. */
export const REDACTED_PATHS = [
  '*.password',
  '*.secret',
  '*.token',
  '*.authorization',
  '*.apiKey',
  '*.webhookUrl',
  'headers.authorization',
  'config.*.secret',
];

/** A service's logger: JSON lines on stdout (or `destination`), secrets redacted. */
export function createLogger(
  service: string,
  options: { level?: string; destination?: NodeJS.WritableStream } = {},
): Logger {
  return pino(
    {
      name: service,
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination ?? process.stdout,
  );
}
