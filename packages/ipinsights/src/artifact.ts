import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { ArtifactError, HyperparameterError } from './errors.js';
import { type Hyperparameters, validateHyperparameters } from './hyperparameters.js';
import { parameterLayout } from './layout.js';
import { asEmbeddingModel, EmbeddingModel } from './model.js';
import type { CalibrationMetrics, EncoderSettings, IpInsightsModel } from './types.js';

/** The `format` field every Lakewatch IP Insights artifact carries. */
export const ARTIFACT_FORMAT = 'lakewatch-ipinsights-model';
/** The artifact format version this package writes (and the newest it reads). */
export const ARTIFACT_FORMAT_VERSION = 1;
const MANIFEST = 'manifest.json';
const WEIGHTS = 'weights.bin';

interface TensorEntry {
  name: string;
  offset: number;
  length: number;
  sha256: string;
}

interface Manifest {
  format: string;
  formatVersion: number;
  version: string;
  savedAt: string;
  hyperparameters: Hyperparameters;
  encoder: EncoderSettings & { entityHash: string; prefixHash: string };
  weights: { file: string; dtype: 'float32'; byteOrder: 'little'; floats: number; sha256: string };
  tensors: TensorEntry[];
  calibration: CalibrationMetrics | null;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function bytesOf(a: Float32Array, offset = 0, length = a.length - offset): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset + offset * 4, length * 4);
}

/** The content-derived model version of a parameter array. */
export function modelVersionOf(params: Float32Array): string {
  return `ipi-${sha256(bytesOf(params)).slice(0, 16)}`;
}

function tensorsOf(model: EmbeddingModel): TensorEntry[] {
  const l = model.layout;
  const d = l.vectorDim;
  const parts: Array<[string, number, number]> = [
    ['entity_embeddings', 0, l.numEntityVectors * d],
    ['ip_prefix_embeddings', l.base8 * d, (l.totalRows - l.base8) * d],
  ];
  for (let k = 0; k < l.numLayers; k++)
    parts.push([`ip_encoder_layer_${k}`, l.denseOffset + k * l.layerStride, l.layerStride]);
  return parts.map(([name, offset, length]) => ({
    name,
    offset,
    length,
    sha256: sha256(bytesOf(model.params, offset, length)),
  }));
}

/**
 * Writes `model` as a versioned artifact directory: `manifest.json` (format, version,
 * hyperparameters, encoder settings, checksums, calibration) and `weights.bin`
 * (little-endian float32). Files are written under temporary names and renamed, so a
 * reader never sees a half-written artifact.
 */
