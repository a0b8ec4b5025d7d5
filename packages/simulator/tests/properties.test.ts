import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation, INCIDENT_KINDS, type IncidentKind } from '../src/index.js';
import { checkFlowLog, checkResolverLog } from './format-checker.js';
import { type Collected, pairsOf } from './helpers.js';

describe('Function: createSimulation (properties)', () => {
  it('for any size, seed, window and incident set: valid formats, and every ground-truth pair new in the live window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.string({ maxLength: 8 }),
          scale: fc.integer({ min: 5, max: 30 }),
          days: fc.constantFrom(0.05, 0.1, 0.15),
          liveMinutes: fc.integer({ min: 10, max: 40 }),
          objectMinutes: fc.constantFrom(5 as const, 10 as const),
          incidents: fc.subarray([...INCIDENT_KINDS] as IncidentKind[], { minLength: 1 }),
        }),
        async (options) => {
          // Act
          const sim = createSimulation(options);
          const objects: Collected[] = [];
          for await (const obj of sim.objects())
            objects.push({ obj, text: gunzipSync(obj.body).toString('utf8') });
          const truth = sim.groundTruth();

          // Assess
          const problems = objects.flatMap(({ obj, text }) =>
            obj.type === 'aws-vpc-flow'
              ? checkFlowLog(text, obj)
              : checkResolverLog(text, obj, obj.vpcId),
          );
          expect(problems.slice(0, 3)).toEqual([]);
          const live = pairsOf(objects.filter((o) => o.obj.phase === 'live'));
          const history = pairsOf(objects.filter((o) => o.obj.phase === 'history'));
          expect(truth.incidents.map((i) => i.kind)).toEqual(options.incidents);
          for (const inc of truth.incidents)
            for (const p of inc.pairs)
              for (const how of p.pairings) {
                const key = `${p.entity.uid} ${p.ip}`;
                expect(live[how].has(key), `${inc.id} ${how} ${key}`).toBe(true);
                expect(history[how].has(key), `${inc.id} ${how} ${key}`).toBe(false);
              }
        },
      ),
      { numRuns: 5, seed: 20261129 },
    );
  });
});
