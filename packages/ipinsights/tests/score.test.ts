import { beforeAll, describe, expect, it } from 'vitest';
import { IpAddressError, type IpInsightsModel, train } from '../src/index.js';
import { SMALL, syntheticPairs } from './helpers.js';

describe('Function: IpInsightsModel.score', () => {
  const data = syntheticPairs(40, 10);
  let model: IpInsightsModel;

  beforeAll(async () => {
    ({ model } = await train(
      data.train,
      { ...SMALL, epochs: 1 },
      { threads: 1, ipHashBuckets: 1024 },
    ));
  });

  it('equals the dot product of the verbose embeddings', () => {
    // Act
    const [dot] = model.score(['user_3'], ['10.20.30.40']);
    const e = model.entityEmbedding('user_3');
    const ip = model.ipEmbedding('10.20.30.40');

    // Assess
    let expected = 0;
    for (let k = 0; k < e.length; k++) expected += e[k]! * ip[k]!;
    expect(dot).toBeCloseTo(expected, 4);
  });

  it('writes into a caller-provided array and accepts IPv4-mapped IPv6', () => {
    const out = new Float32Array(3);
    const result = model.score(['a', 'b', 'c'], ['1.2.3.4', '::ffff:1.2.3.4', '5.6.7.8'], out);
    expect(result).toBe(out);
    expect(out[0]).toBe(model.score(['a'], ['1.2.3.4'])[0]);
    expect(model.score(['b'], ['::ffff:1.2.3.4'])[0]).toBe(model.score(['b'], ['1.2.3.4'])[0]);
  });

  it('names the bad IP and its position', () => {
    expect(() => model.score(['a', 'b'], ['1.2.3.4', '1.2.3.256'])).toThrow(
      "pair 1: not a valid IPv4 address: '1.2.3.256'",
    );
    expect(() => model.score(['a'], ['2001:db8::1'])).toThrow(IpAddressError);
  });

  it('has no anomaly score before calibration', () => {
    expect(model.threshold).toBeUndefined();
    expect(model.anomalyScore?.(0)).toBeNaN();
  });
});
