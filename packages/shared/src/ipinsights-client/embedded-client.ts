import { type IpInsightsModel, loadModel } from '@lakewatch/ipinsights';
import type { IpInsightsClient, PairToScore, ScoredPairDetail, ScoreOutcome } from './types.js';
import { assertScorable, scoreTolerantly } from './validate.js';

function columns(pairs: readonly PairToScore[]): { entities: string[]; ips: string[] } {
  const entities = new Array<string>(pairs.length);
  const ips = new Array<string>(pairs.length);
  for (let i = 0; i < pairs.length; i++) {
    entities[i] = pairs[i]!.entity;
    ips[i] = pairs[i]!.ip;
  }
  return { entities, ips };
}

/**
 * Scores with the model in this process (`@lakewatch/ipinsights`): no endpoint, no network.
 * `setModel` / `reload` swap in a new model version; a call already running finishes on the
 * model it started with.
 * @example
 * const client = await EmbeddedIpInsightsClient.fromArtifact('model/');
 * const dots = await client.score(pairs);
 */
export class EmbeddedIpInsightsClient implements IpInsightsClient {
  readonly kind = 'embedded' as const;
  #model: IpInsightsModel;

  constructor(model: IpInsightsModel) {
    this.#model = model;
  }

  /** Loads the artifact at `path` (see `loadModel`) and wraps it. */
  static async fromArtifact(path: string): Promise<EmbeddedIpInsightsClient> {
    return new EmbeddedIpInsightsClient(await loadModel(path));
  }

  /** The live model: its `version`, `threshold` and `calibration` judge the scores. */
  get model(): IpInsightsModel {
    return this.#model;
  }

  /** Makes `model` the live model. */
  setModel(model: IpInsightsModel): void {
    this.#model = model;
  }

  /** Loads the artifact at `path` and makes it live; on failure the old model stays. */
  async reload(path: string): Promise<IpInsightsModel> {
    const model = await loadModel(path);
    this.#model = model;
    return model;
  }

  async score(pairs: readonly PairToScore[]): Promise<number[]> {
    assertScorable(pairs);
    const { entities, ips } = columns(pairs);
    return Array.from(this.#model.score(entities, ips));
  }

  async scoreVerbose(pairs: readonly PairToScore[]): Promise<ScoredPairDetail[]> {
    assertScorable(pairs);
    const model = this.#model;
    const { entities, ips } = columns(pairs);
    const dots = model.score(entities, ips);
    return pairs.map((p, i) => ({
      dotProduct: dots[i]!,
      entityEmbedding: Array.from(model.entityEmbedding(p.entity)),
      ipEmbedding: Array.from(model.ipEmbedding(p.ip)),
    }));
  }

  scoreAll(pairs: readonly PairToScore[]): Promise<ScoreOutcome> {
    return scoreTolerantly(pairs, (good) => this.score(good));
  }
}
