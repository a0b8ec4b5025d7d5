/** Base class of every error thrown by `@lakewatch/model-server`: bad configuration. */
export class ModelServerAppError extends Error {
  override name = 'ModelServerAppError';
}
