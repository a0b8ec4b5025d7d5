import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '../bin/local-bus.js');

/** A bus running as its own process (the built app). */
export interface SpawnedBus {
  url: string;
  child: ChildProcess;
  stderr: () => string;
}

/** Spawns `bin/local-bus.js` with `env` and resolves once it prints its URL. */
export function spawnBus(env: Record<string, string>): Promise<SpawnedBus> {
  const child = spawn(process.execPath, [BIN], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`bus did not start: ${err}`)), 20_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ url: m[1], child, stderr: () => err });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bus exited with ${code}: ${err}`));
    });
  });
}
