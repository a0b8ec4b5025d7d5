import type { ResponseSpec } from './content-types.js';
import type { ServableModel } from './model.js';
import type { PairBatch } from './parse-request.js';

// Every float32 widens to a double exactly, and String(double) round-trips, so a client that
// parses these numbers gets the very values the model computed (no rounding on the wire).
function num(x: number): string {
  return Number.isFinite(x) ? String(x) : 'null';
}

function vector(v: Float32Array): string {
  let s = '[';
  for (let i = 0; i < v.length; i++) s += i === 0 ? num(v[i]!) : `,${num(v[i]!)}`;
  return `${s}]`;
}

function prediction(
  dots: Float32Array,
  i: number,
  batch: PairBatch,
  model: ServableModel,
  verbose: boolean,
): string {
  if (!verbose) return `{"dot_product":${num(dots[i]!)}}`;
  return (
    `{"dot_product":${num(dots[i]!)},` +
    `"entity_embedding":${vector(model.entityEmbedding(batch.entities[i]!))},` +
    `"ip_embedding":${vector(model.ipEmbedding(batch.ips[i]!))}}`
  );
}

/**
 * Serializes dot products as IP Insights answers: `application/json`
 * `{"predictions": [{"dot_product": …}, …]}` or `application/jsonlines`, one
 * `{"dot_product": …}` per line; with `verbose`, each prediction adds `entity_embedding`
 * and `ip_embedding`.
 */
export function formatPredictions(
  dots: Float32Array,
  batch: PairBatch,
  model: ServableModel,
  spec: ResponseSpec,
): string {
  const n = batch.entities.length;
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) parts[i] = prediction(dots, i, batch, model, spec.verbose);
  return spec.format === 'json' ? `{"predictions":[${parts.join(',')}]}` : `${parts.join('\n')}\n`;
}
