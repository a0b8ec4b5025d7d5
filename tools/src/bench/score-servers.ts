import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A server process of the benchmark and its base URL. */
export interface BenchServer {
  url: string;
  child: ChildProcess;
}

/** Starts the model-server app (its built `bin/`) on a free port, watching nothing. */
export async function startServer(repo: string, modelPath: string): Promise<BenchServer> {
  const bin = join(repo, 'apps', 'model-server', 'bin', 'model-server.js');
  const child = spawn(process.execPath, [bin, '--model', modelPath, '--port', '0', '--no-watch'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'listening' && entry.url) resolve(entry.url);
    });
    child.on('exit', (code) => reject(new Error(`model-server exited with ${code}`)));
  });
  return { url, child };
}

// A bare node:http server answering a fixed prediction: the floor any Node server on this
// machine sees at the same request rate (on a busy machine, mostly scheduling delay).
const BARE_SERVER = `
const s = require('node:http').createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('{"predictions":[{"dot_product":0.5}]}'));
});
s.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', url: 'http://127.0.0.1:' + s.address().port })));
`;

/** Starts the bare node:http floor server on a free port. */
export async function startBare(): Promise<BenchServer> {
  const child = spawn(process.execPath, ['-e', BARE_SERVER], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { url?: string };
      if (entry.url) resolve(entry.url);
    });
    child.on('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return { url, child };
}

/**
 * CPU seconds a process has used (Linux `/proc/PID/stat` utime + stime, in clock ticks of
 * 1/100 s): what the server spends per request, whatever else the machine runs.
 */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
