import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '@lakewatch/ipinsights';
import { LakeQuery, listManifests, openStorage } from '@lakewatch/lake';
import { createSimulation, type SimulatedObject } from '@lakewatch/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesUnder, finishedObjects } from '../src/demo/live.js';
import { peerPairsSql } from '../src/demo/model.js';
import { getJson } from '../src/stack/health.js';
import type { RuleJson } from '../src/stack/routing.js';
import { Stack } from '../src/stack/stack.js';
import { historyModel } from './fault/model.js';
import { type Fault, type FaultRecord, land, liveObjects, runFaults } from './fault/stream.js';
import { startTap, type Tap, type TappedEvent } from './fault/tap.js';
import { alive } from './support/stack-helpers.js';
import { waitFor } from './support/wait.js';

interface Pair {
  entity: { uid: string };
  ip: string;
}
interface Finding {
  findingId: string;
  anomalyId: string;
  entity: { uid: string };
  ip: string;
}

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const key = (p: Pair) => `${p.entity.uid} ${p.ip}`;
const lines = (path: string) =>
  existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];

/** Every finding, whatever its risk, to one file target: the notifications this test counts. */
const ALL_FINDINGS: RuleJson = {
  Name: 'fault-all-findings',
  EventPattern: { source: ['lakewatch.enrich'], 'detail-type': ['FindingEnriched'] },
  Targets: [
    {
      Id: 'notify',
      Service: 'notify',
      InputTransformer: {
        InputTemplate:
          '{"route": "<aws.events.rule-name>", "targets": ["fault-alerts"], "event": <aws.events.event.json>}',
      },
    },
  ],
};

const tapRule = (url: string) =>
  ({
    Name: 'fault-tap',
    EventPattern: { source: [{ prefix: 'lakewatch.' }] },
    Targets: [{ Id: 'tap', Url: url }],
  }) as unknown as RuleJson;

