import { mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import { describe, expect, it } from 'vitest';
import { createModelServer, ModelLoadError, ModelSlot, type ServableModel } from '../src/index.js';
import { FixedModel } from './fixtures/fixed-model.js';
import { dotsOf, sdkClient } from './fixtures/sdk.js';

/** Test loader: the artifact is a JSON file `{"version", "scale"}`; anything else fails. */
async function loadFixed(path: string): Promise<ServableModel> {
  const doc = JSON.parse(await readFile(path, 'utf8')) as { version: string; scale: number };
  return new FixedModel(doc.version, doc.scale);
}

async function artifactFile(version: string, scale: number): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'lakewatch-slot-')), 'model.json');
  await writeFile(path, JSON.stringify({ version, scale }));
  return path;
}

describe('Class: ModelSlot', () => {
  it('reloads when the artifact is rewritten or replaced by a rename', async () => {
    // Prepare
    const path = await artifactFile('v1', 1);
    const slot = new ModelSlot({ path, load: loadFixed, debounceMs: 20 });
    await slot.reload();
    slot.watch();
    try {
      // Act: write in place, then replace by rename.
      await writeFile(path, JSON.stringify({ version: 'v2', scale: 2 }));
      await expect.poll(() => slot.model?.version, { timeout: 3000 }).toBe('v2');
      await writeFile(`${path}.tmp`, JSON.stringify({ version: 'v3', scale: 3 }));
      await rename(`${path}.tmp`, path);

      // Assess
      await expect.poll(() => slot.model?.version, { timeout: 3000 }).toBe('v3');
    } finally {
      slot.close();
    }
  });

  it('keeps the live model when a new artifact fails to load, and reports why', async () => {
    // Prepare
    const path = await artifactFile('v1', 1);
    const failures: ModelLoadError[] = [];
    const slot = new ModelSlot({ path, load: loadFixed, onLoadFailed: (e) => failures.push(e) });
    await slot.reload();
    await writeFile(path, '{"version": "v2", "sca');

    // Act
    const error = await slot.reload().catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toContain(`cannot load model ${path}:`);
    expect(slot.model?.version).toBe('v1');
    expect(failures).toHaveLength(1);
  });

  it('shares one load between concurrent reloads and runs one more for calls made meanwhile', async () => {
    // Prepare
    let loads = 0;
    const slot = new ModelSlot({
      path: '/models/m',
      load: async () => {
        loads++;
        await new Promise((r) => setTimeout(r, 20));
        return new FixedModel(`v${loads}`);
      },
    });

    // Act
    const [a, b] = await Promise.all([slot.reload(), slot.reload()]);
    await expect.poll(() => slot.model?.version).toBe('v2');

    // Assess
    expect(a).toBe(b);
    expect(loads).toBe(2);
  });
});

describe('Function: createModelServer (hot swap under load)', () => {
  it('answers every request of a steady load while models are swapped, each from one model', async () => {
    // Prepare
    const models = [new FixedModel('a', 1), new FixedModel('b', 2), new FixedModel('c', 3)];
    const server = createModelServer({ model: models[0]! });
    const url = await server.listen();
    const sdk = sdkClient(url);
    const pairs = Array.from({ length: 500 }, (_, i) => `user_${i},10.0.${i >> 8}.${i & 255}`);
    const expected = models.map((m) =>
      JSON.stringify(
        Array.from(
          m.score(
            pairs.map((p) => p.split(',')[0]!),
            pairs.map((p) => p.split(',')[1]!),
          ),
        ),
      ),
    );
    const answers: string[] = [];
    const failures: unknown[] = [];
    let running = true;
    const client = async () => {
      while (running) {
        try {
          const out = await sdk.send(
            new InvokeEndpointCommand({
              EndpointName: 'e',
              ContentType: 'text/csv',
              Body: pairs.join('\n'),
            }),
          );
          answers.push(JSON.stringify(dotsOf(out.Body)));
        } catch (e) {
          failures.push(e);
        }
      }
    };

    // Act
    const clients = Array.from({ length: 4 }, client);
    for (let i = 1; i <= 30; i++) {
      await new Promise((r) => setTimeout(r, 10));
      server.slot.swap(models[i % 3]!);
    }
    running = false;
    await Promise.all(clients);
    await server.close();

    // Assess
    expect(failures).toEqual([]);
    expect(answers.length).toBeGreaterThan(20);
    expect(answers.every((a) => expected.includes(a))).toBe(true);
    expect(new Set(answers).size).toBe(3);
  });
});
