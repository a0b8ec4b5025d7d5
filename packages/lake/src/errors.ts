/** Base class of every error thrown by `@lakewatch/lake`. */
export class LakeError extends Error {
  override name = 'LakeError';
}

/** A lake location or object could not be read or written (folder or S3). */
export class LakeStorageError extends LakeError {
  override name = 'LakeStorageError';
}

/** A query over the lake failed: bad SQL, unknown table or column, bad option. */
export class LakeQueryError extends LakeError {
  override name = 'LakeQueryError';
}
