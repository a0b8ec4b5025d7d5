import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkBoundaries, importSpecifiers } from '../src/index.js';
import { REPO_ROOT, tempDir, writeFile } from './helpers.js';

interface FakeProject {
  dir: string;
  name: string;
  tags: string[];
  deps?: string[];
  refs?: string[];
  files?: Record<string, string>;
}

function writeProject(root: string, p: FakeProject): void {
  const dependencies = Object.fromEntries((p.deps ?? []).map((d) => [d, '0.1.0']));
  writeFile(
    join(root, p.dir, 'package.json'),
    JSON.stringify({ name: p.name, dependencies, nx: { tags: p.tags } }),
  );
  writeFile(
    join(root, p.dir, 'tsconfig.json'),
    JSON.stringify({ references: (p.refs ?? []).map((r) => ({ path: `../../${r}` })) }),
  );
  for (const [file, text] of Object.entries(
    p.files ?? { 'src/index.ts': 'export const x = 1;\n' },
  )) {
    writeFile(join(root, p.dir, file), text);
  }
}

/** A small clean workspace: two apps, a library, and the contracts package. */
function cleanWorkspace(root: string): FakeProject[] {
  writeFile(join(root, 'package.json'), JSON.stringify({ workspaces: ['packages/*', 'apps/*'] }));
  return [
    {
      dir: 'packages/contracts',
      name: '@lakewatch/contracts',
      tags: ['scope:contracts', 'type:lib'],
    },
    {
      dir: 'packages/lake',
      name: '@lakewatch/lake',
      tags: ['scope:lake', 'type:lib'],
      deps: ['@lakewatch/contracts'],
      refs: ['packages/contracts'],
      files: {
        'src/index.ts': "import type { X } from '@lakewatch/contracts';\nexport type Y = X;\n",
      },
    },
    {
      dir: 'apps/ingest',
      name: '@lakewatch/ingest',
      tags: ['scope:ingest', 'type:app'],
      deps: ['@lakewatch/lake'],
      refs: ['packages/lake'],
      files: {
        'src/handler.ts': "import { write } from '@lakewatch/lake';\nexport const h = write;\n",
      },
    },
    { dir: 'apps/score', name: '@lakewatch/score', tags: ['scope:score', 'type:app'] },
  ];
}

