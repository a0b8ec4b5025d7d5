/** Base class of every error thrown by `@lakewatch/sources`. */
export class SourcesError extends Error {
  override name = 'SourcesError';
}

/** The input object cannot be read at all (not one bad record: the whole object). */
export class UnreadableInputError extends SourcesError {
  override name = 'UnreadableInputError';
}
