import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type IpInsightsModel, loadModel } from '@lakewatch/ipinsights';
import { EmbeddedIpInsightsClient, type IpInsightsClient } from '@lakewatch/shared';
import { ModelLoadError } from './errors.js';

/** A model version with the threshold that judges its scores. */
export interface Judge {
  readonly version: string;
  /** Pairs whose dot product is below this are anomalous. */
  readonly threshold: number;
  readonly client: IpInsightsClient;
  readonly artifactUri?: string;
  readonly endpoint?: string;
  /**
   * 0 (typical) to 1 (unusual) for humans: from the model's calibration (the fraction of
   * normal calibration pairs scoring higher), else `1 − σ(dot)`, the model's own probability
   * that the pair is not a real one (IP Insights trains σ(dot) as that probability).
   */
  anomalyScore(dot: number): number;
}

function sigmoidAnomaly(dot: number): number {
  return 1 / (1 + Math.exp(dot));
}

/** The anomaly score function a model offers (its calibration) or the sigmoid fallback. */
export function anomalyScorer(model?: IpInsightsModel): (dot: number) => number {
  const calibrated = model?.anomalyScore?.bind(model);
  return (dot) => Math.min(1, Math.max(0, calibrated ? calibrated(dot) : sigmoidAnomaly(dot)));
}

/** Options of {@link loadEmbeddedJudge}. */
export interface LoadJudgeOptions {
  /** Overrides the model's calibrated threshold (and the published one). */
  threshold?: number;
  /** Expected SHA-256 of the artifact's `weights.bin`, as `ModelPublished` carries it. */
  sha256?: string;
  /** For `s3://` artifacts. */
  s3?: S3Client;
}

async function fetchS3Artifact(uri: string, s3: S3Client | undefined): Promise<string> {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new ModelLoadError(`not an s3:// URI: ${uri}`);
  if (!s3) throw new ModelLoadError(`cannot load ${uri}: no S3 client configured`);
  const [, bucket, prefix = ''] = m;
  const dir = await mkdtemp(join(tmpdir(), 'lakewatch-model-'));
  await mkdir(dir, { recursive: true });
  for (const name of ['manifest.json', 'weights.bin']) {
    const key = prefix ? `${prefix.replace(/\/$/, '')}/${name}` : name;
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      await writeFile(join(dir, name), await out.Body!.transformToByteArray());
    } catch (cause) {
      throw new ModelLoadError(`cannot fetch s3://${bucket}/${key}: ${(cause as Error).message}`, {
        cause,
      });
    }
  }
  return dir;
}

/** Resolves a model location (a path, `file://` or `s3://` URI) to a local artifact directory. */
export async function localArtifact(uri: string, s3?: S3Client): Promise<string> {
  if (uri.startsWith('s3://')) return fetchS3Artifact(uri, s3);
  if (uri.startsWith('file://')) return fileURLToPath(uri);
  return uri;
}

/**
 * Loads a model artifact into an embedded judge, checking the published checksum of its
 * weights when one is given.
 * @throws ModelLoadError naming the artifact when it cannot be loaded, has no threshold, or
 *   does not match `sha256`.
 */
export async function loadEmbeddedJudge(
  uri: string,
  options: LoadJudgeOptions = {},
): Promise<Judge> {
  const dir = await localArtifact(uri, options.s3);
  if (options.sha256) {
    const actual = createHash('sha256')
      .update(await readFile(join(dir, 'weights.bin')).catch(() => Buffer.alloc(0)))
      .digest('hex');
    if (actual !== options.sha256) {
      throw new ModelLoadError(
        `model at ${uri}: weights SHA-256 is ${actual}, but ${options.sha256} was published`,
      );
    }
  }
  let model: IpInsightsModel;
  try {
    model = await loadModel(dir);
  } catch (cause) {
    throw new ModelLoadError(`cannot load model at ${uri}: ${(cause as Error).message}`, { cause });
  }
  const threshold = options.threshold ?? model.threshold;
  if (threshold === undefined) {
    throw new ModelLoadError(
      `model ${model.version} at ${uri} is not calibrated and no threshold was given`,
    );
  }
  return {
    version: model.version,
    threshold,
    client: new EmbeddedIpInsightsClient(model),
    artifactUri: uri,
    anomalyScore: anomalyScorer(model),
  };
}

/** SHA-256 of an artifact's weights, as `ModelPublished.model.sha256` carries it. */
export async function weightsSha256(artifactDir: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(join(artifactDir, 'weights.bin')))
    .digest('hex');
}
