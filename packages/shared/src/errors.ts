/** Base class of every error thrown by `@lakewatch/shared`. */
export class SharedError extends Error {
  override name = 'SharedError';
}
