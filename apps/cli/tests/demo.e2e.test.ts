import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackState } from '../src/stack/state.js';
import { alive, CLI_BIN, lakewatch, REPO_ROOT } from './support/stack-helpers.js';
import { waitFor } from './support/wait.js';

interface Truth {
  incidents: {
    id: string;
    kind: string;
    vpcId: string;
    pairs: { entity: { uid: string }; ip: string; pairings: string[] }[];
  }[];
}

interface Env {
  vpcs: { id: string; loadBalancer: E[]; natGateways: E[]; rds: E[]; vpcEndpoints: E[] }[];
  instances: { id: string; eni: string; vpcId: string; ip: string }[];
}
type E = { eni: string; ip: string };

const json = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;

describe('Command: lakewatch demo (end to end, real processes)', () => {
  let work: string;
  let dir: string;
  let stdout: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'lakewatch-demo-'));
    dir = join(work, 'demo');
    // Act: the demo at small scale (one day of history, the 60-minute live window)
    ({ stdout } = await lakewatch(['demo', '--dir', dir, '--days', '1', '--land-delay-ms', '100'], {
      timeoutMs: 170_000,
    }));
  }, 180_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('prints figures that an independent count over the alert file and ground truth confirms', () => {
    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Record<string, number>;
    const truth = json<Truth>(join(dir, 'ground-truth.json'));
    const env = json<Env>(join(dir, 'environment.json'));
    const alerts = readFileSync(join(dir, 'stack/notifications/demo-alerts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { finding: { entity: { uid: string }; ip: string } }).finding);

    // The count the test makes itself: exact ground-truth pairs, or an incident's outside
    // address seen on another interface of the incident's VPC.
    const vpcOf = new Map<string, string>();
    const own = new Set<string>();
    for (const v of env.vpcs)
      for (const e of [...v.loadBalancer, ...v.natGateways, ...v.rds, ...v.vpcEndpoints]) {
        vpcOf.set(e.eni, v.id);
        own.add(e.ip);
      }
    for (const i of env.instances) {
      vpcOf.set(i.id, i.vpcId);
      vpcOf.set(i.eni, i.vpcId);
      own.add(i.ip);
    }
    const key = (e: string, ip: string) => `${e} ${ip}`;
    const pairs = truth.incidents.flatMap((inc) => inc.pairs.map((p) => ({ inc, p })));
    const alerted = new Set(alerts.map((a) => key(a.entity.uid, a.ip)));
    const matched = alerts.filter(
      (a) =>
        pairs.some(({ p }) => key(p.entity.uid, p.ip) === key(a.entity.uid, a.ip)) ||
        pairs.some(
          ({ inc, p }) => p.ip === a.ip && !own.has(p.ip) && vpcOf.get(a.entity.uid) === inc.vpcId,
        ),
    );
    const observable = pairs.filter(({ p }) => p.pairings.includes('peer'));
    const found = observable.filter(({ p }) => alerted.has(key(p.entity.uid, p.ip)));

    expect(summary.alerts).toBe(alerts.length);
    expect(summary.precision).toBeCloseTo(matched.length / alerts.length, 3);
    expect(summary.recall).toBeCloseTo(found.length / observable.length, 3);
    // The incidents an IP Insights model can see are found; the alerts are mostly right.
    const kindsFound = new Set(found.map(({ inc }) => inc.kind));
    for (const kind of ['port-scan', 'exfiltration', 'dns-from-silent-instance', 'ssh-brute-force'])
      expect(kindsFound, kind).toContain(kind);
    expect(summary.precision).toBeGreaterThanOrEqual(0.8);

    // Records: what the lake's manifests say was written and rejected (history and live).
    const manifests = readdirSync(join(dir, 'lake/manifests')).map((f) =>
      json<{ records: number; rejected: number }>(join(dir, 'lake/manifests', f)),
    );
    expect(summary.records).toBe(manifests.reduce((n, m) => n + m.records, 0));
    expect(summary.rejected).toBe(manifests.reduce((n, m) => n + m.rejected, 0));
    expect(summary.pairs).toBeGreaterThan(alerts.length);
    expect(summary.latency_ms_p50).toBeGreaterThan(0);
    expect(summary.latency_ms_p99).toBeGreaterThanOrEqual(summary.latency_ms_p50 ?? 0);
    expect(readFileSync(join(dir, 'model/calibration/report.html'), 'utf8')).toContain('<svg');
  });

  it('shows each alert as it arrives and leaves no process behind', () => {
    const shown = stdout.split('\n').filter((l) => l.includes('ALERT '));
    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { alerts: number };
    expect(shown).toHaveLength(summary.alerts);
    expect(shown[0]).toMatch(
      /ALERT \S+ -> \d+\.\d+\.\d+\.\d+ .*score [\d.]+ .*risk \d+ \w+ +reasons: /,
    );
    expect(stdout).toMatch(/live \d+ s: landed \d+/);
    const state = json<StackState>(join(dir, 'stack/stack.json'));
    expect(Object.keys(state.services)).toHaveLength(6);
    for (const s of Object.values(state.services)) expect(alive(s?.pid ?? 0), s?.name).toBe(false);
  });
});

