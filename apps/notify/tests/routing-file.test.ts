import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchesPattern, transformInput } from '@lakewatch/eventbus';
import { loadRoutingFile } from '@lakewatch/local-bus-server';
import { describe, expect, it } from 'vitest';
import { loadNotifyTargets, parseRouted } from '../src/index.js';
import { EXAMPLE_SECRETS, envelope, finding } from './helpers.js';

const ROOT = join(import.meta.dirname, '../../..');
const ROUTING = join(ROOT, 'contracts/routing/lakewatch.json');

describe('Function: the pipeline routing file (contracts/routing/lakewatch.json)', () => {
  const file = loadRoutingFile(ROUTING);
  const bus = file.EventBuses.find((b) => b.Name === 'lakewatch');
  const rules = bus?.Rules ?? [];
  const notifyRules = rules.filter((r) => r.Targets.some((t) => t.Service === 'notify'));

  it('is accepted by the local bus routing validator and names the whole pipeline', () => {
    // Assess
    expect(bus).toBeDefined();
    expect(Object.keys(file.Services).sort()).toEqual(['enrich', 'ingest', 'notify', 'score']);
    const names = rules.map((r) => r.Name);
    expect(names).toEqual(
      expect.arrayContaining([
        'observed-pairs-to-score',
        'model-published-to-score',
        'anomalies-to-enrich',
      ]),
    );
    expect(notifyRules.length).toBeGreaterThanOrEqual(3);
    expect(bus?.Archives.map((a) => [a.Name, a.EventPattern])).toEqual([
      ['lakewatch-all', undefined],
    ]);
    // the raw file keeps its x-notify documentation (ignored by the bus)
    expect(JSON.parse(readFileSync(ROUTING, 'utf8'))['x-notify']).toBeDefined();
  });

  it('wraps every notify route as {route, targets, event}, naming only targets the example config defines', () => {
    // Prepare
    const config = loadNotifyTargets(
      join(import.meta.dirname, '../notify.example.json'),
      EXAMPLE_SECRETS,
    );
    const event = envelope(finding());
    for (const rule of notifyRules) {
      const target = rule.Targets.find((t) => t.Service === 'notify');
      // Act: the transformer EventBridge and the local bus both apply
      const body = transformInput(target as never, event, { ruleName: rule.Name });
      const routed = parseRouted(JSON.parse(body));
      // Assess
      expect(routed.route).toBe(rule.Name);
      expect(routed.eventId).toBe(event.id);
      for (const t of routed.targets)
        expect(config.targets.has(t), `${rule.Name} → ${t}`).toBe(true);
    }
  });

  it('routes findings by risk, level, tags and intel', () => {
    // Prepare
    const routesOf = (detail: ReturnType<typeof finding>) =>
      notifyRules
        .filter((r) => matchesPattern(r.EventPattern, envelope(detail)))
        .map((r) => r.Name)
        .sort();
    const critical = finding();
    const lowNoIntel = finding({
      risk: { score: 30, level: 'low', reasons: [] },
      tags: [],
      intel: { ...critical.intel, reputation: [] },
    });
    const highDb = finding({
      risk: { score: 75, level: 'high', reasons: [] },
      tags: ['asset:db'],
      intel: { ...critical.intel, reputation: [] },
    });
    // Assess
    expect(routesOf(critical)).toEqual([
      'findings-critical-oncall',
      'findings-guardduty-to-siem',
      'findings-high-risk',
      'findings-reputation-to-syslog',
    ]);
    expect(routesOf(lowNoIntel)).toEqual([]);
    expect(routesOf(highDb)).toEqual(['findings-critical-oncall', 'findings-high-risk']);
  });
});