describe('Fault: kill -9 each service and the bus while log objects stream in', () => {
  let work: string;
  let dir: string;
  let modelDir: string;
  let stack: Stack | undefined;
  let tap: Tap;
  let objects: SimulatedObject[];
  let faults: FaultRecord[];
  let landedAtEnd = 0;
  let deadLetters: number | undefined;

  beforeAll(async () => {
    const started = performance.now();
    // Prepare: a seeded estate, its live window as 5-minute objects, a model from its history
    work = await mkdtemp(join(tmpdir(), 'lakewatch-fault-'));
    dir = join(work, 'stack');
    const sim = createSimulation({
      days: 0.5,
      scale: 'small',
      seed: 'fault',
      liveMinutes: 60,
      objectMinutes: 5,
    });
    objects = await liveObjects(sim);
    tap = await startTap();
    const model = historyModel(sim, join(work, 'model'));
    model.catch(() => {});
    stack = await Stack.start({
      dir,
      model,
      // As `lakewatch up` runs it: score calls the model server over the SageMaker Runtime API.
      scoreMode: 'sagemaker',
      extraRules: [ALL_FINDINGS, tapRule(tap.url)],
      serviceEnv: {
        // Intel is not what this test is about: skip the ASN tables' load.
        enrich: { ENRICH_GEO: 'false' },
        // Retries of a delivery to a killed process come within seconds, not minutes.
        'local-bus': { LOCAL_BUS_RETRY_BASE_MS: '200', LOCAL_BUS_RETRY_MAX_MS: '2000' },
      },
    });
    modelDir = await model;
    const s = stack;
    const landing = s.state.landingDir;

    // Act: land the objects (at most two waiting for ingest) and crash one process after
    // another in the middle of its work.
    let landed = 0;
    let processed = 0;
    let lastLanding = 0;
    const progress = () => ({ landed, processed });
    const grew = (type: string, after: () => boolean) => {
      let seen = -1;
      return () => {
        const n = tap.of(type).length;
        if (!after()) return false;
        if (seen < 0) seen = n;
        return n > seen;
      };
    };
    // A trigger that also fires once it has waited `ms` (the stream may bring nothing more).
    const orAfter = (ms: number, trigger: () => boolean) => {
      let since = 0;
      return () => {
        since ||= Date.now();
        return trigger() || Date.now() - since > ms;
      };
    };
    const plan: Fault[] = [
      // ingest: an object waits and ingest has had time to pick it up (stable 500 ms, poll 250 ms)
      {
        service: 'ingest',
        trigger: () => processed >= 2 && landed > processed && Date.now() - lastLanding > 650,
      },
      // score: as a pairs batch is being delivered to it
      { service: 'score', trigger: grew('NetworkPairsObserved', () => processed >= 5) },
      // the model server: as a pairs batch is being scored through it
      { service: 'model-server', trigger: grew('NetworkPairsObserved', () => processed >= 8) },
      // enrich: as an anomaly is being delivered to it
      {
        service: 'enrich',
        trigger: orAfter(
          10_000,
          grew('AnomalyDetected', () => true),
        ),
      },
      // notify: as a finding is being delivered to it
      {
        service: 'notify',
        trigger: orAfter(
          10_000,
          grew('FindingEnriched', () => true),
        ),
      },
      // the bus: with an object waiting to be ingested and events in flight
      {
        service: 'local-bus',
        trigger: () => processed >= 14 && (landed > processed || landed >= held),
      },
    ];
    // The last objects wait for the last crash: every process dies with objects still to come.
    const held = objects.length - 4;
    let faultsDone = false;
    let streaming = true;
    const counter = (async () => {
      while (streaming) {
        processed = (await finishedObjects(landing)).processed;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const faulting = runFaults(s, plan, progress, 1000);
    faulting.then(
      () => {
        faultsDone = true;
      },
      () => {},
    );
    try {
      for (const o of objects) {
        await waitFor(
          'ingest to catch up with the landed objects (and the crashes to be over)',
          async () => {
            if (landed >= held && !faultsDone) {
              // A failed crash plan ends the run now, not after the landing times out.
              await Promise.race([faulting, Promise.resolve()]);
              return false;
            }
            return landed - processed <= 2;
          },
          { timeoutMs: 150_000, state: () => JSON.stringify(progress()) },
        );
        await land(landing, o);
        landed++;
        lastLanding = Date.now();
      }
      landedAtEnd = landed;
      faults = await faulting;
      // Drained: every object ingested, the bus owes nothing, and nothing new for 1.5 s.
      let last = '';
      let quietSince = Date.now();
      await waitFor(
        'the pipeline to drain',
        async () => {
          const bus = (await getJson(`${s.state.busUrl}/health`)) as
            | { pendingDeliveries?: number }
            | undefined;
          const now = `${processed}/${bus?.pendingDeliveries}/${tap.events.size}`;
          if (now !== last) {
            last = now;
            quietSince = Date.now();
          }
          return (
            processed === objects.length &&
            bus?.pendingDeliveries === 0 &&
            Date.now() - quietSince > 1500
          );
        },
        { timeoutMs: 90_000, everyMs: 100, state: () => last },
      );
      deadLetters = (
        (await getJson(`${s.state.busUrl}/health`)) as { deadLetters?: number } | undefined
      )?.deadLetters;
    } finally {
      streaming = false;
      await counter;
    }
    const count = (t: string) => tap.of(t).length;
    process.stdout.write(
      `fault run: ${objects.length} objects, ${count('NetworkPairsObserved')} pair batches, ${count('AnomalyDetected')} anomalies, ${count('FindingEnriched')} findings, ${count('NotificationDelivered')} deliveries; ${tap.events.size} events (${tap.redeliveries} redelivered to the tap), ${((performance.now() - started) / 1000).toFixed(1)} s; crashes ${JSON.stringify(faults)}\n`,
    );
  }, 290_000);

  afterAll(async () => {
    if (stack) await stack.stop();
    await tap?.close();
    if (stack)
      for (const s of Object.values(stack.state.services)) expect(alive(s?.pid ?? 0)).toBe(false);
    // FAULT_KEEP=1 keeps the stack folder (logs, state, lake) to look into a failure.
    if (!process.env.FAULT_KEEP) await rm(work, { recursive: true, force: true });
    else process.stdout.write(`kept ${work}\n`);
  });

  it('killed ingest, score, the model server, enrich, notify and the bus, one at a time, while objects streamed in', () => {
    expect(faults.map((f) => f.service)).toEqual([
      'ingest',
      'score',
      'model-server',
      'enrich',
      'notify',
      'local-bus',
    ]);
    for (const f of faults) {
      expect(f.pidRestarted, f.service).not.toBe(f.pidKilled);
      expect(alive(f.pidKilled), f.service).toBe(false);
      // Some objects were still to come when the process died.
      expect(f.landedAtKill, f.service).toBeLessThan(objects.length);
    }
    expect(landedAtEnd).toBe(objects.length);
    // Nothing was given up on: every delivery the bus owed reached its target.
    expect(deadLetters).toBe(0);
  });

  it('ingests every landed object once: the lake holds each record the simulator wrote', async () => {
    const landing = stack?.state.landingDir ?? '';
    expect(await finishedObjects(landing)).toEqual({ processed: objects.length, failed: 0 });
    expect((await filesUnder(landing)).length).toBe(0);
    const manifests = await listManifests(openStorage(stack?.state.lake ?? ''));
    // One committed version per object: a re-ingest after a crash wrote nothing twice.
    expect(manifests).toHaveLength(objects.length);
    for (const o of objects) {
      const m = manifests.filter((x) => x.sourceUri.endsWith(`/${o.key}`));
      expect(m, o.key).toHaveLength(1);
      expect((m[0]?.records ?? 0) + (m[0]?.rejected ?? 0), o.key).toBe(o.records);
    }
    const total = objects.reduce((n, o) => n + o.records, 0);
    expect(manifests.reduce((n, m) => n + m.records + m.rejected, 0)).toBe(total);
  });

  it('publishes every pair the lake holds, and score handled every batch', async () => {
    const batches = new Map<string, TappedEvent[]>();
    for (const e of tap.of('NetworkPairsObserved')) {
      const id = String(e.detail.batchId);
      batches.set(id, [...(batches.get(id) ?? []), e]);
    }
    // Every part of every object's batches arrived.
    const parts = new Map<string, Set<number>>();
    for (const [, es] of batches) {
      const d = es[0]?.detail as { ingestId: string; part: { index: number; count: number } };
      const got = parts.get(d.ingestId) ?? new Set<number>();
      got.add(d.part.index);
      parts.set(d.ingestId, got);
      expect(d.part.index).toBeLessThanOrEqual(d.part.count);
    }
    const published = new Set<string>();
    for (const [, es] of batches)
      for (const p of (es[0]?.detail.pairs ?? []) as Pair[])
        if (IPV4.test(p.ip)) published.add(key(p));
    // Independently: the peer pairs of what the lake holds.
    const lake = await LakeQuery.open(openStorage(stack?.state.lake ?? ''));
    let fromLake: Set<string>;
    try {
      const { rows } = await lake.query(peerPairsSql('true'));
      fromLake = new Set(rows.map((r) => `${r[0]} ${r[1]}`));
    } finally {
      lake.close();
    }
    expect(fromLake.size).toBeGreaterThan(100);
    expect([...fromLake].filter((k) => !published.has(k))).toEqual([]);
    expect([...published].filter((k) => !fromLake.has(k))).toEqual([]);
    // Score took every batch (one of its deliveries is in score's processed-event log).
    const done = new Set(lines(join(dir, 'state/score/processed-events.log')));
    const unscored = [...batches].filter(([, es]) => !es.some((e) => done.has(e.id)));
    expect(unscored.map(([id]) => id)).toEqual([]);
  });

  it('raises every alert the model and threshold give for the published pairs, and only those', async () => {
    const model = await loadModel(modelDir);
    const threshold = model.threshold ?? Number.NaN;
    const pairs = new Map<string, Pair>();
    for (const e of tap.of('NetworkPairsObserved'))
      for (const p of e.detail.pairs as Pair[]) if (IPV4.test(p.ip)) pairs.set(key(p), p);
    const all = [...pairs.values()];
    const dots = model.score(
      all.map((p) => p.entity.uid),
      all.map((p) => p.ip),
    );
    const expected = new Set(all.filter((_, i) => (dots[i] as number) < threshold).map(key));
    expect(expected.size).toBeGreaterThan(5);
    const anomalies = tap
      .of('AnomalyDetected')
      .map((e) => e.detail as { pair: Pair; threshold: number; anomalyId: string });
    for (const a of anomalies) expect(a.threshold).toBeCloseTo(threshold, 6);
    expect([...new Set(anomalies.map((a) => key(a.pair)))].sort()).toEqual([...expected].sort());
    // Enrich turned every anomaly into a finding.
    const findings = tap.of('FindingEnriched').map((e) => e.detail as unknown as Finding);
    expect([...new Set(findings.map((f) => f.anomalyId))].sort()).toEqual(
      [...new Set(anomalies.map((a) => a.anomalyId))].sort(),
    );
  });

  it('sends each alert to the notify target exactly once', () => {
    const sent = lines(join(dir, 'notifications/fault-alerts.jsonl')).map(
      (l) => (JSON.parse(l) as { finding: Finding }).finding,
    );
    const expected = [...new Set(tap.of('AnomalyDetected').map((e) => key(e.detail.pair as Pair)))];
    // One notification per (entity, IP): none lost, none twice (same finding or not).
    const byPair = new Map<string, string[]>();
    for (const f of sent) byPair.set(key(f), [...(byPair.get(key(f)) ?? []), f.findingId]);
    expect([...byPair].filter(([, ids]) => ids.length > 1)).toEqual([]);
    expect(sent.map(key).sort()).toEqual(expected.sort());
    expect(new Set(sent.map((f) => f.findingId)).size).toBe(sent.length);
    // And notify's outcome event of each send reached the bus (none lost to a crash).
    const outcomes = tap.of('NotificationDelivered').map((e) => {
      const d = e.detail as { findingId: string; route: string; target: { id: string } };
      return `${d.findingId} ${d.route} ${d.target.id}`;
    });
    expect(tap.of('NotificationFailed')).toEqual([]);
    expect(
      sent.filter((f) => !outcomes.includes(`${f.findingId} fault-all-findings fault-alerts`)),
    ).toEqual([]);
    // The pipeline's own routes (file targets too): no finding twice on a route and target.
    for (const file of readdirSync(join(dir, 'notifications'))) {
      const ids = lines(join(dir, 'notifications', file)).map((l) => {
        const n = JSON.parse(l) as { route: string; finding: Finding };
        return `${n.route} ${n.finding.findingId}`;
      });
      expect(new Set(ids).size, file).toBe(ids.length);
    }
  });
});