describe('Command: lakewatch demo --logs (a lakewatch simulate folder)', () => {
  let work: string;
  let sim: string;
  let dir: string;
  let simulated: { records: number; live: { objects: number } };
  let stdout: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'lakewatch-demo-logs-'));
    sim = join(work, 'sim');
    dir = join(work, 'demo');
    // Prepare: a folder as `lakewatch simulate` writes it (history/, live/, ground truth)
    const made = await lakewatch(['simulate', '--out', sim, '--days', '1', '--seed', 'e2e-logs']);
    simulated = JSON.parse(made.stdout.trim().split('\n').at(-1) ?? '') as typeof simulated;
    // Act: the demo trains on its history and lands its live objects
    ({ stdout } = await lakewatch(
      ['demo', '--dir', dir, '--logs', sim, '--land-delay-ms', '50', '--score-mode', 'embedded'],
      { timeoutMs: 170_000 },
    ));
  }, 180_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("ingests the folder's objects, lands its live window and scores against its ground truth", () => {
    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as {
      records: number;
      rejected: number;
      live_objects: number;
      alerts: number;
      by_kind: Record<string, { incidents: number }>;
    };
    expect(stdout).toContain(
      `using ${sim}: history/ for training, live/ to land, ground-truth.json`,
    );
    expect(summary.records).toBe(simulated.records);
    expect(summary.rejected).toBe(0);
    expect(summary.live_objects).toBe(simulated.live.objects);
    const truth = json<Truth>(join(sim, 'ground-truth.json'));
    expect(Object.keys(summary.by_kind).sort()).toEqual(
      [...new Set(truth.incidents.map((i) => i.kind))].sort(),
    );
    const alerts = readFileSync(join(dir, 'stack/notifications/demo-alerts.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean);
    expect(summary.alerts).toBe(alerts.length);
    const state = json<StackState>(join(dir, 'stack/stack.json'));
    for (const s of Object.values(state.services)) expect(alive(s?.pid ?? 0), s?.name).toBe(false);
  });
});

describe('Command: lakewatch demo, interrupted', () => {
  it('stops every process it started when Ctrl-C comes while it is still training', async () => {
    // Prepare
    const work = await mkdtemp(join(tmpdir(), 'lakewatch-demo-int-'));
    const dir = join(work, 'demo');
    try {
      const demo = spawn(process.execPath, [CLI_BIN, 'demo', '--dir', dir, '--days', '1'], {
        cwd: REPO_ROOT,
        stdio: 'pipe',
      });
      let stdout = '';
      let stderr = '';
      demo.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      demo.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const exited = new Promise<number | null>((resolve) => demo.on('exit', (c) => resolve(c)));
      // Some services are up, the model is not trained yet (score waits for it)
      const state = join(dir, 'stack/stack.json');
      const running = await waitFor(
        'a service of the demo stack to run',
        () => {
          if (!existsSync(state)) return false;
          const s = json<StackState>(state);
          return Object.keys(s.services).length > 0 && !s.services.score ? s : false;
        },
        { timeoutMs: 60_000, state: () => stdout.slice(-400) },
      );

      // Act: Ctrl-C
      demo.kill('SIGINT');

      // Assess: exit 130 after stopping what started; nothing is left running
      expect(await exited).toBe(130);
      expect(stderr).toContain('demo: SIGINT, stopping the stack');
      const final = json<StackState>(state);
      expect(final.stoppedAt).toBeDefined();
      for (const s of [...Object.values(running.services), ...Object.values(final.services)])
        expect(alive(s?.pid ?? 0), s?.name).toBe(false);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 120_000);
});
