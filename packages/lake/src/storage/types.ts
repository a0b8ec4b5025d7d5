/** One stored object. */
export interface StoredObject {
  /** Key relative to the lake root, `/`-separated. */
  key: string;
  size: number;
  /** The object's version (S3 ETag), where the storage has one. */
  etag?: string;
}

/** Where the lake's objects live: a local folder or an S3 prefix. */
export interface LakeStorage {
  /** The lake's location as the user wrote it (`/data/lake`, `s3://bucket/prefix`). */
  readonly uri: string;
  /** The folder of a local lake; undefined for S3. */
  readonly localRoot: string | undefined;
  /**
   * Stores a local file under `key`, atomically (readers see the whole object or none). With
   * `move`, the local file is consumed (renamed where possible).
   */
  putFile(key: string, path: string, options?: { move?: boolean }): Promise<void>;
  /** Stores bytes under `key`, atomically. */
  putBytes(key: string, bytes: Uint8Array | string): Promise<void>;
  /** The object's bytes, or undefined when there is no such object. */
  getBytes(key: string): Promise<Uint8Array | undefined>;
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): Promise<StoredObject[]>;
  /** Deletes an object; deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Copies the object to a local file. */
  download(key: string, path: string): Promise<void>;
}
