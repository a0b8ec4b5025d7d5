import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { type IpInsightsModel, train } from '@lakewatch/ipinsights';

const BIN = fileURLToPath(new URL('../bin/model-server.js', import.meta.url));

/** The real model-server process and the JSON log lines it has written. */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  logs: Record<string, unknown>[];
  stop(): Promise<number | null>;
}

/** Starts `bin/model-server.js` on a free port and waits for its "listening" line. */
export async function startServerProcess(args: string[]): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'listening') resolve(String(entry.url));
    });
    child.on('exit', (code) => reject(new Error(`model-server exited ${code}: ${stderr}`)));
  });
  return {
    child,
    url,
    logs,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/** The real SDK client against a local server (dummy credentials, no SDK retries). */
export function sdkClient(url: string): SageMakerRuntimeClient {
  return new SageMakerRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
}

/** Synthetic training pairs: 200 users, each on a few addresses of its own /24. */
export function syntheticPairs(): { entities: string[]; ips: string[] } {
  const entities: string[] = [];
  const ips: string[] = [];
  for (let u = 0; u < 200; u++)
    for (let k = 0; k < 10; k++) {
      entities.push(`user_${u}`);
      ips.push(`10.${u % 250}.${(u * 7) % 250}.${(k * 13) % 250}`);
    }
  return { entities, ips };
}

/** A small model trained by the engine. */
export async function smallModel(seed: number): Promise<IpInsightsModel> {
  const { model } = await train(
    syntheticPairs(),
    { num_entity_vectors: 400, vector_dim: 8, epochs: 1, mini_batch_size: 200 },
    { threads: 1, ipHashBuckets: 1024, seed },
  );
  return model;
}

/** A fresh temporary folder. */
export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'lakewatch-model-server-'));
}