export async function saveModel(model: IpInsightsModel, path: string): Promise<void> {
  const m = asEmbeddingModel(model);
  if (endianness() !== 'LE') throw new ArtifactError(path, 'artifacts are little-endian only');
  await mkdir(path, { recursive: true });
  const weightsBytes = bytesOf(m.params);
  const manifest: Manifest = {
    format: ARTIFACT_FORMAT,
    formatVersion: ARTIFACT_FORMAT_VERSION,
    version: m.version,
    savedAt: new Date().toISOString(),
    hyperparameters: m.hyperparameters,
    encoder: { ...m.encoder, entityHash: 'fnv1a32+fmix32', prefixHash: 'fmix32-salted' },
    weights: {
      file: WEIGHTS,
      dtype: 'float32',
      byteOrder: 'little',
      floats: m.params.length,
      sha256: sha256(weightsBytes),
    },
    tensors: tensorsOf(m),
    calibration: m.calibration ?? null,
  };
  const suffix = `.tmp-${process.pid}-${Date.now()}`;
  await writeFile(join(path, WEIGHTS + suffix), weightsBytes);
  await writeFile(join(path, MANIFEST + suffix), `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(join(path, WEIGHTS + suffix), join(path, WEIGHTS));
  await rename(join(path, MANIFEST + suffix), join(path, MANIFEST));
}

async function readManifest(path: string): Promise<Manifest> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (cause) {
    throw new ArtifactError(path, 'model artifact not found', { cause });
  }
  if (!info.isDirectory())
    throw new ArtifactError(
      path,
      `not a model artifact directory (expected ${MANIFEST} and ${WEIGHTS} inside)`,
    );
  let text: string;
  try {
    text = await readFile(join(path, MANIFEST), 'utf8');
  } catch (cause) {
    throw new ArtifactError(path, `not a Lakewatch IP Insights model: no ${MANIFEST}`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new ArtifactError(path, `corrupt artifact: ${MANIFEST} is not valid JSON`, { cause });
  }
  const m = parsed as Partial<Manifest> | null;
  if (!m || typeof m !== 'object' || m.format !== ARTIFACT_FORMAT)
    throw new ArtifactError(
      path,
      `not a Lakewatch IP Insights model: ${MANIFEST} has format '${String(m?.format)}', expected '${ARTIFACT_FORMAT}'`,
    );
  if (m.formatVersion !== ARTIFACT_FORMAT_VERSION)
    throw new ArtifactError(
      path,
      `unsupported artifact format version ${String(m.formatVersion)} (this build reads version ${ARTIFACT_FORMAT_VERSION})`,
    );
  if (!m.weights || !m.encoder || !Array.isArray(m.tensors) || typeof m.version !== 'string')
    throw new ArtifactError(
      path,
      `corrupt artifact: ${MANIFEST} lacks weights, encoder, tensors or version`,
    );
  return m as Manifest;
}

/**
 * Loads an artifact written by {@link saveModel}, verifying format, version, sizes and
 * SHA-256 checksums.
 *
 * @throws {ArtifactError} on a missing, foreign, corrupt or unsupported artifact, naming
 * the path and what is wrong.
 */
export async function loadModel(path: string): Promise<IpInsightsModel> {
  const m = await readManifest(path);
  let hyperparameters: Hyperparameters;
  try {
    hyperparameters = validateHyperparameters(
      m.hyperparameters as unknown as Record<string, unknown>,
    );
  } catch (cause) {
    if (cause instanceof HyperparameterError)
      throw new ArtifactError(path, `corrupt artifact: ${cause.message}`, { cause });
    throw cause;
  }
  const buckets = m.encoder.ipHashBuckets;
  if (!Number.isInteger(buckets) || buckets < 1)
    throw new ArtifactError(
      path,
      `corrupt artifact: encoder.ipHashBuckets is '${String(buckets)}'`,
    );
  const layout = parameterLayout(
    hyperparameters.vector_dim,
    hyperparameters.num_entity_vectors,
    buckets,
    hyperparameters.num_ip_encoder_layers,
  );
  if (m.weights.floats !== layout.totalFloats)
    throw new ArtifactError(
      path,
      `corrupt artifact: manifest declares ${m.weights.floats} weights, the hyperparameters need ${layout.totalFloats}`,
    );
  let raw: Buffer;
  try {
    raw = await readFile(join(path, WEIGHTS));
  } catch (cause) {
    throw new ArtifactError(path, `corrupt artifact: cannot read ${WEIGHTS}`, { cause });
  }
  if (raw.byteLength !== layout.totalFloats * 4)
    throw new ArtifactError(
      path,
      `corrupt artifact: ${WEIGHTS} has ${raw.byteLength} bytes, expected ${layout.totalFloats * 4}`,
    );
  if (sha256(raw) !== m.weights.sha256) {
    const params = toFloat32(raw);
    const bad = m.tensors
      .filter((t) => sha256(bytesOf(params, t.offset, t.length)) !== t.sha256)
      .map((t) => t.name);
    throw new ArtifactError(
      path,
      `corrupt artifact: ${WEIGHTS} fails its SHA-256 checksum${bad.length ? ` (damaged: ${bad.join(', ')})` : ''}`,
    );
  }
  return new EmbeddingModel({
    version: m.version,
    hyperparameters,
    encoder: {
      ipHashBuckets: buckets,
      prefixLevels: Array.isArray(m.encoder.prefixLevels)
        ? m.encoder.prefixLevels
        : [8, 16, 24, 32],
    },
    params: toFloat32(raw),
    layout,
    ...(m.calibration ? { calibration: m.calibration } : {}),
  });
}

function toFloat32(raw: Buffer): Float32Array {
  if (raw.byteOffset % 4 === 0)
    return new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const copy = new Uint8Array(raw.byteLength);
  copy.set(raw);
  return new Float32Array(copy.buffer);
}
