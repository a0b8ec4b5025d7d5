import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '@lakewatch/lake';
import S3rver from 's3rver';

/** A real S3-compatible server (s3rver) on 127.0.0.1 with one bucket, and a client for it. */
export interface LocalS3 {
  endpoint: string;
  bucket: string;
  client: S3Client;
  put(key: string, body: string | Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * Starts s3rver. The CLI's S3 clients sign with the SDK's credential chain, so the process
 * gets s3rver's fixed keys in the environment.
 */
export async function startLocalS3(bucket = 'lakewatch-test'): Promise<LocalS3> {
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  const dir = await mkdtemp(join(tmpdir(), 'lakewatch-cli-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: join(dir, 's3rver'),
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = await createS3Client({ endpoint, region: 'us-east-1' });
  return {
    endpoint,
    bucket,
    client,
    async put(key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async get(key) {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await out.Body?.transformToByteArray()) ?? new Uint8Array();
    },
    async close() {
      client.destroy();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
