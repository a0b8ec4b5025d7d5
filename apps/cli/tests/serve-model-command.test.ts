import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { saveModel, train } from '@lakewatch/ipinsights';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const REPO_ROOT = join(import.meta.dirname, '../../..');

/** Starts `lakewatch serve-model` as a real process and reads the URL it prints. */
async function serve(args: string[]) {
  const child = spawn(
    'node',
    ['apps/cli/bin/lakewatch.js', 'serve-model', '--port', '0', ...args],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^serving .* at (http:\/\/\S+)$/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`serve-model exited ${code}`)));
  });
  const stop = () =>
    new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGINT');
    });
  return { url, stop };
}

/** InvokeEndpoint as the SDK sends it (the SDK itself is exercised in @lakewatch/model-serving). */
function invoke(url: string, endpoint: string, body: string) {
  return fetch(`${url}/endpoints/${endpoint}/invocations`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', accept: 'application/json' },
    body,
  });
}

describe('Command: lakewatch serve-model', () => {
  let artifact: string;
  const entities = Array.from({ length: 300 }, (_, i) => `user_${i % 30}`);
  const ips = entities.map((_, i) => `10.${i % 30}.0.${i % 7}`);

  beforeAll(async () => {
    execFileSync('npx', ['tsc', '-b', 'apps/cli'], { cwd: REPO_ROOT, stdio: 'inherit' });
    const { model } = await train(
      { entities, ips },
      { num_entity_vectors: 100, vector_dim: 8, epochs: 1, mini_batch_size: 100 },
      { threads: 1, ipHashBuckets: 256 },
    );
    artifact = join(await mkdtemp(join(tmpdir(), 'lakewatch-serve-')), 'model');
    await saveModel(model, artifact);
  }, 120_000);

  it('serves the artifact as a SageMaker endpoint on 127.0.0.1 and stops on Ctrl-C', async () => {
    // Prepare
    const server = await serve(['--model', artifact, '--endpoint-name', 'ipinsights']);

    // Act
    const out = await invoke(server.url, 'ipinsights', 'user_1,10.1.0.1\nuser_2,10.2.0.2\n');
    const unknown = await invoke(server.url, 'other', 'user_1,10.1.0.1\n');
    const code = await server.stop();

    // Assess
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(out.status).toBe(200);
    const body = (await out.json()) as { predictions: { dot_product: number }[] };
    expect(body.predictions.map((p) => typeof p.dot_product)).toEqual(['number', 'number']);
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('ValidationError');
    expect(code).toBe(0);
  });

  it('answers ModelNotReadyException while the artifact is missing', async () => {
    // Prepare
    const server = await serve(['--model', join(artifact, 'not-there')]);

    // Act
    const answer = await invoke(server.url, 'e', 'u,1.2.3.4');
    await server.stop();

    // Assess
    expect(answer.status).toBe(429);
    expect(answer.headers.get('x-amzn-errortype')).toBe('ModelNotReadyException');
  });

  it('refuses a bad port as a usage error', async () => {
    // Act
    const result = await runCli('serve-model', '--model', artifact, '--port', 'eighty');

    // Assess
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      "--port must be a port number 0–65535 (0 = any free port), got 'eighty'",
    );
  });
});
