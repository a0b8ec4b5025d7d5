import type { S3Client } from '@aws-sdk/client-s3';
import { LocalStorage } from './local.js';
import { createS3Client, S3Storage } from './s3.js';
import type { LakeStorage } from './types.js';

/** Options of {@link openStorage}. */
export interface OpenStorageOptions {
  /**
   * S3 client for `s3://` locations.
   * @default {@link createS3Client}()
   */
  s3Client?: S3Client;
}

/** The storage of a lake location: `s3://bucket/prefix`, or a local folder. */
export function openStorage(location: string, options: OpenStorageOptions = {}): LakeStorage {
  if (location.startsWith('s3://'))
    return new S3Storage(location, options.s3Client ?? createS3Client());
  return new LocalStorage(location.startsWith('file://') ? new URL(location).pathname : location);
}