describe('Function: checkBoundaries', () => {
  let root: string;
  let cleanup: () => void;
  let projects: FakeProject[];

  beforeEach(() => {
    ({ dir: root, cleanup } = tempDir('boundaries'));
    projects = cleanWorkspace(root);
  });
  afterEach(() => cleanup());

  function byDir(dir: string): FakeProject {
    return projects.find((p) => p.dir === dir)!;
  }

  function check(): string[] {
    for (const p of projects) writeProject(root, p);
    return checkBoundaries(root).map((v) => `${v.file}:${v.line} ${v.message}`);
  }

  it('passes on a clean workspace and on the repository itself', () => {
    expect(check()).toEqual([]);
    expect(checkBoundaries(REPO_ROOT)).toEqual([]);
  });

  it('fails when an app imports another app', () => {
    Object.assign(byDir('apps/ingest'), {
      deps: ['@lakewatch/lake', '@lakewatch/score'],
      refs: ['packages/lake', 'apps/score'],
      files: { 'src/handler.ts': "import { score } from '@lakewatch/score';\n" },
    });
    expect(check()).toEqual([
      'apps/ingest/src/handler.ts:1 @lakewatch/ingest: a project tagged type:app may depend on only type:lib; @lakewatch/score is tagged scope:score, type:app',
    ]);
  });

  it('fails when a package imports an app, even by a relative path', () => {
    Object.assign(byDir('packages/lake'), {
      files: { 'src/index.ts': "\n\nexport { h } from '../../../apps/ingest/src/handler.js';\n" },
    });
    expect(check()).toEqual([
      'packages/lake/src/index.ts:3 @lakewatch/lake: relative import ../../../apps/ingest/src/handler.js reaches into @lakewatch/ingest; import it as @lakewatch/ingest',
    ]);
  });

  it('fails when the contracts package imports anything of ours', () => {
    Object.assign(byDir('packages/contracts'), {
      deps: ['@lakewatch/lake'],
      refs: ['packages/lake'],
      files: { 'src/index.ts': "const lake = await import('@lakewatch/lake');\n" },
    });
    expect(check()).toEqual([
      'packages/contracts/src/index.ts:1 @lakewatch/contracts: a project tagged scope:contracts may depend on no project of ours; @lakewatch/lake is tagged scope:lake, type:lib',
    ]);
  });

  it('fails on an npm package the project does not declare, unless the root declares it', () => {
    writeFile(
      join(root, 'package.json'),
      JSON.stringify({ workspaces: ['packages/*', 'apps/*'], devDependencies: { vitest: '4' } }),
    );
    Object.assign(byDir('apps/score'), {
      deps: ['pino'],
      files: {
        'src/a.ts': "import pino from 'pino';\nimport { readFile } from 'node:fs/promises';\n",
        'src/b.ts': "import { GuardDutyClient } from '@aws-sdk/client-guardduty';\n",
        'tests/c.test.ts':
          "import { it } from 'vitest';\nimport { mockClient } from 'aws-sdk-client-mock';\n",
        'src/d.ts':
          "import { join } from 'path';\nimport { x } from '@aws-sdk/client-s3/dist-es/x.js';\n",
      },
    });
    expect(check()).toEqual([
      'apps/score/src/b.ts:1 @lakewatch/score: imports @aws-sdk/client-guardduty without declaring it in apps/score/package.json',
      'apps/score/src/d.ts:2 @lakewatch/score: imports @aws-sdk/client-s3 without declaring it in apps/score/package.json',
      'apps/score/tests/c.test.ts:2 @lakewatch/score: imports aws-sdk-client-mock without declaring it in apps/score/package.json',
    ]);
  });

  it('fails on undeclared dependencies, missing references, deep imports and missing tags', () => {
    Object.assign(byDir('apps/score'), {
      tags: ['type:app'],
      files: {
        'src/a.ts': "import { x } from '@lakewatch/lake';\n",
        'src/b.ts': "import { y } from '@lakewatch/lake/src/writer.js';\n",
      },
      deps: [],
    });
    Object.assign(byDir('apps/ingest'), { refs: [] });
    expect(check()).toEqual([
      'apps/score/package.json:0 @lakewatch/score must carry exactly one scope: tag and one type: tag, has [type:app]',
      'apps/ingest/src/handler.ts:1 @lakewatch/ingest: imports @lakewatch/lake without a reference to packages/lake in apps/ingest/tsconfig.json',
      'apps/score/src/a.ts:1 @lakewatch/score: imports @lakewatch/lake without declaring it in apps/score/package.json',
      'apps/score/src/b.ts:1 @lakewatch/score: deep import @lakewatch/lake/src/writer.js: import @lakewatch/lake from its entry (src/index.ts)',
    ]);
  });
});

describe('Function: importSpecifiers', () => {
  it('finds static, type-only, re-export, side-effect, dynamic and require imports, not strings', () => {
    const text = [
      "import a from 'a';",
      "import type { B } from 'b';",
      "import {\n  c,\n  d,\n} from 'c';",
      "export * from 'e';",
      "export { f } from 'f';",
      "import 'g';",
      "const h = await import('h');",
      "const i = require('i');",
      'const s = \'import x from "not-code"\';',
    ].join('\n');
    expect(importSpecifiers(text)).toEqual(['a', 'b', 'c', 'e', 'f', 'g', 'h', 'i']);
  });
});

describe('Command: npm run check:boundaries', () => {
  beforeAll(() => {
    execFileSync('npx', ['tsc', '-b', join(REPO_ROOT, 'tools')], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
  }, 120_000);

  it('exits 1 and names the violation when a throwaway forbidden import is added', () => {
    // Prepare: a workspace whose app imports another app
    const { dir, cleanup } = tempDir('boundaries-cli');
    try {
      const projects = cleanWorkspace(dir);
      for (const p of projects) writeProject(dir, p);
      writeFile(
        join(dir, 'apps/ingest/src/violation.ts'),
        "import { s } from '../../score/src/index.js';\n",
      );

      // Act
      const run = spawnSync(
        'node',
        [join(REPO_ROOT, 'tools/bin/check-boundaries.js'), '--root', dir],
        {
          encoding: 'utf8',
        },
      );

      // Assess
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('FAIL project boundaries: 1 violation(s)');
      expect(run.stdout).toContain(
        'apps/ingest/src/violation.ts:1: @lakewatch/ingest: relative import ../../score/src/index.js reaches into @lakewatch/score',
      );
    } finally {
      cleanup();
    }
  });

  it('exits 0 on the repository', () => {
    const run = spawnSync('node', [join(REPO_ROOT, 'tools/bin/check-boundaries.js')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(run.stdout).toMatch(/^ok {3}project boundaries \(\d+ projects\)/);
    expect(run.status).toBe(0);
  });
});
