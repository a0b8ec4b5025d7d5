import { readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockContracts, runContractChecks } from '../src/index.js';
import { copyContractsRepo, editJson, REPO_ROOT, tempDir } from './helpers.js';

type Json = Record<string, unknown>;
const ANOMALY = 'contracts/events/lakewatch.score/AnomalyDetected/v1';

function problemsOf(
  results: Awaited<ReturnType<typeof runContractChecks>>,
  check: string,
): string[] {
  return results.find((r) => r.check === check)?.problems ?? [];
}

function props(schema: Json): Record<string, Json> {
  return schema.properties as Record<string, Json>;
}

describe('Function: runContractChecks', () => {
  let root: string;
  let cleanup: () => void;

  beforeEach(() => {
    ({ dir: root, cleanup } = tempDir('contracts'));
    copyContractsRepo(root);
  });
  afterEach(() => cleanup());

  it('passes on the repository as committed', async () => {
    const results = await runContractChecks(REPO_ROOT);
    expect(results.flatMap((r) => r.problems)).toEqual([]);
    expect(results.map((r) => r.check)).toEqual([
      'examples',
      'generated types',
      'schema lock',
      'draft-04 export',
    ]);
  });

  it('fails when a valid example breaks its schema', async () => {
    editJson(join(root, ANOMALY, 'examples/lateral-sagemaker.json'), (e) => {
      e.dotProduct = 'low';
    });
    const problems = problemsOf(await runContractChecks(root), 'examples');
    expect(problems).toEqual([
      expect.stringMatching(
        /lateral-sagemaker\.json: should be valid but \/dotProduct must be number \(type\)/,
      ),
    ]);
  });

  it('fails when an invalid example validates, or fails for the same reason as another', async () => {
    editJson(join(root, ANOMALY, 'examples/invalid/score-above-one.json'), (e) => {
      e.anomalyScore = 0.5;
    });
    editJson(join(root, ANOMALY, 'examples/invalid/missing-threshold.json'), (e) => {
      e.threshold = -1;
      e.dotProduct = 'x';
    });
    const problems = problemsOf(await runContractChecks(root), 'examples');
    expect(problems).toContainEqual(
      expect.stringMatching(/score-above-one\.json: should be invalid but validates/),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /fails for the same reason as .*dot-product-string\.json \(type at \/dotProduct\)/,
      ),
    );
  });

  it('fails when a contract has fewer than two invalid examples', async () => {
    rmSync(join(root, ANOMALY, 'examples/invalid/score-above-one.json'));
    rmSync(join(root, ANOMALY, 'examples/invalid/missing-threshold.json'));
    const problems = problemsOf(await runContractChecks(root), 'examples');
    expect(problems).toContainEqual(
      'lakewatch.score/AnomalyDetected/v1: needs at least 2 examples in examples/invalid/, has 1',
    );
  });

  it('fails when the generated types are stale', async () => {
    editJson(join(root, ANOMALY, 'schema.json'), (s) => {
      props(s).dotProduct!.description = 'changed words';
    });
    const results = await runContractChecks(root);
    expect(problemsOf(results, 'generated types')).toEqual([
      'packages/contracts/src/generated/types.ts is out of date; run `npm run contracts:generate`',
      'packages/contracts/src/generated/registry.ts is out of date; run `npm run contracts:generate`',
    ]);
    expect(problemsOf(results, 'schema lock')).toEqual([
      expect.stringMatching(/properties\/dotProduct\/description changed/),
    ]);
  });

  it('fails on a compatible change until the lock bumps the minor version', async () => {
    // Prepare: a new optional property
    editJson(join(root, ANOMALY, 'schema.json'), (s) => {
      props(s).analystNote = { type: 'string', maxLength: 200 };
    });

    // Act + Assess: the check asks for a bump
    const before = problemsOf(await runContractChecks(root), 'schema lock');
    expect(before).toEqual([
      expect.stringMatching(
        /AnomalyDetected\/v1: compatible change \(\/properties\/analystNote: new optional property\) without a version bump; run `npm run contracts:lock` to bump x-schema-version to 1\.1/,
      ),
    ]);

    // Act: the tool bumps the minor and the lock, and regenerates
    const update = await lockContracts(root);
    expect(update.bumped).toEqual([
      { key: 'lakewatch.score/AnomalyDetected/v1', from: '1.0', to: '1.1' },
    ]);
    const schema = JSON.parse(readFileSync(join(root, ANOMALY, 'schema.json'), 'utf8')) as Json;
    expect(schema['x-schema-version']).toBe('1.1');

    // Assess: everything passes again
    const after = await runContractChecks(root);
    expect(after.flatMap((r) => r.problems)).toEqual([]);
  });

  it.each([
    [
      'a removed property',
      (s: Json) => delete props(s).anomalyScore,
      /\/properties\/anomalyScore: removed/,
    ],
    [
      'a new required property',
      (s: Json) => {
        props(s).tenant = { type: 'string' };
        (s.required as string[]).push('tenant');
      },
      /\/properties\/tenant: new required property/,
    ],
    [
      'a narrowed type',
      (s: Json) => (props(s).dotProduct!.type = 'integer'),
      /\/properties\/dotProduct\/type: changed from "number" to "integer"/,
    ],
    [
      'a narrowed enum',
      (s: Json) => {
        const defs = s.definitions as Record<string, Json>;
        const entity = defs.Entity!.properties as Record<string, Json>;
        entity.type!.enum = ['instance'];
      },
      /\/definitions\/Entity\/properties\/type\/enum: changed/,
    ],
    [
      'a tightened bound',
      (s: Json) => (props(s).anomalyId!.maxLength = 64),
      /\/properties\/anomalyId\/maxLength: changed from 128 to 64/,
    ],
  ])(
    'fails on a breaking change to a locked schema: %s, and the lock refuses it',
    async (_name, edit, expected) => {
      editJson(join(root, ANOMALY, 'schema.json'), edit);
      const problems = problemsOf(await runContractChecks(root), 'schema lock');
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(expected);
      expect(problems[0]).toMatch(
        /put the change in a new folder lakewatch\.score\/AnomalyDetected\/v2/,
      );
      const update = await lockContracts(root);
      expect(update.refused).toEqual([expect.stringMatching(expected)]);
    },
  );

  it('fails when a published major disappears', async () => {
    renameSync(join(root, 'contracts/events/lakewatch.model'), join(root, 'moved-away'));
    const problems = problemsOf(await runContractChecks(root), 'schema lock');
    expect(problems).toEqual([
      expect.stringMatching(/lakewatch\.model\/ModelPublished\/v1: published schema was removed/),
    ]);
  });

  it('accepts a new major folder once it is locked', async () => {
    const v2 = join(root, 'contracts/events/lakewatch.score/AnomalyDetected/v2');
    const { cpSync } = await import('node:fs');
    cpSync(join(root, ANOMALY), v2, { recursive: true });
    editJson(join(v2, 'schema.json'), (s) => {
      s['x-schema-version'] = '2.0';
      s.title = 'AnomalyDetectedV2';
      // definitions shared with v1 keep their names only if identical: v2 renames the changed ones
      s.$id = String(s.$id).replace('/v1/', '/v2/');
      props(s).schemaVersion!.pattern = '^2\\.(0|[1-9][0-9]*)$';
      props(s).tenant = { type: 'string' };
      (s.required as string[]).push('tenant');
    });
    for (const f of ['unknown-external-ip.json', 'lateral-sagemaker.json']) {
      editJson(join(v2, 'examples', f), (e) => {
        e.schemaVersion = '2.0';
        e.tenant = 'acme';
      });
    }
    for (const f of ['score-above-one.json', 'missing-threshold.json', 'dot-product-string.json']) {
      editJson(join(v2, 'examples/invalid', f), (e) => {
        e.schemaVersion = '2.0';
        e.tenant = 'acme';
      });
    }
    expect(problemsOf(await runContractChecks(root), 'schema lock')).toEqual([
      expect.stringMatching(/AnomalyDetected\/v2: not in contracts\/schemas\.lock\.json/),
    ]);
    const update = await lockContracts(root);
    expect(update.added).toEqual(['lakewatch.score/AnomalyDetected/v2']);
    expect((await runContractChecks(root)).flatMap((r) => r.problems)).toEqual([]);
  });
});
