import { request } from 'node:http';
import { join } from 'node:path';
import { InvokeEndpointCommand, ValidationError } from '@aws-sdk/client-sagemaker-runtime';
import { type IpInsightsModel, saveModel } from '@lakewatch/ipinsights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/index.js';
import {
  type ServerProcess,
  sdkClient,
  smallModel,
  startServerProcess,
  syntheticPairs,
  tempDir,
} from './process.js';

const { entities, ips } = syntheticPairs();
const body = entities
  .slice(0, 200)
  .map((e, i) => `${e},${ips[i]}`)
  .join('\n');

function dots(out: { Body?: Uint8Array }): number[] {
  return (
    JSON.parse(Buffer.from(out.Body ?? []).toString()) as { predictions: { dot_product: number }[] }
  ).predictions.map((p) => p.dot_product);
}

describe('Function: main (the model-server process)', () => {
  let a: IpInsightsModel;
  let b: IpInsightsModel;
  let path: string;
  let server: ServerProcess;

  beforeAll(async () => {
    [a, b] = [await smallModel(1), await smallModel(2)];
    path = join(await tempDir(), 'model');
    await saveModel(a, path);
    server = await startServerProcess(['--model', path, '--endpoint-name', 'lakewatch']);
  });
  afterAll(() => server.stop());

  it('serves the artifact over the SageMaker Runtime API on 127.0.0.1', async () => {
    // Act
    const out = await sdkClient(server.url).send(
      new InvokeEndpointCommand({ EndpointName: 'lakewatch', ContentType: 'text/csv', Body: body }),
    );
    const other = await sdkClient(server.url)
      .send(new InvokeEndpointCommand({ EndpointName: 'x', ContentType: 'text/csv', Body: body }))
      .catch((e: unknown) => e);

    // Assess
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(dots(out)).toEqual(Array.from(a.score(entities.slice(0, 200), ips.slice(0, 200))));
    expect(other).toBeInstanceOf(ValidationError);
  });

  it('swaps model versions under load (artifact rewrite, then SIGHUP) without a failed request', async () => {
    // Prepare
    const sdk = sdkClient(server.url);
    const want = new Map([
      [a.version, JSON.stringify(Array.from(a.score(entities.slice(0, 200), ips.slice(0, 200))))],
      [b.version, JSON.stringify(Array.from(b.score(entities.slice(0, 200), ips.slice(0, 200))))],
    ]);
    const seen = new Map<string, number>();
    const failures: unknown[] = [];
    let running = true;
    const loop = async () => {
      while (running) {
        try {
          const out = await sdk.send(
            new InvokeEndpointCommand({
              EndpointName: 'lakewatch',
              ContentType: 'text/csv',
              Body: body,
            }),
          );
          const got = JSON.stringify(dots(out));
          const version = [...want].find(([, d]) => d === got)?.[0] ?? 'neither model';
          seen.set(version, (seen.get(version) ?? 0) + 1);
        } catch (e) {
          failures.push(e);
        }
      }
    };
    const version = async () =>
      ((await (await fetch(`${server.url}/ping`)).json()) as { modelVersion: string }).modelVersion;

    // Act: 6 clients; B is written over A (the watcher reloads), then A again with SIGHUP.
    const loops = Array.from({ length: 6 }, loop);
    await new Promise((r) => setTimeout(r, 300));
    await saveModel(b, path);
    await expect.poll(version, { timeout: 5000, interval: 50 }).toBe(b.version);
    await new Promise((r) => setTimeout(r, 300));
    await saveModel(a, path);
    server.child.kill('SIGHUP');
    await expect.poll(version, { timeout: 5000, interval: 50 }).toBe(a.version);
    await new Promise((r) => setTimeout(r, 300));
    running = false;
    await Promise.all(loops);

    // Assess
    expect(failures).toEqual([]);
    expect(seen.get('neither model')).toBeUndefined();
    expect(seen.get(a.version)).toBeGreaterThan(10);
    expect(seen.get(b.version)).toBeGreaterThan(10);
    expect(server.logs.filter((l) => l.msg === 'model loaded').length).toBeGreaterThanOrEqual(3);
  });

  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    // Prepare
    const other = await startServerProcess(['--model', path]);
    const payload = Buffer.from(`${body}\n`.repeat(100));
    const half = payload.length >> 1;
    const { hostname, port } = new URL(other.url);

    // Act: half the body is sent, then SIGTERM, then the rest.
    let answer = '';
    let code: Promise<number | null> = Promise.resolve(null);
    const done = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          hostname,
          port,
          method: 'POST',
          path: '/endpoints/any/invocations',
          headers: { 'content-type': 'text/csv', 'content-length': payload.length },
        },
        (res) => {
          res.on('data', (d: Buffer) => {
            answer += d.toString();
          });
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write(payload.subarray(0, half));
      setTimeout(() => {
        code = other.stop();
        setTimeout(() => req.end(payload.subarray(half)), 200);
      }, 300);
    });
    const status = await done;

    // Assess
    expect(status).toBe(200);
    expect(JSON.parse(answer).predictions).toHaveLength(200 * 100);
    expect(await code).toBe(0);
    expect(other.logs.at(-1)?.msg).toBe('closed');
  });
});

describe('Function: readConfig', () => {
  it('takes flags over the environment and defaults to 127.0.0.1:8080', () => {
    // Act
    const fromEnv = readConfig([], { LAKEWATCH_MODEL_PATH: '/m', LAKEWATCH_MODEL_WATCH: 'false' });
    const fromFlags = readConfig(['--model', '/n', '--port', '9000'], {
      LAKEWATCH_MODEL_PATH: '/m',
    });

    // Assess
    expect(fromEnv).toEqual({
      modelPath: '/m',
      port: 8080,
      host: '127.0.0.1',
      watch: false,
      logLevel: 'info',
    });
    expect(fromFlags.modelPath).toBe('/n');
    expect(fromFlags.port).toBe(9000);
  });

  it('names a missing model and a bad port', () => {
    // Act
    const noModel = () => readConfig([], {});
    const badPort = () => readConfig(['--model', '/m', '--port', 'http']);

    // Assess
    expect(noModel).toThrow('no model: pass --model DIR or set LAKEWATCH_MODEL_PATH');
    expect(badPort).toThrow("--port must be a port number 0–65535, got 'http'");
  });
});
