import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '@lakewatch/lake';
import { awsCall, parseS3 } from './aws.js';

/** Options of {@link uploadArtifact}. */
export interface UploadArtifactOptions {
  /** @default the SDK's (AWS_REGION…), else us-east-1 */
  region?: string;
  /** S3-compatible endpoint. @default AWS S3 */
  endpoint?: string;
}

/**
 * Uploads a saved model artifact (`manifest.json` + `weights.bin`) under an S3 prefix, where
 * the score service's embedded mode loads it (`SCORE_MODEL_PATH=s3://…`). The weights go first and
 * the manifest last, so a reader never finds a manifest without its weights.
 */
export async function uploadArtifact(
  dir: string,
  uri: string,
  o: UploadArtifactOptions = {},
): Promise<{ uri: string; objects: string[]; bytes: number }> {
  const { bucket, key } = parseS3(uri, '--upload');
  const prefix = key.replace(/\/+$/, '');
  const s3 = await createS3Client({
    ...(o.region ? { region: o.region } : {}),
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
  });
  const objects: string[] = [];
  let bytes = 0;
  try {
    for (const [name, type] of [
      ['weights.bin', 'application/octet-stream'],
      ['manifest.json', 'application/json'],
    ] as const) {
      const body = await readFile(join(dir, name));
      const objectKey = prefix ? `${prefix}/${name}` : name;
      await awsCall(`s3 PutObject s3://${bucket}/${objectKey}`, () =>
        s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: objectKey, Body: body, ContentType: type }),
        ),
      );
      objects.push(`s3://${bucket}/${objectKey}`);
      bytes += body.length;
    }
  } finally {
    s3.destroy();
  }
  return { uri: `s3://${bucket}/${prefix}`, objects, bytes };
}
