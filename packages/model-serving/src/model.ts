/**
 * What the server needs of a model: the scoring surface of `@lakewatch/ipinsights`'s
 * `IpInsightsModel`. Declared structurally so that the server takes any loader (the engine's
 * `loadModel`, or a model built in memory) and the protocol layer stays independent of the
 * engine's internals.
 */
export interface ServableModel {
  /** The artifact's version, echoed in `/ping` and logs. */
  readonly version: string;
  /** The calibrated threshold on the dot product, when the artifact carries one. */
  readonly threshold?: number;
  /** Dot products of the pairs `(entities[i], ips[i])`; throws naming a bad IP. */
  score(entities: readonly string[], ips: readonly string[], out?: Float32Array): Float32Array;
  /** The entity's embedding (for `;verbose=True`). */
  entityEmbedding(entity: string): Float32Array;
  /** The IP's embedding (for `;verbose=True`). */
  ipEmbedding(ip: string): Float32Array;
}

/** Loads a model artifact from a path (the engine's `loadModel`). */
export type ModelLoader = (path: string) => Promise<ServableModel>;
