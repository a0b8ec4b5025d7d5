import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const REPO_ROOT = join(import.meta.dirname, '../../..');

/** One EventBridge JSON 1.1 call, as the SDK sends it (unsigned: the bus has no credentials). */
async function events(url: string, op: string, input: object): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSEvents.${op}` },
    body: JSON.stringify(input),
  });
  const out = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${op}: ${JSON.stringify(out)}`);
  return out;
}

describe('Command: lakewatch local-bus, lakewatch dlq', () => {
  let child: ChildProcess;
  let url: string;
  let target: Server;
  let targetUrl: string;
  let accept = false;
  const got: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'cli-local-bus-'));

  beforeAll(async () => {
    execFileSync('npx', ['tsc', '-b', 'apps/cli'], { cwd: REPO_ROOT, stdio: 'inherit' });
    target = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        if (accept) got.push(JSON.parse(body).id);
        res.writeHead(accept ? 200 : 400).end();
      });
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hook`;
    child = spawn(
      process.execPath,
      ['apps/cli/bin/lakewatch.js', 'local-bus', '--port', '0', '--data-dir', join(dir, 'bus')],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`local-bus exited with ${code}`)));
    });
  }, 120_000);

  afterAll(() => {
    child.kill('SIGTERM');
    target.close();
    target.closeAllConnections();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists a dead letter with its last error and re-drives it to the target', async () => {
    // Prepare: a target that refuses with 400 (not retried), so the event is dead-lettered
    await events(url, 'PutRule', { Name: 'r', EventPattern: '{"source":["cli.test"]}' });
    await events(url, 'PutTargets', { Rule: 'r', Targets: [{ Id: 'hook', Arn: targetUrl }] });
    const put = await events(url, 'PutEvents', {
      Entries: [{ Source: 'cli.test', DetailType: 'T', Detail: '{}' }],
    });
    const eventId = (put.Entries as { EventId: string }[])[0]?.EventId;
    let listed = await runCli('dlq', 'list', '--endpoint', url);
    for (let i = 0; i < 100 && !listed.out; i++) {
      await new Promise((r) => setTimeout(r, 50));
      listed = await runCli('dlq', 'list', '--endpoint', url);
    }

    // Act
    accept = true;
    const redrive = await runCli('dlq', 'redrive', '--all', '--rule', 'r', '--endpoint', url);
    for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const after = await runCli('dlq', 'list', '--endpoint', url);

    // Assess
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(`default/r/hook\tT\t${eventId}\tattempts=1\tHTTP 400`);
    expect(redrive).toMatchObject({
      code: 0,
      out: expect.stringContaining('1 redriven, 0 failed'),
    });
    expect(got).toEqual([eventId]);
    expect(after.out).toBe('');
    expect(after.err).toBe('0 dead letters\n');
  });

  it('reports an unreachable bus and a redrive without ids as errors', async () => {
    const down = await runCli('dlq', 'list', '--endpoint', 'http://127.0.0.1:9');
    const noIds = await runCli('dlq', 'redrive', '--endpoint', url);
    expect(down.code).toBe(1);
    expect(down.err).toContain('cannot reach the local bus at http://127.0.0.1:9');
    expect(noIds.code).toBe(2);
    expect(noIds.err).toContain('give dead-letter ids, or --all');
  });
});
