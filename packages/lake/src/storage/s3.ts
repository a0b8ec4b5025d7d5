import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { LakeStorageError } from '../errors.js';

type S3Sdk = typeof import('@aws-sdk/client-s3');
let sdkModule: Promise<S3Sdk> | undefined;

// The SDK is loaded on first use, so that folder lakes (and the CLI's start-up) never pay
// for it.
function sdk(): Promise<S3Sdk> {
  sdkModule ??= import('@aws-sdk/client-s3');
  return sdkModule;
}

import type { LakeStorage, StoredObject } from './types.js';

/** Options of {@link createS3Client}. */
export interface S3ClientOptions {
  /**
   * Endpoint of an S3-compatible server, e.g. `http://127.0.0.1:4569`.
   * @default the SDK's (AWS, or `AWS_ENDPOINT_URL_S3` when set)
   */
  endpoint?: string;
  /**
   * Path-style addressing (`http://host/bucket/key`), as local S3 servers need.
   * @default true when `endpoint` is given, else false
   */
  forcePathStyle?: boolean;
  /**
   * Region.
   * @default the SDK's (`AWS_REGION`…), else `us-east-1`
   */
  region?: string;
  /** Credentials, for local servers that take any. @default the SDK's provider chain */
  credentials?: S3ClientConfig['credentials'];
}

/**
 * An S3 client for the lake: checksums only where S3 requires them (S3-compatible servers
 * reject the newer default checksum headers).
 */
export async function createS3Client(options: S3ClientOptions = {}): Promise<S3Client> {
  const { S3Client } = await sdk();
  return new S3Client({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(options.credentials ? { credentials: options.credentials } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Splits `s3://bucket/prefix` into bucket and key prefix (without a trailing slash). */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!m?.[1]) throw new LakeStorageError(`not an S3 URI (s3://bucket/prefix): '${uri}'`);
  return { bucket: m[1], prefix: (m[2] ?? '').replace(/\/+$/, '') };
}

function wrap(what: string, cause: unknown): LakeStorageError {
  const e = cause as { name?: string; message?: string };
  return new LakeStorageError(`${what}: ${e.name ?? 'Error'}: ${e.message ?? String(cause)}`, {
    cause,
  });
}

/** A lake under an S3 prefix. PutObject is atomic, so objects are written directly. */
export class S3Storage implements LakeStorage {
  readonly uri: string;
  readonly localRoot = undefined;
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: Promise<S3Client>;

  constructor(uri: string, client: S3Client | Promise<S3Client>) {
    this.uri = uri;
    const { bucket, prefix } = parseS3Uri(uri);
    this.bucket = bucket;
    this.prefix = prefix;
    this.client = Promise.resolve(client);
  }

  private keyOf(key: string): string {
    return this.prefix === '' ? key : `${this.prefix}/${key}`;
  }

  private async sdk(): Promise<[S3Client, S3Sdk]> {
    return Promise.all([this.client, sdk()]);
  }

  async putFile(key: string, path: string): Promise<void> {
    try {
      const [client, s3] = await this.sdk();
      const { size } = await stat(path);
      await client.send(
        new s3.PutObjectCommand({
          Bucket: this.bucket,
          Key: this.keyOf(key),
          Body: createReadStream(path),
          ContentLength: size,
        }),
      );
    } catch (cause) {
      throw wrap(`cannot upload s3://${this.bucket}/${this.keyOf(key)}`, cause);
    }
  }

  async putBytes(key: string, bytes: Uint8Array | string): Promise<void> {
    try {
      const [client, s3] = await this.sdk();
      await client.send(
        new s3.PutObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key), Body: bytes }),
      );
    } catch (cause) {
      throw wrap(`cannot write s3://${this.bucket}/${this.keyOf(key)}`, cause);
    }
  }

  async getBytes(key: string): Promise<Uint8Array | undefined> {
    try {
      const [client, s3] = await this.sdk();
      const out = await client.send(
        new s3.GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }),
      );
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    } catch (cause) {
      const name = (cause as { name?: string }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return undefined;
      throw wrap(`cannot read s3://${this.bucket}/${this.keyOf(key)}`, cause);
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    const base = this.prefix === '' ? '' : `${this.prefix}/`;
    let token: string | undefined;
    try {
      const [client, s3] = await this.sdk();
      do {
        const page = await client.send(
          new s3.ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: base + prefix,
            ContinuationToken: token,
          }),
        );
        for (const o of page.Contents ?? [])
          if (o.Key !== undefined)
            out.push({
              key: o.Key.slice(base.length),
              size: o.Size ?? 0,
              ...(o.ETag ? { etag: o.ETag } : {}),
            });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (cause) {
      throw wrap(`cannot list s3://${this.bucket}/${base}${prefix}`, cause);
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    try {
      const [client, s3] = await this.sdk();
      await client.send(new s3.DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
    } catch (cause) {
      throw wrap(`cannot delete s3://${this.bucket}/${this.keyOf(key)}`, cause);
    }
  }

  async download(key: string, path: string): Promise<void> {
    try {
      const [client, s3] = await this.sdk();
      const out = await client.send(
        new s3.GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }),
      );
      await mkdir(dirname(path), { recursive: true });
      await pipeline(out.Body as Readable, createWriteStream(path));
    } catch (cause) {
      throw wrap(`cannot download s3://${this.bucket}/${this.keyOf(key)}`, cause);
    }
  }

  /** Opens an object for reading (for ingesting S3 inputs); also returns its ETag. */
  async open(
    key: string,
  ): Promise<{ body: AsyncIterable<Uint8Array>; etag: string; size: number }> {
    try {
      const [client, s3] = await this.sdk();
      const out = await client.send(
        new s3.GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }),
      );
      return { body: out.Body as Readable, etag: out.ETag ?? '', size: out.ContentLength ?? 0 };
    } catch (cause) {
      throw wrap(`cannot read s3://${this.bucket}/${this.keyOf(key)}`, cause);
    }
  }
}
