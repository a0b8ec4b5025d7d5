import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack } from '../src/stack/stack.js';
import type { StackState } from '../src/stack/state.js';
import { alive, CLI_BIN, lakewatch, REPO_ROOT, tinyModel } from './support/stack-helpers.js';
import { waitFor } from './support/wait.js';

const SERVICES = ['model-server', 'ingest', 'enrich', 'notify', 'score', 'local-bus'];

describe('Command: lakewatch up --detach / lakewatch down', () => {
  let work: string;
  let dir: string;
  let state: StackState | undefined;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'lakewatch-stack-'));
    dir = join(work, 'stack');
    await tinyModel(join(work, 'model'));
  });

  afterAll(async () => {
    // Whatever a failed assertion left behind goes too.
    if (state)
      await Stack.attach(dir)
        .stop()
        .catch(() => {});
    await rm(work, { recursive: true, force: true });
  });

  it('starts every process healthy on loopback, restarts one on its port, and down leaves none', async () => {
    // Act: up in the background
    const labels = join(work, 'labels.jsonl');
    const up = await lakewatch([
      'up',
      '--detach',
      '--dir',
      dir,
      '--model',
      join(work, 'model'),
      '--feedback',
      labels,
    ]);

    // Assess: the state file names six live processes on 127.0.0.1, each with its log file
    state = JSON.parse(readFileSync(join(dir, 'stack.json'), 'utf8')) as StackState;
    expect(Object.keys(state.services).sort()).toEqual([...SERVICES].sort());
    for (const s of Object.values(state.services)) {
      expect(s?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(alive(s?.pid ?? 0)).toBe(true);
      expect(up.stdout).toContain(s?.logPath);
      expect(readFileSync(s?.logPath ?? '', 'utf8').length).toBeGreaterThan(0);
      const res = await fetch(new URL(s?.healthPath ?? '/', s?.url));
      expect(res.status).toBe(200);
    }
    // The bus runs the pipeline routing with the services' real addresses.
    const routing = JSON.parse(readFileSync(state.routingFile, 'utf8')) as {
      Services: Record<string, string>;
    };
    expect(routing.Services.score).toBe(`${state.services.score?.url}/events`);
    expect(routing.Services.notify).toBe(`${state.services.notify?.url}/routed`);
    // Notify reads the analyst labels (false positives are never notified).
    expect(state.services.notify?.env.NOTIFY_SUPPRESSIONS).toBe(labels);
    const bus = (await (await fetch(`${state.busUrl}/health`)).json()) as { rules: number };
    expect(bus.rules).toBeGreaterThanOrEqual(7);

    // Act: crash score, start it again from the state file (what a fault test does)
    const stack = Stack.attach(dir);
    const before = stack.service('score');
    await stack.kill('score', 'SIGKILL');
    expect(alive(before.pid)).toBe(false);
    const after = await stack.startService('score');

    // Assess: a new process on the same port, so the bus's routing still reaches it
    expect(after.pid).not.toBe(before.pid);
    expect(after.url).toBe(before.url);
    expect((await fetch(`${after.url}/health`)).status).toBe(200);

    // Act: down, from another process
    const down = await lakewatch(['down', '--dir', dir]);

    // Assess: every process is gone, including the restarted one
    const final = JSON.parse(readFileSync(join(dir, 'stack.json'), 'utf8')) as StackState;
    expect(final.stoppedAt).toBeDefined();
    for (const s of Object.values(final.services)) expect(alive(s?.pid ?? 0)).toBe(false);
    expect(alive(before.pid)).toBe(false);
    expect(JSON.parse(down.stdout.trim().split('\n').at(-1) ?? '{}').stopped.score).toBe(
      'terminated',
    );
    state = undefined;
  }, 150_000);

  it('in the foreground, reports a process that died and stops every process on Ctrl-C', async () => {
    // Act: up in the foreground, as a user runs it in a terminal
    const foreground = join(work, 'foreground');
    const up = spawn(
      process.execPath,
      [
        CLI_BIN,
        'up',
        '--dir',
        foreground,
        '--model',
        join(work, 'model'),
        '--score-mode',
        'embedded',
      ],
      { cwd: REPO_ROOT, env: { ...process.env, ENRICH_GEO: 'false' }, stdio: 'pipe' },
    );
    let stdout = '';
    let stderr = '';
    up.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    up.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => up.on('exit', (code) => resolve(code)));
    try {
      await waitFor('up to report it is running', () => stdout.includes('Ctrl-C stops'), {
        timeoutMs: 120_000,
        state: () => stderr.slice(-500),
      });
      const running = JSON.parse(
        readFileSync(join(foreground, 'stack.json'), 'utf8'),
      ) as StackState;
      const pids = Object.values(running.services).map((s) => s?.pid ?? 0);
      for (const pid of pids) expect(alive(pid)).toBe(true);

      // Act: one service dies under it
      const notify = running.services.notify?.pid ?? 0;
      process.kill(notify, 'SIGKILL');

      // Assess: up says which process exited and where its log is
      await waitFor(
        'up to report the dead notify',
        () => stderr.includes(`notify (pid ${notify}) exited`),
        {
          timeoutMs: 10_000,
          state: () => stderr.slice(-500),
        },
      );
      expect(stderr).toContain(running.services.notify?.logPath);

      // Act: Ctrl-C
      up.kill('SIGINT');

      // Assess: up exits 0 after stopping the others; no process is left
      expect(await exited).toBe(0);
      expect(stdout).toMatch(/stopped: \{.*"local-bus"/);
      for (const pid of pids) expect(alive(pid)).toBe(false);
      const final = JSON.parse(readFileSync(join(foreground, 'stack.json'), 'utf8')) as StackState;
      expect(final.stoppedAt).toBeDefined();
    } finally {
      if (up.exitCode === null) up.kill('SIGKILL');
      await Stack.attach(foreground)
        .stop()
        .catch(() => {});
    }
  }, 150_000);

  it('refuses to start a second stack in a folder whose stack still runs', async () => {
    // Prepare: a stack running in its own folder
    const second = join(work, 'second');
    const stack = await Stack.start({
      dir: second,
      model: join(work, 'model'),
      scoreMode: 'embedded',
      // This test is about the state file, not intel: skip the ASN tables' load.
      serviceEnv: { enrich: { ENRICH_GEO: 'false' } },
    });
    try {
      expect(stack.state.services['model-server']).toBeUndefined();
      // Act + Assess
      await expect(
        lakewatch(['up', '--detach', '--dir', second, '--model', join(work, 'model')]),
      ).rejects.toThrow(/a stack is already running in .*second/);
    } finally {
      await stack.stop();
    }
    for (const s of Object.values(stack.state.services)) expect(alive(s?.pid ?? 0)).toBe(false);
  }, 150_000);
});
