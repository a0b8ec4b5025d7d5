// The public API of @lakewatch/sources: streaming log parsers that normalize to OCSF 1.1.0.

export type { DetectedFormat } from './detect.js';
export { detectFormat, UnknownFormatError } from './detect.js';
export { SourcesError, UnreadableInputError } from './errors.js';
export { parseLogObject } from './parse.js';
export type {
  InputFormat,
  ParseBatch,
  ParseOptions,
  ParseResult,
  ParseSummary,
  Reject,
} from './types.js';
export { INPUT_FORMATS } from './types.js';
