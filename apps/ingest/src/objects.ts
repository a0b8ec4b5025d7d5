import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ObjectRef } from '@lakewatch/contracts';
import { type createS3Client, S3Storage } from '@lakewatch/lake';
import { ObjectReadError } from './errors.js';

/** The S3 client of the lake package. */
export type S3Client = Awaited<ReturnType<typeof createS3Client>>;

/** Where a log object is, as a trigger names it. */
export interface ObjectLocation {
  /** `s3://bucket/key` (key not URL-encoded), `file:///path`, or a local path. */
  uri: string;
  /** The version the trigger reported (S3 ETag), when it did. */
  etag?: string;
  size?: number;
}

/** An object opened for reading: its reference (URI, etag, size) and its bytes. */
export interface OpenedObject {
  ref: ObjectRef;
  body: AsyncIterable<Uint8Array>;
  /** Releases the body when it will not be read. */
  discard(): void;
}

/** Opens log objects for the ingest (S3 or local files). */
export type ObjectOpener = (location: ObjectLocation) => Promise<OpenedObject>;

/** S3 ETags come quoted (`"abc…"`); notifications carry them bare. */
export function normalizeEtag(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

/** The canonical URI of a location: `s3://…` as given, local paths as absolute `file://` URLs. */
export function canonicalUri(uri: string): string {
  if (uri.startsWith('s3://')) return uri;
  if (uri.startsWith('file://')) return pathToFileURL(fileURLToPath(uri)).href;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri))
    throw new ObjectReadError(
      uri,
      'only s3:// and file:// objects (or local paths) can be ingested',
    );
  return pathToFileURL(isAbsolute(uri) ? uri : resolve(uri)).href;
}

async function md5Of(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Options of {@link createObjectOpener}. */
export interface ObjectOpenerOptions {
  /** The S3 client for `s3://` objects, created on first use. */
  s3Client: () => Promise<S3Client>;
}

/**
 * Opens `s3://` objects with GetObject (the etag is the one S3 returns: the version actually
 * read) and local files (the etag is the MD5 of the content, as S3 gives for a single-part
 * upload, so landing the same bytes again is recognized as the same object).
 * @throws ObjectReadError naming the object when it cannot be read.
 */
export function createObjectOpener(options: ObjectOpenerOptions): ObjectOpener {
  return async (location) => {
    const uri = canonicalUri(location.uri);
    if (uri.startsWith('s3://')) {
      const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
      if (!m?.[1] || !m[2])
        throw new ObjectReadError(uri, 'an S3 object URI needs a bucket and a key');
      try {
        const storage = new S3Storage(`s3://${m[1]}`, options.s3Client());
        const out = await storage.open(m[2]);
        const etag = normalizeEtag(out.etag) || location.etag || `${out.size}`;
        const body = out.body;
        return {
          ref: { uri, etag, size: out.size },
          body,
          discard: () => (body as Readable).destroy?.(),
        };
      } catch (cause) {
        throw new ObjectReadError(uri, (cause as Error).message, { cause });
      }
    }
    const path = fileURLToPath(uri);
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new Error('not a regular file');
      const etag = await md5Of(path);
      const body = createReadStream(path);
      return { ref: { uri, etag, size: info.size }, body, discard: () => body.destroy() };
    } catch (cause) {
      throw new ObjectReadError(uri, `cannot read the file: ${(cause as Error).message}`, {
        cause,
      });
    }
  };
}
