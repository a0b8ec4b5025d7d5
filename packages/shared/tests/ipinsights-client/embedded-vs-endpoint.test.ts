import { loadModel } from '@lakewatch/ipinsights';
import { createModelServer, type ModelServer } from '@lakewatch/model-serving';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EmbeddedIpInsightsClient,
  InvalidPairError,
  type PairToScore,
  SageMakerIpInsightsClient,
} from '../../src/index.js';
import { recordingSdk, testPairs, trainedModel, trainPairs } from './fixtures.js';

describe('Class: IpInsightsClient (embedded and SageMaker endpoint, same model)', () => {
  let server: ModelServer;
  let embedded: EmbeddedIpInsightsClient;
  let url: string;

  beforeAll(async () => {
    const { path } = await trainedModel();
    embedded = await EmbeddedIpInsightsClient.fromArtifact(path);
    server = createModelServer({ modelPath: path, loadModel, watch: false });
    url = await server.listen();
  });
  afterAll(() => server.close());

  it('gives identical dot products through the real server and SDK as in process', async () => {
    // Prepare
    const { sdk, bodies } = recordingSdk(url);
    const endpoint = new SageMakerIpInsightsClient({ endpointName: 'ipinsights', sdk });
    const pairs = [...testPairs, ...trainPairs];

    // Act
    const inProcess = await embedded.score(pairs);
    const overHttp = await endpoint.score(pairs);

    // Assess
    expect(overHttp).toHaveLength(pairs.length);
    expect(overHttp).toEqual(inProcess);
    // not trivially equal: the model separates pairs (pairs of one entity in one /16 share a
    // dot product with the default /8 + /16 encoder, so not every value is distinct)
    expect(new Set(inProcess).size).toBeGreaterThan(pairs.length / 4);
    expect(bodies).toHaveLength(1);
  });

  it('gives identical embeddings with scoreVerbose', async () => {
    // Prepare
    const { sdk } = recordingSdk(url);
    const endpoint = new SageMakerIpInsightsClient({ endpointName: 'ipinsights', sdk });
    const pairs = testPairs.slice(0, 20);

    // Act
    const inProcess = await embedded.scoreVerbose(pairs);
    const overHttp = await endpoint.scoreVerbose(pairs);

    // Assess
    expect(overHttp).toEqual(inProcess);
    expect(overHttp[0]?.entityEmbedding).toHaveLength(16);
    expect(overHttp[0]?.ipEmbedding).toHaveLength(16);
  });

  it('splits a batch into requests under the byte and pair limits and keeps input order', async () => {
    // Prepare
    const { sdk, bodies } = recordingSdk(url);
    const endpoint = new SageMakerIpInsightsClient({
      endpointName: 'ipinsights',
      sdk,
      maxRequestBytes: 8 * 1024,
      maxPairsPerRequest: 300,
      concurrency: 3,
    });

    // Act
    const dots = await endpoint.score(trainPairs);

    // Assess
    expect(dots).toEqual(await embedded.score(trainPairs));
    expect(bodies.length).toBeGreaterThanOrEqual(Math.ceil(trainPairs.length / 300));
    for (const body of bodies) {
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(8 * 1024);
      expect(body.trim().split('\n').length).toBeLessThanOrEqual(300);
    }
  });

  it('sends entities CSV cannot carry (commas, outer spaces) as JSON, unchanged', async () => {
    // Prepare
    const { sdk, bodies } = recordingSdk(url);
    const endpoint = new SageMakerIpInsightsClient({ endpointName: 'ipinsights', sdk });
    const pairs: PairToScore[] = [
      { entity: 'CN=svc, OU=ops', ip: '10.0.0.1' },
      { entity: ' padded ', ip: '10.0.0.2' },
      { entity: 'user_851', ip: '78.113.186.57' },
    ];

    // Act
    const dots = await endpoint.score(pairs);

    // Assess
    expect(dots).toEqual(await embedded.score(pairs));
    expect(JSON.parse(bodies[0] ?? '')).toHaveProperty('instances');
  });

  it('refuses a batch with a bad pair before sending anything, naming it', async () => {
    // Prepare
    const { sdk, bodies } = recordingSdk(url);
    const endpoint = new SageMakerIpInsightsClient({ endpointName: 'ipinsights', sdk });
    const pairs = [testPairs[0]!, { entity: 'u1', ip: '10.0.0.300' }];

    // Act
    const viaEndpoint = await endpoint.score(pairs).catch((e: unknown) => e);
    const viaEmbedded = await embedded.score(pairs).catch((e: unknown) => e);

    // Assess
    for (const error of [viaEndpoint, viaEmbedded]) {
      expect(error).toBeInstanceOf(InvalidPairError);
      expect((error as Error).message).toBe("pair 1: '10.0.0.300' is not an IPv4 address");
    }
    expect(bodies).toHaveLength(0);
  });

  it('scoreAll keeps bad pairs with their reasons and scores the rest identically', async () => {
    // Prepare
    const { sdk } = recordingSdk(url);
    const endpoint = new SageMakerIpInsightsClient({ endpointName: 'ipinsights', sdk });
    const pairs: PairToScore[] = [
      testPairs[0]!,
      { entity: 'u1', ip: '2001:db8::1' },
      testPairs[1]!,
      { entity: '', ip: '10.0.0.1' },
    ];

    // Act
    const viaEndpoint = await endpoint.scoreAll(pairs);
    const viaEmbedded = await embedded.scoreAll(pairs);

    // Assess
    expect(viaEndpoint).toEqual(viaEmbedded);
    const [first, second] = await embedded.score([testPairs[0]!, testPairs[1]!]);
    expect(viaEndpoint.dotProducts).toEqual([first, null, second, null]);
    expect(viaEndpoint.rejected.map((r) => [r.index, r.reason])).toEqual([
      [1, "IPv6 address '2001:db8::1' is not supported: the model encodes IPv4 addresses"],
      [3, 'entity must be a non-empty string, got ""'],
    ]);
  });
});
